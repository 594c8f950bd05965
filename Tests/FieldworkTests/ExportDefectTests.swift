import Foundation
import SurveyExport
import SurveyModel
import Testing

@testable import Fieldwork

/// The defects analysts found in real readers (issue 13), one test each, on the small
/// questionnaire of ``CleanedDatasetTests``.
struct ExportDefectTests {
    typealias T = CleanedDatasetTests

    static func export(
        _ f: CentralFixture, corrections: String? = nil, formats: [ExportFormat] = [.csv], pii: PIIChoice = .drop(),
        into dir: URL, force: Bool = false, wide: [GroupID] = [], language: LanguageCode? = nil
    ) throws -> ExportReport {
        let dataset = try CleanedDataset(central: f.central, survey: "t", correctionsText: corrections, correctionsFile: "t.corrections")
        var request = ExportRequest(formats: formats, codebook: true, language: language, pii: pii, directory: dir, force: force)
        request.wideRosters = wide
        return try SurveyExportRun.run(dataset, request)
    }

    static func everyFile(_ dir: URL) throws -> [(String, Data)] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map {
            ($0, try Data(contentsOf: dir.appendingPathComponent($0)))
        }
    }

    @Test("1: a correction to a personal-data variable leaves no value in any file, the log included")
    func correctionsOfPersonalDataAreWithheld() throws {
        let f = try T.fixture()
        let newNumber = "+36309998877"
        let fix = "set \(T.a) phone = \(newNumber) : new number from the call-back\n"
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        let report = try Self.export(f, corrections: fix, formats: [.csv, .sav, .dta, .jsonl], into: dir)
        #expect(report.summary.applied.count == 1)
        for (name, bytes) in try Self.everyFile(dir) {
            for secret in [T.phone, newNumber, "36309998877", "1234567"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) in \(name)")
            }
        }
        let log = try String(contentsOf: report.log, encoding: .utf8)
        #expect(log.contains("line 1: \(T.a) phone: (withheld: personal data left out of this export) -> (withheld"))

        let key = try Pseudonymiser(key: Data("a key of at least sixteen bytes".utf8))
        let pseudonymised = try Self.export(
            f, corrections: fix, pii: .pseudonymise(key), into: try CentralFixture.temporaryDirectory().appendingPathComponent("p"))
        let text = try String(contentsOf: pseudonymised.log, encoding: .utf8)
        #expect(text.contains("\(key.pseudonym(T.phone)) -> \(key.pseudonym(newNumber))"))
        #expect(!text.contains(T.phone) && !text.contains(newNumber))
    }

    @Test("5: --force replaces the directory whole; foreign files are never deleted; a failed export leaves the old one")
    func anExportDirectoryHoldsOneExport() throws {
        let f = try T.fixture()
        let parent = try CentralFixture.temporaryDirectory()
        let dir = parent.appendingPathComponent("exports-t")
        _ = try Self.export(f, formats: [.csv, .sav], into: dir)
        try Data("# corrections\n".utf8).write(to: dir.appendingPathComponent("t.corrections"))
        #expect { _ = try Self.export(f, formats: [.dta], into: dir) } throws: { "\($0)".contains("--force") }

        _ = try Self.export(f, formats: [.dta], into: dir, force: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(
            names == [
                "t.corrections", "t.csv", "t.do", "t.dta", "t_codebook.html", "t_codebook.md", "t_durations.csv",
                "t_export.log", "t_mem.csv", "t_mem.do", "t_mem.dta", "t_paradata.csv", "t_visits.csv",
            ], "the .dta with the CSV its .do reads, and nothing of the earlier export's .sav")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["exports-t"], "no working directories left")

        // A failure part-way (a bad corrections line) leaves the earlier export as it was.
        let before = try Self.everyFile(dir)
        #expect { _ = try Self.export(f, corrections: "set \(T.a) hh_size = 99 : typo\n", into: dir, force: true) } throws: {
            "\($0)".contains("t.corrections:1:")
        }
        #expect(try Self.everyFile(dir).map(\.0) == before.map(\.0))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["exports-t"])

        // A file that is not from an export: refused even with --force, and kept.
        try Data("my notes".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        #expect { _ = try Self.export(f, into: dir, force: true) } throws: {
            "\($0)".contains("holds files that are not from a terep export (notes.txt)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("notes.txt").path))
    }

    @Test(
        "6: corrections of an off-route question, a row beyond the roster or an excluded interview are errors at FILE:LINE",
        arguments: [
            ("set \(T.a) worst = 1 : recoded", "t.corrections:2: worst is off route in interview \(T.a)"),
            ("set \(T.c) m_age[2] = 5 : call-back", "t.corrections:2: m_age[2]: interview \(T.c) has 1 row(s) in roster 'mem'"),
            (
                "exclude \(T.c) : duplicate\nset \(T.c) hh_size = 2 : call-back",
                "t.corrections:3: interview \(T.c) is excluded (excluded in the corrections file)"
            ),
        ])
    func correctionsThatCannotApplyAreErrors(line: String, message: String) throws {
        let f = try T.fixture()
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        #expect { _ = try Self.export(f, corrections: "# checked\n" + line + "\n", into: dir) } throws: { error in
            "\(error)".hasPrefix(message)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path), "nothing is written")
    }

    @Test("6: a correction of an interview this export does not select is listed in the log as not applied")
    func correctionsOfUnselectedInterviewsAreLogged() throws {
        let f = try T.fixture()
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        let report = try Self.export(f, corrections: "set \(T.d) hh_size = 4 : call-back\n", into: dir)
        let log = try String(contentsOf: report.log, encoding: .utf8)
        #expect(log.contains("line 1: not applied: interview \(T.d) is not in this export (status in_progress not selected)"))
    }

    @Test("8: --wide puts a small roster into the interview table; an unknown label language is an error")
    func wideRostersAndLanguages() throws {
        let f = try T.fixture()
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        let report = try Self.export(f, into: dir, wide: ["mem"])
        #expect(!report.files.contains { $0.lastPathComponent == "t_mem.csv" })
        let header = try String(contentsOf: dir.appendingPathComponent("t.csv"), encoding: .utf8).split(separator: "\r\n")[0]
        #expect(header.contains(",m_age_1,m_age_2,m_age_3,") && header.hasSuffix(",m_age_15"))
        #expect { _ = try Self.export(f, into: try CentralFixture.temporaryDirectory(), language: "de") } throws: {
            "\($0)" == "the questionnaire has no texts in 'de'; its languages are hu, en"
        }
    }

    @Test("8: JSON Lines keeps text columns text: a special answer in a text is the string \"-8\"")
    func jsonLinesTextColumnsStayText() throws {
        var f = try CentralFixture(try CentralFixture.compile(T.source))
        let id = InterviewID("eeeeeeee-0000-4000-8000-000000000005")
        try f.merge(
            "lap-1", id,
            [
                f.started(), .answered(Address("hh_size"), .value(.integer(1))), .answered(Address("consent"), .value(.choice(1))),
                .answered(Address("m_age", rows: [1]), .special(.refused)), .answered(Address("prob"), .value(.choices([97]))),
                .answered(Address("remark"), .special(.dontKnow)), .ended(outcome: 11),
            ])
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        _ = try Self.export(f, formats: [.jsonl], into: dir)
        let line = try String(contentsOf: dir.appendingPathComponent("t.jsonl"), encoding: .utf8)
        #expect(line.contains("\"remark\":\"-8\""), "\(line)")
        #expect(line.contains("\"m_age\":-9"), "numbers stay numbers")
    }
}

