import Foundation
import Testing

extension EndToEnd {
    /// `terep review` with the real binary over a merged central dataset: decisions are logged
    /// with who and when; what is refused is one line and records nothing.
    @Suite struct ReviewEndToEndTests {
        static let sqlite3 = "/usr/bin/sqlite3"

        /// Rows of a query on a database, each row's columns split at `|`.
        static func query(_ db: String, _ sql: String) throws -> [[String]] {
            try #require(
                FileManager.default.isExecutableFile(atPath: sqlite3),
                "the sqlite3 command-line shell reads the central dataset here: apt-get install sqlite3 (.ci/run does)")
            let result = try TerepProcess.run(executable: URL(fileURLWithPath: sqlite3), [db, sql])
            try #require(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        }

        @Test("review: reject with a comment at an answer, approve; refusals name why and change nothing")
        func reviewAfterMerge() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = try ReportEndToEndTests.centralDataset(dir)
            let completes = try Self.query(central, "SELECT id FROM interview WHERE outcome = 11 ORDER BY id").map { $0[0] }
            try #require(completes.count >= 2, "the simulation gave fewer than 2 completes")
            let (first, second) = (completes[0], completes[1])
            func review(_ arguments: [String]) throws -> TerepProcess.Result {
                try TerepProcess.run(["review", "--central", central, "--by", "Kovács Kata"] + arguments)
            }

            let comment = try review(["--interview", first, "--question", "hh_n16", "--comment", "Ellenőrizze!"])
            #expect(comment.status == 0 && comment.stdout.contains("Commented on hh_n16 of interview \(first)"), "\(comment.stderr)")
            let rejected = try review(["--interview", String(first.prefix(12)), "--reject", "Hiányzik a háztartás."])
            #expect(rejected.status == 0 && rejected.stdout.hasPrefix("Rejected interview \(first) (log entry"), "\(rejected.stderr)")
            let approved = try review(["--interview", second, "--approve"])
            #expect(approved.status == 0 && approved.stdout.hasPrefix("Approved interview \(second)"), "\(approved.stderr)")

            let log = try Self.query(
                central,
                "SELECT action, actor, interview_id, question, text, reviewed_sequence IS NOT NULL FROM fieldwork_log ORDER BY sequence")
            #expect(
                log == [
                    ["commented", "Kovács Kata", first, "hh_n16", "Ellenőrizze!", "1"],
                    ["rejected", "Kovács Kata", first, "", "Hiányzik a háztartás.", "1"],
                    ["approved", "Kovács Kata", second, "", "", "1"],
                ])

            for (arguments, words) in [
                (["--interview", first, "--question", "nosuch", "--comment", "x"], "has no such question"),
                (["--interview", "zzzz", "--approve"], "no interview in the central dataset has this id"),
                (["--interview", first, "--reject", " "], "say what is wrong"),
            ] {
                let refused = try review(arguments)
                #expect(refused.status == 1 && refused.stdout.isEmpty, "\(arguments)")
                #expect(refused.stderr.hasPrefix("error: ") && refused.stderr.contains(words), "\(refused.stderr)")
                #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
            }
            let both = try review(["--interview", first, "--approve", "--reject", "x"])
            #expect(both.status == 64 && both.stderr.contains("exactly one of"), "\(both.stderr)")
            #expect(try Self.query(central, "SELECT count(*) FROM fieldwork_log") == [["3"]], "the refusals recorded nothing")
        }
    }
}
