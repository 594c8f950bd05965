import Foundation
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// The fieldworker's side with the real binary: a package received, `terep cases` (table
    /// and JSON), `terep interview --case`, the case list `terep interview` starts from, and
    /// `terep simulate` over the assigned cases.
    @Suite struct CaseEndToEndTests {
        let dir: URL
        let central: String
        let survey: String
        let db: String

        init() throws {
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
            survey = dir.appendingPathComponent("field.survey").path
            db = dir.appendingPathComponent("lap-1.sqlite").path
            try FieldTrialSurvey.source.write(toFile: survey, atomically: true, encoding: .utf8)
        }

        func terep(_ arguments: [String], stdin: String = "") throws -> TerepProcess.Result {
            try TerepProcess.run(arguments, stdin: stdin, environment: ["USER": "kata"])
        }

        /// A central dataset with the sample, and device lap-1 holding W-0001 and W-0002 from its package.
        func setUp() throws {
            let created = try terep(["central", "init", "--central", central])
            let signing = try #require(created.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            #expect(try terep(["central", "add-survey", "--central", central, survey]).status == 0)
            let sample = dir.appendingPathComponent("m.csv").path
            try FieldTrialSurvey.sample.write(toFile: sample, atomically: true, encoding: .utf8)
            #expect(try terep(["sample", "import", "--central", central, "--survey", "field", sample]).status == 0)
            let made = try terep([
                "device", "init", "--device-id", "lap-1", "--interviewer", "I", "--device-db", db, "--coordinator-key", signing,
            ])
            let lines = made.stdout.split(separator: "\n").map(String.init)
            let sealing = try #require(lines.first { $0.hasPrefix("x25519:") }), key = try #require(lines.last)
            let add = ["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key, "--encryption-key", sealing]
            #expect(try terep(add).status == 0)
            #expect(
                try terep(["assign", "--central", central, "--survey", "field", "--device", "lap-1", "--where", "district=6"]).status == 0)
            let package = dir.appendingPathComponent("lap-1.terepkg").path
            #expect(try terep(["package", "create", "--central", central, "--device", "lap-1", "-o", package]).status == 0)
            let received = try terep(["device", "receive", package, "--device-db", db])
            try #require(received.status == 0, "\(received.stderr)")
        }

        func statuses() throws -> [String: String] {
            let json = try terep(["cases", "--device-db", db, "--format", "json"])
            try #require(json.status == 0, "\(json.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            return Dictionary(
                uniqueKeysWithValues: rows.map { ($0["case_id"] as? String ?? "?", "\($0["status"] ?? "?") \($0["visits"] ?? "?")") })
        }

        @Test("terep cases lists the package's cases; interview --case and the case list record visits to them")
        func casesAndInterviews() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            try setUp()
            let table = try terep(["cases", "--device-db", db, "--ui-lang", "en"])
            #expect(table.status == 0)
            let rows = table.stdout.split(separator: "\n").map(String.init)
            #expect(rows.count == 3 && rows[0].hasPrefix("Case") && rows[1].hasPrefix("W-0001  Szondi György u. 3, 2/7"), "\(table.stdout)")
            #expect(rows[1].contains("new") && rows[1].hasSuffix("first visit"))
            #expect(try statuses() == ["W-0001": "new 0", "W-0002": "new 0"])

            let first = try terep(["interview", "--case", "W-0001", "--device-db", db], stdin: ".z 23\ni\n")
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(try statuses()["W-0001"] == "visited 1")
            let second = try terep(["interview", "--case", "W-0001", "--device-db", db], stdin: ".z 25\ni\n")
            #expect(second.status == 0 && second.stdout.contains("W-0001: 2. látogatás"), "\(second.stdout)\(second.stderr)")
            #expect(try statuses()["W-0001"] == "appointment 2")

            // No questionnaire and no --case: the numbered case list, then the picked case, and the
            // list again after it: W-0002 final now (refused), W-0001's third visit left with .q, q leaves.
            let picked = try terep(["interview", "--device-db", db], stdin: "2\n.z 21\ni\n2\n1\n.q\nq\n")
            #expect(picked.status == 0 && picked.stdout.contains("1  W-0001"), "\(picked.stdout)\(picked.stderr)")
            let out = picked.stdout
            #expect(out.components(separatedBy: "Melyik eset?").count - 1 == 4, "the list after each interview and refusal: \(out)")
            #expect(out.contains("A látogatás lezárva, eredmény: 21 (Visszautasítás).\n\nW-0002 — Állapota most: lezárt.\n"), "\(out)")
            #expect(out.contains("A(z) W-0002 eset lezárt: nincs vele teendő."))
            #expect(out.contains("W-0001: 3. látogatás"))
            #expect(out.contains("W-0001 — Állapota most: folyamatban. Minden megerősített válasz mentve, később folytatható."))
            #expect(try statuses()["W-0002"] == "final 1" && statuses()["W-0001"] == "in_progress 3")
            let done = try terep(["interview", "--case", "W-0002", "--device-db", db])
            #expect(done.status == 64 && done.stderr == "error: case W-0002 is final: nothing more to do\n", "\(done.stderr)")
            let unknown = try terep(["interview", "--case", "W-0003", "--device-db", db])
            #expect(unknown.status == 64 && unknown.stderr.contains("not one of this device's 2 cases"))
            let both = try terep(["interview", survey, "--case", "W-0001", "--device-db", db])
            #expect(both.status == 64 && both.stderr.contains("leave out the file"))
        }

        @Test("terep simulate without a questionnaire visits the device's open cases")
        func simulateAssignedCases() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            try setUp()
            let run = try terep(["simulate", "--device-db", db, "--seed", "5"])
            #expect(run.status == 0 && run.stdout.hasPrefix("Visited 2 assigned cases"), "\(run.stdout)\(run.stderr)")
            let after = try statuses()
            #expect(after.count == 2 && after.values.allSatisfy { !$0.hasPrefix("new") }, "\(after)")
            let empty = dir.appendingPathComponent("empty.sqlite").path
            #expect(try terep(["device", "init", "--device-id", "lap-9", "--interviewer", "I", "--device-db", empty]).status == 0)
            let none = try terep(["simulate", "--device-db", empty])
            #expect(none.status == 64 && none.stderr.contains("has no assigned cases"), "\(none.stderr)")
        }
    }
}
