import CentralTestSupport
import Foundation
import SurveyModel
import SurveyReport
import SurveyStore
import Testing

@testable import Fieldwork

/// `terep report` over the sample: sampled / assigned / visited / final, the AAPOR rates over
/// every case (not yet worked → out of the rates while the period runs, unknown eligibility
/// after it), the workload per device, stale cases, visit times, the booster counted apart —
/// over each central store (``CentralImplementation/all``): the figures come from its sample,
/// assignments, withdrawals and merged visits.
struct ReportCasesTests {
    static let source = """
        survey cs {
          title hu "Esetek" en "Cases"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT {
          11 hu "Teljes" en "Complete"  21 hu "Elutasítás" en "Refusal"  23 hu "Senki" en "Non-contact"
          41 hu "Üres" en "Vacant"
        }
        answers SRC { 1 hu "Cím" en "Address" 2 hu "Rendezvény" en "Event" }
        question sample_source single SRC { preload interviewer nodk text hu "Forrás" en "Source" }
        question consent yesno { nodk text hu "Hozzájárul?" en "Consent?" }
        question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        targets {
          period @2026-09-01 .. @2026-09-30
          where sample_source == 1 else hu "Rendezvényminta" en "Event booster"
          outcomes { complete 11 refusal 21 noncontact 23 ineligible 41 }
          final { 23 after 3 visits on different days }
        }
        """

    /// Cases A1–A8 of the address sample and B1–B2 of the booster; A1–A4 and B1 on lap-1,
    /// A5–A6 on lap-2, A7 withdrawn, A8 not assigned. Worked: A1 complete, A2 refusal, A3 one
    /// non-contact (open), A4 three non-contacts on three days (final), A5 vacant (ineligible),
    /// B1 complete; an interview without a case.
    static func fixture(on store: CentralImplementation) throws -> CentralFixture {
        var f = try CentralFixture(try CentralFixture.compile(source), on: store)
        let store = f.central
        try store.publish(try DefinitionFile(f.compiled), actor: "Kata", at: 1_000)
        let cases =
            (1...8).map { SampleCaseInput(id: CaseID("A\($0)"), values: ["sample_source": .choice(1)]) }
            + (1...2).map { SampleCaseInput(id: CaseID("B\($0)"), values: ["sample_source": .choice(2)]) }
        _ = try store.importSample(survey: "cs", cases: cases, file: "minta.csv", actor: "Kata", at: 1_000)
        let assigned = LocalDateTime(date: LocalDate(year: 2026, month: 9, day: 1), hour: 8)
        let millis = Int64(assigned.seconds) * 1000  // local midnight-ish; only the date is read
        try store.assign(
            survey: "cs",
            ["A1", "A2", "A3", "A4", "A7", "B1"].map { AssignmentChange(caseID: CaseID($0), device: "lap-1", previous: nil) },
            actor: "Kata", at: millis)
        try store.assign(
            survey: "cs", ["A5", "A6"].map { AssignmentChange(caseID: CaseID($0), device: "lap-2", previous: nil) }, actor: "Kata",
            at: millis)
        try store.withdraw(survey: "cs", cases: ["A7"], reason: "bontás", actor: "Kata", at: millis)
        var sequence: [DeviceID: Int64] = [:]
        func interview(_ id: String, case caseID: String?, device: DeviceID = "lap-1", source: Int = 1, days: [Int], codes: [Int]) throws {
            var events: [InterviewEvent] = []
            func add(_ kind: InterviewEventKind, _ at: Int64) {
                sequence[device, default: 0] += 1
                events.append(
                    InterviewEvent(
                        device: device, sequence: sequence[device]!, interview: InterviewID(id), timestamp: at,
                        interviewer: device == "lap-1" ? "Anna" : "Béla", kind: kind))
            }
            for (n, (day, code)) in zip(days, codes).enumerated() {
                let at = ReportFinalRuleTests.time(day: day, minutes: n)
                if n == 0 {
                    add(.started(definition: f.compiled.hash, seed: 1, language: "hu", preload: ["sample_source": .choice(source)]), at)
                    if let caseID { add(.assignedCase(CaseID(caseID)), at) }
                } else {
                    add(.reopened(reason: "visit"), at)
                }
                if code == 11 { add(.answered(Address("consent"), .value(.choice(1))), at + 1_000) }
                add(.ended(outcome: code), at + 2_000)
            }
            try f.mergeEvents(device, events)
        }
        try interview("i-a1", case: "A1", days: [0], codes: [11])
        try interview("i-a2", case: "A2", days: [1], codes: [21])
        try interview("i-a3", case: "A3", days: [1], codes: [23])
        try interview("i-a4", case: "A4", days: [0, 1, 2], codes: [23, 23, 23])
        try interview("i-a5", case: "A5", device: "lap-2", days: [4], codes: [41])
        try interview("i-b1", case: "B1", source: 2, days: [2], codes: [11])
        try interview("i-free", case: nil, days: [3], codes: [11])
        return f
    }

    static func cases(_ f: CentralFixture, today: LocalDate) throws -> CaseFigures {
        try #require(try FieldworkReportBuilder(central: f.central, survey: "cs", language: "en", today: today).build().cases)
    }

