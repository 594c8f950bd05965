import Foundation
import SurveyExport
import SurveyModel
import SurveyTestSupport
import Testing

@testable import Fieldwork

/// Every `.sav`, `.dta`, `.sps` and `.do` of the three questionnaires (wellbeing, energy and
/// stakeholders), opened by the readers analysts use and compared with the CSV cell by cell,
/// dates and -7/-8/-9 included (Tests/Readers/):
///
/// - pyreadstat reads the `.sav` (user-missing kept) and the `.dta`;
/// - PSPP opens the `.sav` and writes its values out;
/// - R with haven reads the `.sav` (`user_na = TRUE`) and the `.dta` (tagged missing values);
/// - PSPP runs the `.sps` on the CSV and the result equals the `.sav` (values and dictionary);
/// - the `.do` is checked without Stata (not available here): its syntax, then its commands
///   carried out on the CSV must give the `.dta`.
///
/// Readers must be installed (`.ci/run` does); a missing one fails the test with the command
/// that installs it.
@Suite(.serialized)
struct ReaderAgreementTests {
    static let studies = ["wellbeing", "energy", "stakeholders"]

    /// A central dataset of `count` simulated interviews of every status, plus notes.
    static func export(_ study: String, count: Int = 30, seed: UInt64 = 41) throws -> (URL, ExportReport) {
        var f = try CentralFixture(try CentralFixture.questionnaire(study))
        let runs = try f.simulate(count, seed: seed)
        let first = try #require(runs.keys.sorted().first)
        try f.merge(
            "lap-1", first,
            [
                .note(nil, "A kutya ugatott, többször megszakadt az interjú."),
                .note(Address("int_id"), "Kolléga helyett kérdeztem"),
            ], interviewer: "Sim")
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        var request = ExportRequest(
            formats: [.csv, .sav, .dta], codebook: true,
            pii: .drop(identifiers: try Pseudonymiser(key: Data(repeating: 3, count: 32))), directory: dir)
        request.ddi = true
        let dataset = try CleanedDataset(central: f.central, survey: SurveyID(study), statuses: .all)
        return (dir, try SurveyExportRun.run(dataset, request))
    }

    @Test(arguments: studies)
    func everyReaderSeesTheCSVsCells(study: String) throws {
        let (dir, report) = try Self.export(study)
        let schema = try #require(report.schema)
        #expect(schema.tables.count >= 1)
        for table in schema.tables {
            let csv = "\(table.name).csv", sav = "\(table.name).sav", dta = "\(table.name).dta"
            let checks: [(String, [String])] = [
                ("python3", [Readers.script("compare.py"), "pyreadstat", sav, csv]),
                ("python3", [Readers.script("compare.py"), "pyreadstat", dta, csv]),
                ("python3", [Readers.script("compare.py"), "pspp", sav, csv]),
                ("Rscript", [Readers.script("compare.R"), sav, csv]),
                ("Rscript", [Readers.script("compare.R"), dta, csv]),
                ("python3", [Readers.script("compare.py"), "sps", "\(table.name).sps", sav]),
                ("python3", [Readers.script("check_do.py"), "\(table.name).do", dta]),
            ]
            for (program, arguments) in checks {
                let output = try Readers.run(program, arguments, in: dir)
                #expect(output.hasPrefix("ok "), "\(program) \(arguments.dropFirst().joined(separator: " ")): \(output)")
            }
        }
    }

    /// Each questionnaire's `--format ddi` output validated by xmllint against the DDI
    /// Alliance's DDI-Codebook 2.5 schema (scripts/fetch-ddi-schema.sh puts it in place).
    @Test(.disabled(if: DDISchema.turnedOff, DDISchema.offReason), arguments: studies)
    func theDDIIsValidAgainstTheDDIAllianceSchema(study: String) throws {
        let (dir, _) = try Self.export(study, count: 10)
        #expect(try DDISchema.problems(dir.appendingPathComponent("\(study)_ddi.xml")) == "")
    }

    @Test func specialAnswersInDatesStayApartInEveryReader() throws {
        // A date question with each special answer, exported and read back by every reader.
        var f = try CentralFixture(
            try CentralFixture.compile(
                """
                survey d {
                  title hu "D" en "D"
                  version "1"
                  languages hu en
                  specials dk rf
                }
                question seen yesno { nodk text hu "Látta?" en "Seen?" }
                question when_seen date { when seen == 1 text hu "Mikor?" en "When?" }
                """))
        let answers: [(String, Answer?, Int)] = [
            ("dddddddd-0000-4000-8000-000000000001", .value(.date(LocalDate(year: 2026, month: 11, day: 3))), 1),
            ("dddddddd-0000-4000-8000-000000000002", .special(.dontKnow), 1),
            ("dddddddd-0000-4000-8000-000000000003", .special(.refused), 1),
            ("dddddddd-0000-4000-8000-000000000004", nil, 0),
        ]
        for (id, answer, seen) in answers {
            var events: [InterviewEventKind] = [f.started(), .answered(Address("seen"), .value(.choice(seen)))]
            if let answer { events.append(.answered(Address("when_seen"), answer)) }
            try f.merge("lap-1", InterviewID(id), events)
        }
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        _ = try SurveyExportRun.run(
            try CleanedDataset(central: f.central, survey: "d", statuses: .all), ExportRequest(formats: [.csv, .sav, .dta], directory: dir))
        let csv = try String(contentsOf: dir.appendingPathComponent("d.csv"), encoding: .utf8)
        #expect(csv.contains(",2026-11-03\r\n") && csv.contains(",-8\r\n") && csv.contains(",-9\r\n") && csv.contains(",-7\r\n"))
        let haven = try Readers.run(
            "Rscript",
            [
                "-e",
                """
                d <- haven::read_sav("d.sav", user_na = TRUE); x <- d$when_seen
                cat(format(unclass(x)), "|", is.na(x), "|", is.na(haven::read_sav("d.sav")$when_seen), "\\n")
                """,
            ], in: dir)
        #expect(haven.contains("20760 -141436 -141437 -141435 | FALSE TRUE TRUE TRUE | FALSE TRUE TRUE TRUE"), "\(haven)")
        let python = try Readers.run(
            "python3",
            [
                "-c",
                """
                import pyreadstat
                d, m = pyreadstat.read_sav("d.sav", user_missing=True)
                print([str(v) for v in d["when_seen"]], m.missing_ranges["when_seen"][0]["lo"], m.variable_value_labels["when_seen"])
                """,
            ], in: dir)
        #expect(python.contains("['2026-11-03', '1582-10-06', '1582-10-05', '1582-10-07'] 1582-10-05"), "\(python)")
        #expect(python.contains("-691200.0: 'nem tudja'"), "\(python)")
        let pspp = dir.appendingPathComponent("show.sps")
        try Data("GET FILE='d.sav'.\nCOMPUTE m = MISSING(when_seen).\nCOMPUTE v = VALUE(when_seen).\nFORMATS v (F12.0).\nLIST m v.\n".utf8)
            .write(to: pspp)
        let listing = try Readers.run("pspp", ["--batch", "-O", "format=txt", pspp.path], in: dir)
        for value in ["14013043200", "-691200", "-777600", "-604800"] { #expect(listing.contains(value), "\(listing)") }
        #expect(listing.components(separatedBy: "1.00").count - 1 == 3, "three missing, one date: \(listing)")
    }
}
