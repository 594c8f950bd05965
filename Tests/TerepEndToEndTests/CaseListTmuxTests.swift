import Foundation
import SurveyTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// `terep interview` with no questionnaire on a real terminal (tmux): the full-screen case
    /// list, as the golden capture shows it; Enter opens the case's interview on the same screen;
    /// a final case is refused on the list, which goes on; Esc leaves with the terminal given back.
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
            #expect(try Self.exitStatus(tmux, run: 1) == 0)
            #expect(!Self.alternateScreen(tmux), "the terminal is given back")
            #expect(try cases.statuses()["W-0002"] == "final 1")

            // Again: W-0002 is final now; Enter on it is refused on the list, which stays; Esc leaves.
            try Self.start(tmux, db: cases.db, run: 2, first: false)
            _ = try tmux.waitFor("lezárt")
            try tmux.run(["send-keys", "-t", "t", "-l", "0002"])
            screen = try tmux.waitFor("Keresés: 0002  (1 találat)")
            try tmux.type("")
            screen = try tmux.waitFor("A(z) W-0002 eset lezárt: nincs vele teendő.")
            #expect(Self.alternateScreen(tmux), "the list stays after a refusal")
            try tmux.run(["send-keys", "-t", "t", "Escape"])
            screen = try tmux.waitFor("W-0001")
            #expect(!screen.contains("Keresés"), "the first Esc clears the search: \(screen)")
            try tmux.run(["send-keys", "-t", "t", "Escape"])
            #expect(try Self.exitStatus(tmux, run: 2) == 0)
            #expect(!Self.alternateScreen(tmux))
            #expect(try cases.statuses() == ["W-0001": "new 0", "W-0002": "final 1"])
        }
    }
}
