import Foundation
import SurveyTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// `terep interview` with no questionnaire on a real terminal (tmux): the full-screen case
    /// list, as the golden capture shows it; Enter opens the case's interview on the same screen,
    /// and when it ends (or the fieldworker leaves it) the list is back with the new statuses; a
    /// final case is refused on the list, which goes on; Esc leaves with the terminal given back.
    @Suite(
        .timeLimit(.minutes(3)),
        .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux); these tests drive a real terminal"))
    struct CaseListTmuxTests {
        static let golden = goldenDirectory() + "/../TerminalInterviewerTests/Golden/caselist-tmux-hu-80x24.txt"

        /// Starts `terep interview --device-db DB` in an 80×24 pane; the pane prints `EXIT<run>=` when it ends.
        static func start(_ tmux: Tmux, db: String, run: Int, first: Bool) throws {
            let binary = try TerepProcess.requireBinary().path
            let command = "env -u NO_COLOR TERM=xterm-256color '\(binary)' interview --device-db '\(db)'; echo EXIT\(run)=$?; sleep 120"
            if first {
                try tmux.run(["new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command])
            } else {
                try tmux.run(["respawn-pane", "-k", "-t", "t", "clear; " + command])
            }
        }

        static func exitStatus(_ tmux: Tmux, run: Int) throws -> Int? {
            let marker = "EXIT\(run)="
            let screen = try tmux.waitFor(marker)
            return screen.split(separator: "\n").last { $0.hasPrefix(marker) }.flatMap { Int($0.dropFirst(marker.count)) }
        }

        static func alternateScreen(_ tmux: Tmux) -> Bool {
            ((try? tmux.run(["display-message", "-p", "-t", "t", "#{alternate_on}"], capture: true)) ?? "").hasPrefix("1")
        }

        /// The screen without the trailing spaces `capture-pane -J` keeps.
        static func trimmed(_ screen: String) -> String {
            screen.split(separator: "\n", omittingEmptySubsequences: false)
                .map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
        }

        static let reviewGolden = goldenDirectory() + "/../TerminalInterviewerTests/Golden/screen-review-tmux-hu-80x24.txt"
        static let backGolden = goldenDirectory() + "/../TerminalInterviewerTests/Golden/caselist-back-tmux-hu-80x24.txt"

        /// W-0001 interviewed on the device (age 34, complete), its bundle merged, rejected with a
        /// comment at `age`, and the next package received: the case is "rejected — to fix".
        static func rejected(_ cases: CaseEndToEndTests) throws -> String {
            try cases.setUp()
            let done = try cases.terep(["interview", "--case", "W-0001", "--device-db", cases.db], stdin: "34\n7\n11\ni\n")
            try #require(done.status == 0, "\(done.stdout)\(done.stderr)")
            let bundle = cases.dir.appendingPathComponent("lap-1.terepbundle").path
            try #require(try cases.terep(["bundle", "create", "-o", bundle, "--device-db", cases.db]).status == 0)
            try #require(try cases.terep(["merge", "--central", cases.central, bundle]).status == 0)
            let json = try cases.terep(["cases", "--device-db", cases.db, "--format", "json"])
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let id = try #require(rows.first { $0["case_id"] as? String == "W-0001" }?["interview_id"] as? String)
            let review = ["review", "--central", cases.central, "--by", "Sári", "--interview", id]
            try #require(try cases.terep(review + ["--question", "age", "--comment", "Tényleg 34? A listán 43."]).status == 0)
            try #require(try cases.terep(review + ["--reject", "Ellenőrizze az életkort."]).status == 0)
            let package = cases.dir.appendingPathComponent("lap-1-2.terepkg").path
            try #require(
                try cases.terep(["package", "create", "--central", cases.central, "--device", "lap-1", "-o", package]).status == 0)
            try #require(try cases.terep(["device", "receive", package, "--device-db", cases.db]).status == 0)
            return id
        }

        /// The screen with what changes from run to run (times, the interview's id) masked.
        static func masked(_ screen: String, id: String) -> String {
            trimmed(screen).replacingOccurrences(of: id, with: "ID").replacingOccurrences(of: String(id.prefix(8)), with: "xxxxxxxx")
                .replacing(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d/, with: "ÉÉÉÉ-HH-NN ÓÓ:PP")
        }

        /// The rejected case from the full-screen list: its reason under the list; Enter opens its
        /// interview at the commented question, the comment with it; the fix is saved; leaving the
        /// interview (Ctrl-C, yes) comes back to the list, and Esc leaves it.
        @Test func aRejectedCaseOpensAtTheCommentedQuestion() throws {
            let cases = try CaseEndToEndTests()
            defer { try? FileManager.default.removeItem(at: cases.dir) }
            let id = try Self.rejected(cases)
            let tmux = Tmux()
            defer { tmux.stop() }
            try Self.start(tmux, db: cases.db, run: 1, first: true)
            var screen = try tmux.waitFor("Visszaküldés oka: Ellenőrizze az életkort.")
            #expect(screen.contains("visszaküldve — javítandó"), "\(screen)")
            try tmux.type("")
            screen = try tmux.waitFor("Tényleg 34? A listán 43.")
            #expect(TmuxInterview.currentQuestion(in: screen) == "age", "opens at the commented question:\n\(screen)")
            let capture = Self.masked(screen, id: id).split(separator: "\n", omittingEmptySubsequences: false).prefix(24)
            assertGolden(capture.joined(separator: "\n") + "\n", file: Self.reviewGolden)
            try tmux.type("43")
            _ = try tmux.waitFor("satisfied")
            try tmux.run(["send-keys", "-t", "t", "C-c"])
            _ = try tmux.waitFor("Kilép?")
            try tmux.run(["send-keys", "-t", "t", "i"])  // one key, no Enter
            screen = try tmux.waitFor("W-0001 — Állapota most: folyamatban. Minden megerősített válasz mentve")
            #expect(screen.contains("folyamatban"), "the list shows the new status: \(screen)")
            #expect(Self.alternateScreen(tmux), "back on the list, not out of the program")
            try tmux.run(["send-keys", "-t", "t", "Escape"])
            #expect(try Self.exitStatus(tmux, run: 1) == 0, "the list left with Esc")
            #expect(!Self.alternateScreen(tmux))
            let answers = try cases.terep(["cases", "--device-db", cases.db, "--format", "json"])
            #expect(answers.stdout.contains("\"status\" : \"in_progress\""), "\(answers.stdout)")
        }

        @Test func theCaseListIsAFullScreenAndEnterOpensTheCase() throws {
            let cases = try CaseEndToEndTests()
            defer { try? FileManager.default.removeItem(at: cases.dir) }
            try cases.setUp()
            let tmux = Tmux()
            defer { tmux.stop() }

            try Self.start(tmux, db: cases.db, run: 1, first: true)
            var screen = try tmux.waitFor("W-0002")
            #expect(Self.alternateScreen(tmux), "the case list is on the terminal's alternate screen")
            // The whole screen as the golden capture has it (both cases new, the first selected).
            let capture = Self.trimmed(screen).split(separator: "\n", omittingEmptySubsequences: false).prefix(24)
                .joined(separator: "\n")
            assertGolden(capture + "\n", file: Self.golden)

            // Down, Enter: W-0002's interview on the same screen; the visit ends with a refusal (final).
            try tmux.run(["send-keys", "-t", "t", "Down", "Enter"])
            screen = try tmux.waitFor("Terepi próba")
            #expect(screen.contains("W-0002") || screen.contains("cluster_id=B12"), "\(screen)")
            #expect(Self.alternateScreen(tmux))
            try tmux.type(".z 21")
            _ = try tmux.waitFor("Lezárja?")
            try tmux.type("i")
            // Back on the list: W-0002 final now, still selected, what the visit's end said below.
            screen = try tmux.waitFor("W-0002 — Állapota most: lezárt. A látogatás lezárva, eredmény: 21")
            #expect(Self.alternateScreen(tmux), "the list takes the screen back")
            let back = Self.trimmed(screen).split(separator: "\n", omittingEmptySubsequences: false).prefix(24)
                .joined(separator: "\n")
            assertGolden(back.replacing(/\d{4}-\d\d-\d\d \d\d:\d\d/, with: "ÉÉÉÉ-HH-NN ÓÓ:PP") + "\n", file: Self.backGolden)
            #expect(try cases.statuses()["W-0002"] == "final 1")
            try tmux.run(["send-keys", "-t", "t", "Escape"])
            #expect(try Self.exitStatus(tmux, run: 1) == 0)
            #expect(!Self.alternateScreen(tmux), "the terminal is given back")

            // Again: W-0002 is final now; Enter on it is refused on the list, which stays; Esc leaves.
            try Self.start(tmux, db: cases.db, run: 2, first: false)
            _ = try tmux.waitFor("lezárt")
            try tmux.run(["send-keys", "-t", "t", "-l", "0002"])
            screen = try tmux.waitFor("Keresés: 0002  (1 találat)")
            try tmux.type("")
            screen = try tmux.waitFor("A(z) W-0002 eset lezárt: nincs vele teendő.")
            #expect(Self.alternateScreen(tmux), "the list stays after a refusal")
            // q is a letter while the search field is open; Esc clears and closes it; then q leaves.
            try tmux.run(["send-keys", "-t", "t", "-l", "q"])
            _ = try tmux.waitFor("Keresés: 0002q  (0 találat)")
            try tmux.run(["send-keys", "-t", "t", "Escape"])
            screen = try tmux.waitFor("W-0001")
            #expect(!screen.contains("Keresés"), "the first Esc clears the search: \(screen)")
            #expect(screen.contains("q/Esc kilépés"), "\(screen)")
            try tmux.run(["send-keys", "-t", "t", "-l", "q"])
            #expect(try Self.exitStatus(tmux, run: 2) == 0, "the list left with q")
            #expect(!Self.alternateScreen(tmux))
            #expect(try cases.statuses() == ["W-0001": "new 0", "W-0002": "final 1"])
        }
    }
}