/// Defect 7 and the paradata: notes, confirmation reasons and every event reach the analyst.
struct ParadataExportTests {
    static let source = """
        survey p {
          title hu "P" en "P"
          version "1"
          languages hu en
          specials dk rf
        }
        question age integer 0..110 {
          text hu "Kor?" en "Age?"
          warn chk_age if age > 100 hu "Biztosan {age}?" en "Really {age}?"
        }
        question phone text { optional pii maxlength 20 text hu "Telefon" en "Phone" }
        question likes yesno { text hu "Tetszik?" en "Likes?" }
        """

    @Test("7: notes and confirmation reasons are in <survey>_comments.csv; events with their seconds in _paradata.csv and _durations.csv")
    func commentsAndParadata() throws {
        var f = try CentralFixture(try CentralFixture.compile(Self.source))
        let id = InterviewID("abababab-0000-4000-8000-000000000001")
        // The fixture's clock moves 20 s per event.
        try f.merge(
            "lap-1", id,
            [
                f.started(), .shown(Address("age")), .answered(Address("age"), .value(.integer(70))),
                .answered(Address("age"), .value(.integer(104))),
                .warningConfirmed("chk_age", rows: [], reason: "Tényleg 104 éves, irattal"),
                .note(Address("age"), "Személyi igazolványt mutatott"), .shown(Address("phone")),
                .answered(Address("phone"), .special(.refused)), .note(Address("phone"), "+36 30 555 1234 a szomszédé"),
                .shown(Address("likes")), .answered(Address("likes"), .special(.dontKnow)), .note(nil, "Zajos lépcsőház"),
                .ended(outcome: 11),
            ])
        let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
        var request = ExportRequest(formats: [.csv], directory: dir)
        request.comments = true
        let report = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: "p", statuses: .all), request)
        #expect(report.files.map(\.lastPathComponent).contains("p_paradata.csv"))
        func rows(_ name: String) throws -> [[String]] {
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\r\n")
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        let comments = try rows("p_comments.csv")
        #expect(comments[0] == ["interview_id", "variable", "rows", "kind", "check", "time", "text"])
        #expect(comments.count == 4, "two notes and a reason; the phone's note is left out with the phone")
        #expect(comments[2].dropFirst() == ["age", "", "note", "", comments[2][5], "Személyi igazolványt mutatott"])
        #expect(comments[3].dropFirst() == ["", "", "note", "", comments[3][5], "Zajos lépcsőház"])
        let text = try String(contentsOf: dir.appendingPathComponent("p_comments.csv"), encoding: .utf8)
        #expect(text.contains("\r\n\(id),age,,reason,chk_age,") && text.contains(",\"Tényleg 104 éves, irattal\"\r\n"))
        #expect(!text.contains("555"))

        let paradata = try rows("p_paradata.csv")
        #expect(paradata[0] == ["interview_id", "event", "time", "device", "kind", "variable", "rows", "seconds"])
        let kinds = paradata.dropFirst().map { "\($0[4]) \($0[5])" }
        #expect(
            kinds == [
                "started ", "shown age", "answered age", "changed age", "warning_confirmed age", "note age", "shown phone",
                "answered phone", "note phone", "shown likes", "special likes", "note ", "ended ",
            ], "a refusal of the phone is not told apart; \(kinds)")
        #expect(paradata.dropFirst().dropLast().allSatisfy { $0[7] == "20" } && paradata.last?[7] == "0")
        let durations = try rows("p_durations.csv")
        #expect(
            durations.dropFirst().map { [$0[1], $0[3], $0[4], $0[5]] } == [
                ["age", "100", "1", "2"], ["phone", "60", "1", "1"], ["likes", "40", "1", "1"],
            ])
    }

    @Test("Comments may name people: left out under the default --pii drop, scrubbed with --comments, as typed with --pii keep")
    func commentsUnderPersonalDataModes() throws {
        var f = try CentralFixture(try CentralFixture.compile(Self.source))
        let id = InterviewID("abababab-0000-4000-8000-000000000002")
        try f.merge(
            "lap-1", id,
            [
                f.started(), .answered(Address("age"), .value(.integer(40))),
                .answered(Address("phone"), .value(.text("06 30 777 8899"))),
                .note(Address("age"), "Kovács Anna lánya válaszolt, a szomszéd Péter is ott volt."),
                .note(nil, "Visszahívás: 06-30/777-8899 vagy anna.kovacs@example.hu, este."),
                .note(nil, "A 0630 777 8899 számon elérhető, felmérés 2026-11-03 napján."), .ended(outcome: 11),
            ], interviewer: "Szabó Éva")
        func export(_ pii: PIIChoice, comments: Bool) throws -> (URL, String) {
            let dir = try CentralFixture.temporaryDirectory().appendingPathComponent("out")
            var request = ExportRequest(formats: [.csv], pii: pii, directory: dir)
            request.comments = comments
            let report = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: "p", statuses: .all), request)
            return (dir, try String(contentsOf: report.log, encoding: .utf8))
        }
        let (plain, log) = try export(.drop(), comments: false)
        #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent("p_comments.csv").path))
        #expect(log.contains("comments: 3 notes and confirmation reasons left out (free text may name people); --comments"), "\(log)")
        for (name, bytes) in try ExportDefectTests.everyFile(plain) {
            // The interviewer's pseudonym is a keyed hash, new in each export: 64 hex digits that
            // hold "777" in about one export in seventy. No part of the phone number may be
            // anywhere else.
            let text = String(decoding: bytes, as: UTF8.self).replacing(/[0-9a-f]{64}/, with: "#")
            for secret in ["Kovács", "Péter", "777", "example.hu"] {
                #expect(!text.contains(secret), "\(secret) in \(name)")
            }
        }

        let (scrubbed, scrubLog) = try export(.drop(), comments: true)
        let text = try String(contentsOf: scrubbed.appendingPathComponent("p_comments.csv"), encoding: .utf8)
        #expect(text.contains(",\"[name] lánya válaszolt, a szomszéd [name] is ott volt.\"\r\n"), "\(text)")
        #expect(text.contains(",\"Visszahívás: [phone] vagy [e-mail], este.\"\r\n"), "\(text)")
        #expect(text.contains(",\"A [phone] számon elérhető, felmérés 2026-11-03 napján.\"\r\n"), "a date is not a phone: \(text)")
        #expect(scrubLog.contains("comments: written (--comments) with names"), "\(scrubLog)")

        let (kept, _) = try export(.keep, comments: false)
        let asTyped = try String(contentsOf: kept.appendingPathComponent("p_comments.csv"), encoding: .utf8)
        #expect(asTyped.contains("anna.kovacs@example.hu") && asTyped.contains("Kovács Anna lánya"))
    }
}
