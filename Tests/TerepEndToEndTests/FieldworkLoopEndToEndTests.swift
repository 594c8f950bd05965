import Foundation
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// Issue 12's done-means test, with the real binary: one coordinator and two laptops —
    /// import, assign, package, receive; three visits to one case (the non-contact final only
    /// after the third), an appointment, a reassignment, a rejection with a comment, the fix, an
    /// approval; merge, report and export, every figure checked against what the test did.
    ///
    /// Every command runs under faketime (libfaketime) at the day and hour the story needs, so
    /// the visits fall on the days and hours the `final` rule reads, and the coordinator's
    /// assignments and decisions on days of the same autumn.
    @Suite struct FieldworkLoopEndToEndTests {
        static let faketime = "/usr/bin/faketime"
        let dir: URL
        let central: String

        init() throws {
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
        }

        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

        /// `terep …` with the clock at `time` (local, `YYYY-MM-DD hh:mm`; it runs on from there).
        @discardableResult
        func terep(
            at time: String, _ arguments: [String], stdin: String = "", expect status: Int32 = 0
        ) throws -> TerepProcess.Result {
            try #require(
                FileManager.default.isExecutableFile(atPath: Self.faketime),
                "faketime sets the clocks in this test: apt-get install faketime (.ci/run does)")
            let binary = try TerepProcess.requireBinary().path
            let result = try TerepProcess.run(
                executable: URL(fileURLWithPath: Self.faketime), ["-f", "@\(time):00", binary] + arguments, stdin: stdin,
                environment: ["USER": "kata", "FAKETIME_DONT_FAKE_MONOTONIC": "1"])
            #expect(
                result.status == status, "terep \(arguments.joined(separator: " ")) at \(time): \(result.stdout)\(result.stderr)")
            return result
        }

        /// A visit to a case on a laptop: `lines` typed in the line view (English texts).
        @discardableResult
        func visit(_ device: String, _ caseID: String, at time: String, _ lines: [String]) throws -> TerepProcess.Result {
            try terep(
                at: time, ["interview", "--case", caseID, "--device-db", path("\(device).sqlite"), "--plain", "--ui-lang", "en"],
                stdin: lines.joined(separator: "\n") + "\n")
        }

        /// The coordinator's package for a device, received by it.
        func sendPackage(_ device: String, at time: String) throws {
            let file = path("\(device)-\(UUID().uuidString.prefix(6)).terepkg")
            try terep(at: time, ["package", "create", "--central", central, "--device", device, "-o", file])
            try terep(at: time, ["device", "receive", file, "--device-db", path("\(device).sqlite")])
        }

        /// A bundle of the device's new events, merged.
        func merge(_ device: String, at time: String) throws {
            let file = path("\(device)-\(UUID().uuidString.prefix(6)).terepbundle")
            try terep(at: time, ["bundle", "create", "--device-db", path("\(device).sqlite"), "-o", file])
            try terep(at: time, ["merge", "--central", central, file])
        }

        /// `terep cases --format json` of a device, by case id.
        func cases(_ device: String) throws -> [String: [String: Any]] {
            let listed = try terep(at: "2026-10-20 08:00", ["cases", "--device-db", path("\(device).sqlite"), "--format", "json"])
            let array = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: array.compactMap { c in (c["case_id"] as? String).map { ($0, c) } })
        }

        func status(_ device: String, _ caseID: String) throws -> String {
            let c = try cases(device)[caseID]
            return "\(c?["status"] ?? "?") \(c?["visits"] ?? "?")"
        }

        func report(today: String) throws -> [String: Any] {
            let made = try terep(
                at: "\(today) 08:00", ["report", "--central", central, "--survey", "field", "--today", today, "--format", "json"])
            return try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        }

        /// The export's CSV files as rows by column (no quoted commas in this test's data).
        func export(
            _ name: String, at time: String, pii: [String] = ["--pii", "keep"]
        ) throws -> (interviews: [[String: String]], visits: [[String: String]]) {
            let out = path(name)
            try terep(
                at: time, ["export", "--central", central, "--survey", "field", "--format", "csv", "--status", "all", "-o", out] + pii)
            func rows(_ file: String) throws -> [[String: String]] {
                let lines = try String(contentsOfFile: "\(out)/\(file)", encoding: .utf8).split(separator: "\r\n").map(String.init)
                let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return lines.dropFirst().map { line in
                    Dictionary(
                        uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
                }
            }
            return (try rows("field.csv"), try rows("field_visits.csv"))
        }

        /// The coordinator's dataset, questionnaire and sample; two laptops set up and registered;
        /// W-0001…W-0003 and the booster's E-0001 to lap-1, W-0004 to lap-2, each laptop's package received.
        func setUp() throws {
            let day = "2026-10-05 09:00"
            let created = try terep(at: day, ["central", "init", "--central", central])
            let signing = try #require(created.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("ed25519:") })
            let survey = path("field.survey")
            try FieldTrialSurvey.source.write(toFile: survey, atomically: true, encoding: .utf8)
            try terep(at: day, ["central", "add-survey", "--central", central, survey])
            let sample = path("minta.csv")
            try FieldTrialSurvey.sample.write(toFile: sample, atomically: true, encoding: .utf8)
            try terep(at: day, ["sample", "import", "--central", central, "--survey", "field", sample])
            for (device, interviewer) in [("lap-1", "K01"), ("lap-2", "K02")] {
                let made = try terep(
                    at: day,
                    [
                        "device", "init", "--device-id", device, "--interviewer", interviewer, "--device-db", path("\(device).sqlite"),
                        "--coordinator-key", signing,
                    ])
                let lines = made.stdout.split(separator: "\n").map(String.init)
                let sealing = try #require(lines.first { $0.hasPrefix("x25519:") }), key = try #require(lines.last)
                try terep(
                    at: day,
                    ["central", "add-device", "--central", central, "--device-id", device, "--key", key, "--encryption-key", sealing])
            }
            try terep(at: day, assign + ["--device", "lap-1", "--cases", "W-0001", "W-0002", "W-0003", "E-0001"])
            try terep(at: day, assign + ["--device", "lap-2", "--cases", "W-0004"])
            try sendPackage("lap-1", at: day)
            try sendPackage("lap-2", at: day)
            #expect(try status("lap-1", "W-0001") == "new 0" && status("lap-2", "W-0004") == "new 0")
        }

        var assign: [String] { ["assign", "--central", central, "--survey", "field", "--by", "Kovács Kata"] }

        @Test("one coordinator, two laptops: visits, the final rule, an appointment, a move, a rejection, the fix, an approval")
        func theWholeLoop() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            try setUp()
            try firstWeek()
            let third = try moveAndReview()
            try figures(fixed: third)
        }

        /// lap-1's first week: two non-contacts at W-0001 (not final), an appointment then the
        /// interview at W-0002, the booster's E-0001 at once; the report after it; the third
        /// non-contact, on a Saturday evening, makes W-0001 final.
        func firstWeek() throws {
            try visit("lap-1", "W-0001", at: "2026-10-06 10:00", [".z 23", "y"])  // Tuesday
            try visit("lap-1", "W-0001", at: "2026-10-07 11:00", [".z 23 szomszéd: este vannak otthon", "y"])  // Wednesday, a note
            let noted = try #require(try cases("lap-1")["W-0001"]?["last_visit"] as? [String: Any])
            #expect(noted["note"] as? String == "szomszéd: este vannak otthon" && noted["number"] as? Int == 2, "\(noted)")
            try visit("lap-1", "W-0002", at: "2026-10-06 12:00", [".z 25", "y"])
            #expect(try status("lap-1", "W-0002") == "appointment 1")
            // The second visit: Enter at the outcome question (the appointment's 25 is not kept).
            try visit("lap-1", "W-0002", at: "2026-10-08 17:30", ["52", "8", ""])
            try visit("lap-1", "E-0001", at: "2026-10-07 19:00", ["1", "33", "6", ""])  // the booster asks its district
            #expect(try status("lap-1", "W-0001") == "visited 2" && status("lap-1", "W-0002") == "completed 2")
            try merge("lap-1", at: "2026-10-08 20:00")

            // Two non-contacts, neither in the evening nor at a weekend: no non-contact counts yet.
            let r = try report(today: "2026-10-09")
            let outcomes = try #require(r["outcomes"] as? [String: Any])
            let codes = try #require(outcomes["codes"] as? [[String: Any]])
            let nc = try #require(codes.first { $0["code"] as? Int == 23 })
            #expect(nc["count"] as? Int == 0 && nc["notFinal"] as? Int == 1, "\(nc)")
            #expect(outcomes["rr1"] as? Double == 1.0 && outcomes["notFinal"] as? Int == 1, "W-0002, the only final case: \(outcomes)")
            let c = try #require(r["cases"] as? [String: Any])
            #expect(counts(c) == [4, 4, 2, 1, 1, 2], "sampled, assigned, visited, final, open, not visited: \(c)")
            let booster = try #require(c["leftOut"] as? [String: Any])
            #expect(booster["sampled"] as? Int == 1 && booster["visited"] as? Int == 1 && booster["final"] as? Int == 1, "\(booster)")
            #expect(c["visitsByWeekday"] as? [Int] == [0, 2, 1, 1, 0, 0, 0], "Tue ×2, Wed, Thu (the booster apart): \(c)")

            try visit("lap-1", "W-0001", at: "2026-10-10 18:00", [".z 23", "y"])  // Saturday evening
            #expect(try status("lap-1", "W-0001") == "final 3")
            try merge("lap-1", at: "2026-10-10 20:00")
        }

        /// W-0003 moves to lap-2 before any visit and is interviewed there (age 17); the
        /// supervisor comments on the age and rejects it; lap-2 fixes it (71); approved, it is
        /// locked on lap-2. Returns the interview's id.
        func moveAndReview() throws -> String {
            try terep(at: "2026-10-11 09:00", assign + ["--device", "lap-1", "--to", "lap-2", "--cases", "W-0003"])
            try sendPackage("lap-1", at: "2026-10-11 09:05")
            try sendPackage("lap-2", at: "2026-10-11 09:05")
            #expect(try status("lap-1", "W-0003") == "moved 0" && status("lap-2", "W-0003") == "new 0")
            try visit("lap-2", "W-0003", at: "2026-10-12 10:00", ["17", "5", "11"])  // Monday
            try merge("lap-2", at: "2026-10-12 20:00")

            let before = try export("export-1", at: "2026-10-12 21:00")
            let third = try #require(before.interviews.first { $0["address_id"] == "A0003" }?["interview_id"])
            #expect(before.interviews.first { $0["address_id"] == "A0003" }?["iv_review"] == "0")
            let review = ["review", "--central", central, "--interview", third]
            try terep(at: "2026-10-12 21:05", review + ["--question", "age", "--comment", "17 éves? Ellenőrizze."])
            try terep(at: "2026-10-12 21:06", review + ["--reject", "Az életkor hibás."])
            try sendPackage("lap-2", at: "2026-10-12 21:10")
            let rejected = try #require(try cases("lap-2")["W-0003"])
            #expect(rejected["status"] as? String == "rejected" && rejected["rejection"] as? String == "Az életkor hibás.", "\(rejected)")

            // The fix: the session says the rejection first and the comment at its question.
            let fix = try visit("lap-2", "W-0003", at: "2026-10-13 09:00", [".g age", "71", "", ""])
            #expect(fix.stdout.hasPrefix("W-0003: the fix the supervisor asked for (not a new visit)\n"), "\(fix.stdout)")
            #expect(fix.stdout.contains("Rejected — to fix (kata, 2026-10-12T21:06): Az életkor hibás."), "\(fix.stdout)")
            #expect(fix.stdout.contains("The supervisor's comment (kata): 17 éves? Ellenőrizze."), "\(fix.stdout)")
            try merge("lap-2", at: "2026-10-13 20:00")
            let fixed = try #require(try export("export-2", at: "2026-10-13 21:00").interviews.first { $0["interview_id"] == third })
            #expect(fixed["age"] == "71" && fixed["iv_review"] == "3", "fixed, waiting for review again: \(fixed)")

            try terep(at: "2026-10-14 08:00", review + ["--approve"])
            try sendPackage("lap-2", at: "2026-10-14 08:05")
            #expect(try status("lap-2", "W-0003") == "completed 1")
            let reopen = ["interview", path("field.survey"), "--device-db", path("lap-2.sqlite"), "--reopen", third, "--reason", "again"]
            let refused = try terep(at: "2026-10-14 10:00", reopen, expect: 64)
            #expect(refused.stderr.contains("was approved by kata on 2026-10-14T08:00"), "\(refused.stderr)")
            let locked = try terep(
                at: "2026-10-14 10:00", ["interview", "--case", "W-0003", "--device-db", path("lap-2.sqlite")], expect: 64)
            #expect(locked.stderr == "error: case W-0003 is completed and approved: it is locked\n", "\(locked.stderr)")
            return third
        }

        /// sampled, assigned, visited, final, open, not visited.
        func counts(_ c: [String: Any]) -> [Int] {
            ["sampled", "assigned", "visited", "final", "open", "notVisited"].map { c[$0] as? Int ?? -1 }
        }

        /// The report during the period and after it, and the export, against what the story did.
        func figures(fixed third: String) throws {
            let r = try report(today: "2026-10-20")
            let c = try #require(r["cases"] as? [String: Any])
            #expect(counts(c) == [4, 4, 3, 3, 0, 1], "W-0004 never visited: \(c)")
            #expect(c["dispositions"] as? [String: Int] == ["complete": 2, "noncontact": 1], "\(c)")
            #expect(c["rr1"] as? Double == 2.0 / 3.0 && c["con1"] as? Double == 2.0 / 3.0, "\(c)")
            let workload = try #require(c["workload"] as? [[String: Any]])
            let lap1 = try #require(workload.first { $0["device"] as? String == "lap-1" })
            let lap2 = try #require(workload.first { $0["device"] as? String == "lap-2" })
            #expect(["assigned", "visited", "completed", "final"].map { lap1[$0] as? Int } == [2, 2, 1, 2], "W-0001, W-0002: \(lap1)")
            #expect(lap1["visits"] as? Int == 3 + 2, "W-0001 ×3, W-0002 ×2 made on lap-1 (the booster's apart): \(lap1)")
            #expect(lap1["leftOutVisits"] as? Int == 1, "the booster's E-0001, made on lap-1: \(lap1)")
            #expect(
                ["assigned", "visited", "completed", "final", "visits", "leftOutVisits"].map { lap2[$0] as? Int } == [2, 1, 1, 1, 1, 0],
                "the fix is no visit: \(lap2)")
            #expect(lap1["interviewers"] as? [String] == ["K01"] && lap2["interviewers"] as? [String] == ["K02"])
            // W-0004, assigned on 5 October, has had no visit for 15 days.
            let stale = try #require(c["stale"] as? [[String: Any]])
            #expect(stale.count == 1 && stale[0]["caseID"] as? String == "W-0004" && stale[0]["days"] as? Int == 15, "\(stale)")
            // Address-sample visits: Tue 10:00, Wed 11:00, Sat 18:00 (W-0001); Tue 12:00, Thu 17:30 (W-0002); Mon 10:00 (W-0003).
            #expect(c["visitsByWeekday"] as? [Int] == [1, 2, 1, 1, 0, 1, 0], "\(c)")
            let hours = try #require(c["visitsByHour"] as? [Int])
            #expect(
                hours[10] == 2 && hours[11] == 1 && hours[12] == 1 && hours[17] == 1 && hours[18] == 1 && hours.reduce(0, +) == 6,
                "\(hours)")
            let outcomes = try #require(r["outcomes"] as? [String: Any])
            let codes = try #require(outcomes["codes"] as? [[String: Any]])
            #expect(codes.first { $0["code"] as? Int == 23 }?["count"] as? Int == 1)
            #expect(codes.first { $0["code"] as? Int == 11 }?["count"] as? Int == 2)
            #expect(outcomes["notFinal"] as? Int == 0)
            let over = try #require(try report(today: "2026-12-20")["cases"] as? [String: Any])
            #expect(over["periodOver"] as? Bool == true)
            #expect(
                over["dispositions"] as? [String: Int] == ["complete": 2, "noncontact": 1, "unknown": 1], "W-0004 never visited: \(over)")
            #expect(over["rr1"] as? Double == 0.5)
            try exported(fixed: third)
        }

        /// The export: the fieldwork columns of each interview and one row per visit.
        func exported(fixed third: String) throws {
            let (main, visits) = try export("export-3", at: "2026-10-20 09:00")
            let byAddress = Dictionary(uniqueKeysWithValues: main.compactMap { row in row["address_id"].map { ($0, row) } })
            let fields = ["iv_outcome", "iv_visits", "iv_final", "iv_review", "outcome", "age"]
            #expect(byAddress["A0001"].map { r in fields.map { r[$0] ?? "?" } } == ["23", "3", "1", "0", "23", ""])
            #expect(byAddress["A0002"].map { r in fields.map { r[$0] ?? "?" } } == ["11", "2", "1", "0", "11", "52"])
            #expect(byAddress["A0003"].map { r in fields.map { r[$0] ?? "?" } } == ["11", "1", "1", "1", "11", "71"])
            #expect(byAddress["E0001"].map { r in fields.map { r[$0] ?? "?" } } == ["11", "1", "1", "0", "11", "33"])
            #expect(byAddress["A0003"]?["interview_id"] == third && byAddress["A0003"]?["iv_device"] == "lap-2")
            // One row per visit: W-0001 ×3, W-0002 ×2, W-0003 (the fix on the 13th is no visit: the visit keeps
            // its own end), E-0001.
            // (To the minute: each command's clock runs on from the minute it is set to.)
            let listed = visits.map { v in
                ["case_id", "visit", "start", "end", "outcome"].map { String((v[$0] ?? "?").prefix(16)) }.joined(separator: " ")
            }
            #expect(
                listed.sorted() == [
                    "E-0001 1 2026-10-07T19:00 2026-10-07T19:00 11",
                    "W-0001 1 2026-10-06T10:00 2026-10-06T10:00 23",
                    "W-0001 2 2026-10-07T11:00 2026-10-07T11:00 23",
                    "W-0001 3 2026-10-10T18:00 2026-10-10T18:00 23",
                    "W-0002 1 2026-10-06T12:00 2026-10-06T12:00 25",
                    "W-0002 2 2026-10-08T17:30 2026-10-08T17:30 11",
                    "W-0003 1 2026-10-12T10:00 2026-10-12T10:00 11",
                ], "\(listed)")
            for row in main { #expect(visits.filter { $0["interview_id"] == row["interview_id"] }.count == Int(row["iv_visits"] ?? "")) }
            // The note typed with the second visit's code (--pii keep writes the comments, and so the notes).
            #expect(visits.map { $0["note"] ?? "?" }.filter { !$0.isEmpty } == ["szomszéd: este vannak otthon"], "\(visits)")
            #expect(visits.first { $0["note"] != "" }?["visit"] == "2")
            // Without the comments (the default under --pii drop), no note either.
            let plain = try export("export-4", at: "2026-10-20 09:05", pii: [])
            #expect(plain.visits.count == visits.count && plain.visits.allSatisfy { $0["note"] == "" }, "\(plain.visits)")
        }
    }
}
