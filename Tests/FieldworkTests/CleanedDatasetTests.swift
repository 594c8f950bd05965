import Foundation
import SurveyExport
import SurveyModel
import SurveyStore
import Testing

@testable import Fieldwork

/// Cleaning rules on hand-written event logs of a small questionnaire: selection, off-route
/// answers, the multi-device rule and flag, corrections, personal data.
struct CleanedDatasetTests {
    static let source = """
        survey t {
          title en "T" hu "T"
          version "1"
          languages hu en
          outcome outcome complete 11
          specials dk rf
        }
        answers OUT { 11 en "Complete" hu "Teljes" 21 en "Refusal" hu "Elutasítás" }
        answers PROB {
          1 en "safety" hu "közbiztonság"
          2 en "noise" hu "zaj"
          97 en "none" hu "nincs" exclusive
        }
        question outcome single OUT { interviewer optional nodk text en "Outcome" hu "Eredmény" }
        section A {
          title en "A" hu "A"
          question hh_size integer 1..15 { text en "Household size?" hu "Háztartás?" }
          question consent yesno { nodk text en "Consent?" hu "Hozzájárul?" }
          end outcome 21 if consent == 0
        }
        roster mem count hh_size max 15 {
          title en "Members" hu "Tagok"
          question m_age integer 0..110 { text en "Age of member?" hu "Életkor?" }
        }
        question prob multiple PROB { max 2 text en "Problems?" hu "Problémák?" }
        question worst single PROB {
          when selected(prob) > 1
          filter option in prob
          text en "Which is the worst?" hu "Melyik a legrosszabb?"
        }
        question remark text { optional maxlength 60 text en "Remark" hu "Megjegyzés" }
        question phone text { optional pii maxlength 20 text en "Phone" hu "Telefon" }
        """

    static let a = InterviewID("aaaaaaaa-0000-4000-8000-000000000001")
    static let b = InterviewID("bbbbbbbb-0000-4000-8000-000000000002")
    static let c = InterviewID("cccccccc-0000-4000-8000-000000000003")
    static let d = InterviewID("dddddddd-0000-4000-8000-000000000004")
    static let phone = "+36301234567"

    /// A: completed, `worst` answered then taken off route; B: refusal; C: completed, revisited
    /// on lap-2 (m_age[1] 30 → 31); D: in progress.
    static func fixture() throws -> CentralFixture {
        var f = try CentralFixture(try CentralFixture.compile(source))
        try f.merge(
            "lap-1", a,
            [
                f.started(), .answered(Address("hh_size"), .value(.integer(2))), .answered(Address("consent"), .value(.choice(1))),
                .answered(Address("m_age", rows: [1]), .value(.integer(40))), .answered(Address("m_age", rows: [2]), .value(.integer(8))),
                .answered(Address("prob"), .value(.choices([1, 2]))), .answered(Address("worst"), .value(.choice(2))),
                .answered(Address("prob"), .value(.choices([1]))),
                .answered(Address("remark"), .value(.text("  Cafe\u{301} zárva  "))),
                .answered(Address("phone"), .value(.text(phone))), .ended(outcome: 11),
            ])
        try f.merge(
            "lap-1", b,
            [
                f.started(), .answered(Address("hh_size"), .value(.integer(1))), .answered(Address("consent"), .value(.choice(0))),
                .ended(outcome: 21),
            ])
        try f.merge(
            "lap-1", c,
            [
                f.started(), .answered(Address("hh_size"), .value(.integer(1))), .answered(Address("consent"), .value(.choice(1))),
                .answered(Address("m_age", rows: [1]), .value(.integer(30))), .answered(Address("prob"), .value(.choices([97]))),
                .ended(outcome: 11),
            ])
        try f.merge(
            "lap-2", c, [.reopened(), .answered(Address("m_age", rows: [1]), .value(.integer(31))), .ended(outcome: 11)],
            interviewer: "Béla")
        try f.merge("lap-1", d, [f.started(), .answered(Address("hh_size"), .value(.integer(3)))])
        return f
    }

    static func records(_ dataset: CleanedDataset) throws -> ([InterviewID: InterviewRecord], CleaningSummary) {
        var out: [InterviewID: InterviewRecord] = [:]
        let summary = try dataset.forEach { out[$0.id] = $0 }
        return (out, summary)
    }