    @Test(arguments: CentralImplementation.all)
    func theSampleIsCountedCaseByCaseAndTheBoosterApart(_ store: CentralImplementation) throws {
        let f = try Self.fixture(on: store)
        let c = try Self.cases(f, today: LocalDate(year: 2026, month: 9, day: 12))
        // A1–A6 and A8 in scope (A7 withdrawn); A1–A6 assigned; A1–A5 visited; A1, A2, A4, A5 final.
        #expect((c.sampled, c.assigned, c.visited, c.final, c.open, c.notVisited) == (7, 6, 5, 4, 1, 2))
        #expect(c.withdrawn == 1 && c.interviewsWithoutCase == 1)
        #expect(c.leftOut == CaseCounts(sampled: 2, assigned: 1, visited: 1, final: 1, label: "Event booster"))
        #expect(c.dispositions == ["complete": 1, "refusal": 1, "noncontact": 1, "ineligible": 1])
        // While the period runs: I / (I + R + NC) over the final cases = 1 / 3.
        #expect(c.rr1 == 1.0 / 3.0 && !c.periodOver)
        let lap1 = try #require(c.workload.first { $0.device == "lap-1" })
        #expect((lap1.assigned, lap1.visited, lap1.completed, lap1.final) == (4, 4, 1, 3))
        // A1, A2, A3, A4 ×3 (not the interview without a case); the booster's B1 apart, like its case.
        #expect(lap1.visits == 1 + 1 + 1 + 3 && lap1.leftOutVisits == 1)
        #expect(lap1.interviewers == ["Anna"])
        let lap2 = try #require(c.workload.first { $0.device == "lap-2" })
        #expect((lap2.assigned, lap2.visited, lap2.final, lap2.visits, lap2.leftOutVisits) == (2, 1, 1, 1, 0))
        // Stale for 7 days on 2026-09-12: A3 (last visit 09-02), A6 (assigned 09-01, never visited).
        #expect(c.stale.map(\.caseID) == ["A6", "A3"])
        #expect(c.stale.first?.lastVisit == nil && c.stale.last?.lastVisit == "2026-09-02")
        // Visits of the cases in scope: A1 Tue, A2 Wed, A3 Wed, A4 Tue Wed Thu, A5 Sat.
        #expect(c.visitsByWeekday == [0, 2, 3, 1, 0, 1, 0])
        #expect(c.visitsByHour.reduce(0, +) == 7)
    }

    /// The workload's visits in the text and HTML reports: the booster's in a column of their own
    /// (and in the JSON), said under the table.
    @Test(arguments: CentralImplementation.all)
    func theWorkloadShowsTheBoostersVisitsApart(_ store: CentralImplementation) throws {
        let f = try Self.fixture(on: store)
        let report = try FieldworkReportBuilder(
            central: f.central, survey: "cs", language: "en", today: LocalDate(year: 2026, month: 9, day: 12)
        ).build()
        let text = FieldworkReportText.render(report)
        let header = try #require(text.split(separator: "\n").first { $0.contains("visits") && $0.contains("Device") })
        #expect(header.contains("visits") && header.hasSuffix("+ outside"), "\(header)")
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("    lap-1") })
        #expect(row.split(separator: " ").suffix(2) == ["6", "1"], "\(row)")
        #expect(text.contains("'+ outside': visits to the cases outside the targets, not in 'visits'"))
        #expect(FieldworkReportHTML.render(report).contains(">+ outside</th>"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(FieldworkReportJSON.render(report).utf8)) as? [String: Any])
        let workload = try #require((json["cases"] as? [String: Any])?["workload"] as? [[String: Any]])
        #expect(workload.map { [$0["visits"] as? Int, $0["leftOutVisits"] as? Int] } == [[6, 1], [1, 0]])
    }

    @Test(arguments: CentralImplementation.all)
    func afterThePeriodUnvisitedAndOpenCasesCountAsUnknownAndByTheirLastOutcome(_ store: CentralImplementation) throws {
        let f = try Self.fixture(on: store)
        let c = try Self.cases(f, today: LocalDate(year: 2026, month: 10, day: 2))
        #expect(c.periodOver)
        // A3 (open, last 23) as a non-contact; A6 and A8 (never visited) as unknown eligibility.
        #expect(c.dispositions == ["complete": 1, "refusal": 1, "noncontact": 2, "ineligible": 1, "unknown": 2])
        #expect(c.rr1 == 1.0 / 6.0)
        let json = FieldworkReportJSON.render(
            try FieldworkReportBuilder(
                central: f.central, survey: "cs", language: "en", today: LocalDate(year: 2026, month: 10, day: 2)
            ).build())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let cases = try #require(object["cases"] as? [String: Any])
        #expect(cases["sampled"] as? Int == 7 && cases["assigned"] as? Int == 6)
        #expect(cases["visited"] as? Int == 5 && cases["final"] as? Int == 4)
    }

    @Test(arguments: CentralImplementation.all)
    func aSurveyWithoutASampleHasNoCases(_ store: CentralImplementation) throws {
        var f = try CentralFixture(try CentralFixture.compile(Self.source), on: store)
        try f.merge("lap-1", "x", [f.started(), .ended(outcome: 21)])
        let report = try FieldworkReportBuilder(
            central: f.central, survey: "cs", language: "en", today: LocalDate(year: 2026, month: 9, day: 12)
        ).build()
        #expect(report.cases == nil)
        #expect(FieldworkReportText.render(report).contains("The survey has no sample in the central dataset."))
    }
}
