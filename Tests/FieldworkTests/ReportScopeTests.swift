import Foundation
import SurveyModel
import SurveyReport
import Testing

@testable import Fieldwork

/// Targets limited by `where`: the interviews left out are counted on their own line and in
/// none of the progress, quotas and rates; a quota's own `where`; a multiple-choice breakdown.
struct ReportScopeTests {
    static let source = """
        survey sc {
          title hu "Hatókör" en "Scope"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT { 11 hu "Teljes" en "Complete" 21 hu "Elutasítás" en "Refusal" }
        answers SRC { 1 hu "Címminta" en "Address sample" 2 hu "Rendezvény" en "Event" }
        answers AREA { 1 hu "Bulgárföld" en "Bulgárföld" 2 hu "Kilián" en "Kilián" 3 hu "Belváros" en "Centre" }
        question sample_source single SRC { preload interviewer nodk text hu "Forrás" en "Source" }
        question consent yesno { nodk text hu "Hozzájárul?" en "Consent?" }
        end outcome 21 if consent == 0
        question area multiple AREA { text hu "Hol?" en "Where?" }
        question age integer 16..99 { text hu "Kor" en "Age" }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        targets {
          where sample_source == 1 else hu "Rendezvényminta" en "Event booster"
          total 4
          outcomes { complete 11 refusal 21 }
          quota sample_source { 1 = 4 }
          monitor area where age >= 30
          monitor area
        }
        """

    /// Address sample: three completes (ages 25, 40, 60) and a refusal; booster: two completes
    /// and a refusal.
    static func fixture() throws -> CentralFixture {
        var f = try CentralFixture(try CentralFixture.compile(source))
        func interview(_ id: String, source: Int, consent: Int, areas: [Int] = [], age: Int = 0) throws {
            var kinds: [InterviewEventKind] = [
                .started(definition: f.compiled.hash, seed: 1, language: "hu", preload: ["sample_source": .choice(source)]),
                .answered(Address("consent"), .value(.choice(consent))),
            ]
            if consent == 1 {
                kinds.append(.answered(Address("area"), .value(.choices(normalizing: areas))))
                kinds.append(.answered(Address("age"), .value(.integer(age))))
            }
            kinds.append(.ended(outcome: consent == 1 ? 11 : 21))
            try f.merge("lap-1", InterviewID(id), kinds)
        }
        try interview("a1", source: 1, consent: 1, areas: [1], age: 25)
        try interview("a2", source: 1, consent: 1, areas: [1, 2], age: 40)
        try interview("a3", source: 1, consent: 1, areas: [2], age: 60)
        try interview("a4", source: 1, consent: 0)
        try interview("b1", source: 2, consent: 1, areas: [3], age: 30)
        try interview("b2", source: 2, consent: 1, areas: [3], age: 35)
        try interview("b3", source: 2, consent: 0)
        return f
    }

    static func report(_ f: CentralFixture, language: LanguageCode = "en") throws -> FieldworkReport {
        try FieldworkReportBuilder(
            central: f.central, survey: "sc", language: language, today: LocalDate(year: 2026, month: 9, day: 10)
        ).build()
    }

    @Test func theBoosterIsCountedApartFromProgressQuotasAndRates() throws {
        let r = try Self.report(try Self.fixture())
        #expect(r.selection.included == 7 && r.selection.completed == 5, "the selection still covers every interview")
        let scope = try #require(r.scope)
        #expect(scope.condition == "sample_source == 1" && scope.label == "Event booster")
        #expect([scope.interviews, scope.completed, scope.ended, scope.inProgress] == [Int]([3, 2, 1, 0]))
        #expect(r.progress.completed == 3 && r.progress.target == 4)
        let bySource = try #require(r.quotas.first { $0.name == "sample_source" })
        #expect(bySource.cells.map(\.completed) == [3], "no booster cell: \(bySource.cells.map(\.label))")
        #expect(r.outcomes.codes.map(\.count) == [3, 1], "11 and 21 of the address sample only")
        #expect(r.outcomes.rr1 == 0.75)
        #expect(r.interviewers.first?.interviews == 7, "data quality covers every interview")
    }

    @Test func aQuotasOwnWhereAndAMultipleChoiceBreakdown() throws {
        let r = try Self.report(try Self.fixture())
        let older = try #require(r.quotas.first { $0.name == "area" && $0.condition != nil })
        #expect(older.condition == "age >= 30" && older.leftOut == 1)
        #expect(older.cells.map(\.completed) == [1, 2, 0], "a2 ticks 1 and 2, a3 ticks 2; a1 is 25")
        #expect(older.cells.allSatisfy { $0.target == nil })
        let monitor = try #require(r.quotas.last)
        #expect(monitor.cells.map(\.label) == ["Bulgárföld", "Kilián", "Centre"])
        #expect(monitor.cells.map(\.completed) == [2, 2, 0], "every code ticked counts, boosters left out")
    }

    @Test(arguments: ["hu", "en"])
    func bothRenderingsShowTheLineOfTheInterviewsLeftOut(language: String) throws {
        let r = try Self.report(try Self.fixture(), language: LanguageCode(language))
        let text = FieldworkReportText.render(r)
        let html = FieldworkReportHTML.render(r)
        let expected =
            language == "hu"
            ? "Nem számít a haladásba, a kvótákba és a válaszadási arányokba (a célok feltétele: sample_source == 1): Rendezvényminta — 3 interjú: 2 befejezett, 1 más kimenettel lezárt, 0 folyamatban"
            : "Not counted in the progress, quotas and response rates (the targets' condition: sample_source == 1): Event booster — 3 interviews: 2 completed, 1 ended otherwise, 0 in progress"
        let flowing = text.replacing(/\n +/, with: " ")
        #expect(flowing.contains(expected), "\(text)")
        #expect(html.contains(expected.replacingOccurrences(of: "'", with: "&#39;")), "html")
    }
}