    @Test func onlyCompletedInterviewsByDefaultOthersSelectable() throws {
        let f = try Self.fixture()
        let (records, summary) = try Self.records(try CleanedDataset(central: f.central, survey: "t"))
        #expect(Set(records.keys) == [Self.a, Self.c])
        #expect(summary.excluded == [.status(.ended): 1, .status(.inProgress): 1])
        #expect(summary.skippedEvents.isEmpty, "\(summary.skippedEvents)")
        let refusals = try Self.records(try CleanedDataset(central: f.central, survey: "t", statuses: try StatusSelection(parsing: "21")))
        #expect(Set(refusals.0.keys) == [Self.b])
        let all = try Self.records(try CleanedDataset(central: f.central, survey: "t", statuses: .all))
        #expect(all.0.count == 4)
    }

    @Test func trainingInterviewsAreLeftOutWhateverTheStatusSelection() throws {
        var f = try Self.fixture()
        let trained = InterviewID("eeeeeeee-0000-4000-8000-000000000005")
        try f.merge(
            "lap-1", trained,
            [
                f.started(), .trainingMarked(true), .answered(Address("hh_size"), .value(.integer(1))),
                .answered(Address("consent"), .value(.choice(0))), .ended(outcome: 21),
            ])
        try f.merge("lap-1", Self.a, [.trainingMarked(true)])
        try f.merge("lap-1", Self.c, [.trainingMarked(true), .trainingMarked(false)])
        let (records, summary) = try Self.records(try CleanedDataset(central: f.central, survey: "t"))
        #expect(Set(records.keys) == [Self.c])
        #expect(summary.excluded == [.training: 2, .status(.ended): 1, .status(.inProgress): 1])
        let all = try Self.records(try CleanedDataset(central: f.central, survey: "t", statuses: .all))
        #expect(Set(all.0.keys) == [Self.b, Self.c, Self.d])
        #expect(all.1.excluded == [.training: 2])
    }

    @Test func offRouteAnswersBecomeNotApplicableAndNeverKeepTheirValue() throws {
        let f = try Self.fixture()
        let (records, _) = try Self.records(try CleanedDataset(central: f.central, survey: "t"))
        let a = try #require(records[Self.a])
        #expect(a.answers[Address("worst")] == .special(.notApplicable))
        #expect(a.answers[Address("m_age", rows: [2])] == .value(.integer(8)))
        #expect(a.rosterRows[RosterInstance("mem")] == 2)
        let refusal = try #require(try Self.records(try CleanedDataset(central: f.central, survey: "t", statuses: .all)).0[Self.b])
        #expect(refusal.answers[Address("prob")] == .special(.notApplicable))
        #expect(refusal.rosterRows[RosterInstance("mem")] == 0, "the roster after the end rule has no rows")
    }

    @Test func revisitOnAnotherDeviceWinsByTheCentralRuleAndIsFlagged() throws {
        let f = try Self.fixture()
        let (records, summary) = try Self.records(try CleanedDataset(central: f.central, survey: "t"))
        let c = try #require(records[Self.c])
        #expect(c.hadConflict)
        #expect(c.answers[Address("m_age", rows: [1])] == .value(.integer(31)))
        #expect(records[Self.a]?.hadConflict == false)
        #expect(summary.conflicts == 1)
    }

