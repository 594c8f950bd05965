import Foundation
import SurveyModel
import SurveyReport
import SurveyStore
import Testing

@testable import Fieldwork

/// The report's outcomes and AAPOR rates follow the questionnaire's `final` rules: a `.z 23`
/// (non-contact) ends a visit, not the case, and counts in the rates only once the visits meet
/// the rule (3 visits on different days, one from 17:00 or at a weekend) — or once the period is
/// over. Regression: the rates once counted a non-contact on any visit as final.
struct ReportFinalRuleTests {
    static let source = """
        survey fr {
          title hu "Végleges" en "Final"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT {
          11 hu "Teljes" en "Complete"  21 hu "Elutasítás" en "Refusal"
          23 hu "Senki sincs otthon" en "Non-contact"  24 hu "Nem elérhető" en "Unavailable"
        }
        question consent yesno { nodk text hu "Hozzájárul?" en "Consent?" }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        targets {
          period @2026-09-01 .. @2026-09-30
          outcomes { complete 11 refusal 21 noncontact 23 other 24 }
          final {
            revisit 24
            23 after 3 visits on different days, 1 from @17:00 or weekend
          }
        }
        """

    /// 10:00 UTC on 2026-09-01 (a Tuesday) plus `day` days and `minutes` minutes; day 4 is a Saturday.
    static func time(day: Int, minutes: Int = 0) -> Int64 {
        1_788_256_800_000 + Int64(day) * 86_400_000 + Int64(minutes) * 60_000
    }

    /// An interview whose visits begin on `days` and each end with the matching code.
    static func visits(_ f: inout CentralFixture, _ id: String, days: [Int], codes: [Int], sequence: inout Int64) throws {
        var events: [InterviewEvent] = []
        func add(_ kind: InterviewEventKind, _ at: Int64) {
            sequence += 1
            events.append(
                InterviewEvent(
                    device: "lap-1", sequence: sequence, interview: InterviewID(id), timestamp: at, interviewer: "Anna", kind: kind))
        }
        for (n, (day, code)) in zip(days, codes).enumerated() {
            add(n == 0 ? f.started() : .reopened(reason: "visit \(n + 1)"), time(day: day, minutes: n))
            if code == 11 { add(.answered(Address("consent"), .value(.choice(1))), time(day: day, minutes: n) + 1_000) }
            add(.ended(outcome: code), time(day: day, minutes: n) + 2_000)
        }
        try f.mergeEvents("lap-1", events)
    }

    /// n1: one non-contact; n2: two on two days; n3: three on three days, the third a Saturday
    /// (final); n4: three on one day; u1: unavailable (a revisit); c1: complete; r1: refusal.
    static func fixture() throws -> CentralFixture {
        var f = try CentralFixture(try CentralFixture.compile(source), devices: ["lap-1"])
        var sequence: Int64 = 0
        try visits(&f, "n1", days: [0], codes: [23], sequence: &sequence)
        try visits(&f, "n2", days: [0, 1], codes: [23, 23], sequence: &sequence)
        try visits(&f, "n3", days: [0, 1, 4], codes: [23, 23, 23], sequence: &sequence)
        try visits(&f, "n4", days: [2, 2, 2], codes: [23, 23, 23], sequence: &sequence)
        try visits(&f, "u1", days: [1], codes: [24], sequence: &sequence)
        try visits(&f, "c1", days: [1, 2], codes: [23, 11], sequence: &sequence)
        try visits(&f, "r1", days: [3], codes: [21], sequence: &sequence)
        return f
    }

    static func report(_ f: CentralFixture, today: LocalDate) throws -> FieldworkReport {
        try FieldworkReportBuilder(central: f.central, survey: "fr", language: "en", today: today).build()
    }

    @Test func aNonContactCountsInTheRatesOnlyOnceTheFinalRuleIsMet() throws {
        let f = try Self.fixture()
        let o = try Self.report(f, today: LocalDate(year: 2026, month: 9, day: 10)).outcomes
        let byCode = Dictionary(uniqueKeysWithValues: o.codes.map { ($0.code, $0) })
        #expect(byCode[23]?.count == 1)  // n3 only
        #expect(byCode[23]?.notFinal == 3)  // n1, n2, n4
        #expect(byCode[24]?.count == 0)
        #expect(byCode[24]?.notFinal == 1)
        #expect(byCode[11]?.count == 1)
        #expect(byCode[21]?.count == 1)
        #expect(o.notFinal == 4)
        #expect(o.dispositions == ["complete": 1, "refusal": 1, "noncontact": 1])
        // I / (I + R + NC) = 1 / 3, not 1 / 7 as when every `.z 23` was final.
        #expect(o.rr1 == 1.0 / 3.0)
        #expect(o.ref1 == 1.0 / 3.0)
        let text = FieldworkReportText.render(try Self.report(f, today: LocalDate(year: 2026, month: 9, day: 10)), width: 200)
        #expect(text.contains("Outcome not final yet, another visit to come (in no rate): 4 (23: 3, 24: 1)"))
    }

    @Test func onceThePeriodIsOverEveryEndedInterviewCountsByItsLastOutcome() throws {
        let f = try Self.fixture()
        let o = try Self.report(f, today: LocalDate(year: 2026, month: 10, day: 1)).outcomes
        let byCode = Dictionary(uniqueKeysWithValues: o.codes.map { ($0.code, $0) })
        #expect(byCode[23]?.count == 4)
        #expect(byCode[24]?.count == 1)
        #expect(o.notFinal == 0)
        #expect(o.rr1 == 1.0 / 7.0)
    }

    @Test func withoutFinalRulesEveryOutcomeIsFinalAsBefore() throws {
        let plain = Self.source.replacingOccurrences(
            of: "final {\n    revisit 24\n    23 after 3 visits on different days, 1 from @17:00 or weekend\n  }", with: "")
        #expect(plain != Self.source)
        var f = try CentralFixture(try CentralFixture.compile(plain), devices: ["lap-1"])
        var sequence: Int64 = 0
        try Self.visits(&f, "n1", days: [0], codes: [23], sequence: &sequence)
        try Self.visits(&f, "c1", days: [1], codes: [11], sequence: &sequence)
        let o = try FieldworkReportBuilder(
            central: f.central, survey: "fr", language: "en", today: LocalDate(year: 2026, month: 9, day: 10)
        ).build().outcomes
        #expect(o.notFinal == 0)
        #expect(o.rr1 == 0.5)
    }
}