    @Test func correctionsAreAppliedAndInvalidOnesNameTheirLine() throws {
        let f = try Self.fixture()
        let text = """
            # analyst corrections
            set \(Self.c) m_age[1] = 45 : age confirmed by call-back
            exclude \(Self.a) : training interview recorded as real
            """
        let dataset = try CleanedDataset(central: f.central, survey: "t", correctionsText: text, correctionsFile: "t.corrections")
        let (records, summary) = try Self.records(dataset)
        #expect(Set(records.keys) == [Self.c])
        #expect(records[Self.c]?.answers[Address("m_age", rows: [1])] == .value(.integer(45)))
        #expect(summary.applied.map(\.previous) == [.value(.integer(31))])
        #expect(summary.exclusions.map(\.line) == [3])
        #expect(summary.excluded[.corrections] == 1)

        for (bad, message) in [
            ("set \(Self.c) m_age[1] = 130 : typo", "t.corrections:2: 130 is above the maximum"),
            ("exclude 99999999-0000-4000-8000-000000000000 : gone", "t.corrections:2: interview 99999999"),
        ] {
            #expect {
                _ = try CleanedDataset(central: f.central, survey: "t", correctionsText: "# x\n" + bad, correctionsFile: "t.corrections")
            } throws: { error in
                "\(error)".hasPrefix(message)
            }
        }
    }

    @Test func unknownSurveyAndVersionAreClearErrors() throws {
        let f = try Self.fixture()
        #expect { _ = try CleanedDataset(central: f.central, survey: "nope") } throws: { "\($0)".contains("it holds: t") }
        #expect { _ = try CleanedDataset(central: f.central, survey: "t", version: .hash("ffff")) } throws: {
            "\($0)".contains(f.compiled.hash.rawValue)
        }
        let one = try CleanedDataset(central: f.central, survey: "t", version: .hash(String(f.compiled.hash.rawValue.prefix(8))))
        #expect(one.selectedCount == 2)
    }

    @Test(arguments: [["csv", "sav", "dta", "jsonl", "codebook", "ddi"]])
    func defaultExportHoldsNoPersonalDataAndTextIsNormalised(formats: [String]) throws {
        let f = try Self.fixture()
        let dir = try CentralFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (list, codebook, ddi) = try ExportRequest.formats(formats, excel: false)
        var request = ExportRequest(formats: list, codebook: codebook, directory: dir)
        request.ddi = ddi
        let report = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: "t"), request)
        let expected = 2 * 3 + 1 + 3 + 2 + 1 + 2 * 2 + 1
        #expect(
            report.files.count == expected,
            "t and t_mem in 3 formats and .sps/.do, JSON Lines, paradata, durations and visits (comments only with --comments), codebook, DDI, log"
        )
        #expect(!report.files.contains { $0.lastPathComponent == "t_comments.csv" })
        for file in report.files {
            let bytes = try Data(contentsOf: file)
            #expect(bytes.range(of: Data(Self.phone.utf8)) == nil, "\(file.lastPathComponent) holds the phone number")
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("t.csv"), encoding: .utf8)
        let csvBytes = try Data(contentsOf: dir.appendingPathComponent("t.csv"))
        #expect(csvBytes.range(of: Data(",Caf\u{E9} z\u{E1}rva\r\n".utf8)) != nil, "NFC (precomposed é) and trimmed")
        let header = csv.split(separator: "\r\n")[0].split(separator: ",")
        let worst = try #require(header.firstIndex(of: "worst"))
        let rowA = try #require(csv.split(separator: "\r\n").first { $0.hasPrefix(Self.a.rawValue) })
        #expect(rowA.split(separator: ",", omittingEmptySubsequences: false)[worst] == "-7")
        let log = try String(contentsOf: report.log, encoding: .utf8)
        #expect(log.contains("excluded, status ended not selected: 1") && log.contains("dropped: phone"))

        #expect {
            _ = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: "t"), ExportRequest(formats: list, directory: dir))
        } throws: { "\($0)".contains("--force") }
        _ = try SurveyExportRun.run(
            try CleanedDataset(central: f.central, survey: "t"), ExportRequest(formats: list, directory: dir, force: true))
    }

    @Test func pseudonymsAreStableWithOneKeyAndDifferWithAnother() throws {
        let f = try Self.fixture()
        func phoneCell(_ key: String) throws -> String {
            let dir = try CentralFixture.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let pii = PIIChoice.pseudonymise(try Pseudonymiser(key: Data(key.utf8)))
            let report = try SurveyExportRun.run(
                try CleanedDataset(central: f.central, survey: "t"), ExportRequest(formats: [.csv], pii: pii, directory: dir))
            let csv = try String(contentsOf: dir.appendingPathComponent("t.csv"), encoding: .utf8)
            #expect(!csv.contains(Self.phone))
            #expect(try String(contentsOf: report.log, encoding: .utf8).contains("mode: pseudonymise"))
            let lines = csv.split(separator: "\r\n")
            let column = try #require(lines[0].split(separator: ",").firstIndex(of: "phone"))
            let row = try #require(lines.first { $0.hasPrefix(Self.a.rawValue) })
            return String(row.split(separator: ",", omittingEmptySubsequences: false)[column])
        }
        let first = try phoneCell("key one: sixteen bytes or more")
        #expect(first.count == 64)
        #expect(try phoneCell("key one: sixteen bytes or more") == first)
        #expect(try phoneCell("another secret key of the study") != first)
        #expect(throws: FieldworkError.self) { _ = try Pseudonymiser(keyFile: "/nonexistent/pii.key") }
    }
}
