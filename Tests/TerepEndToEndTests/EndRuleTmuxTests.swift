import Foundation
import SurveyModel
import SurveyStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 17 point 5 on a real terminal: an answer that makes an end rule end the interview is
/// confirmed first, naming the outcome; "no" leaves it unsaved; an ended interview is reopened
/// with a reason and lands on the question to correct. Only texts both views show are waited
/// for (the prompt, the messages, the question), so it holds for the full screen and the line view.
extension EndToEnd {
    @Suite(
        .timeLimit(.minutes(3)),
        .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux); these tests drive a real terminal"))
    struct EndRuleTmuxTests {
        /// The full screen (the default on a terminal) and the line view (`--plain`) share the controller.
        @Test(arguments: [[], ["--plain"]])
        func anEndRuleAsksFirstAndAnEndedInterviewIsReopened(_ view: [String]) throws {
            let dir = try TerepProcess.temporaryDirectory()
            let run = try TmuxInterview(
                survey: try MiniSurvey.write(into: dir), in: dir, arguments: ["--case", "cluster_id=K042"] + view, width: 160)
            defer { run.stop() }
            // The preloaded cluster and the optional outcome question are skipped: hh_n16 comes first.
            try run.waitFor("Hány 16 éves")
            #expect(run.alternateScreen == view.isEmpty, "the full screen is up unless --plain")
            try run.tmux.type("0")
            try run.waitFor("Ez a válasz lezárja az interjút ezzel az eredménnyel: 42 (Nincs 16+ lakos).")
            try run.tmux.type("n")
            try run.waitFor("A válasz nincs rögzítve, az interjú folytatódik; javítsa a választ.")
            var stored = try run.stored()
            #expect(stored.record.status == .inProgress)
            #expect(stored.answers[Address("hh_n16")] == nil, "a declined end leaves the answer unsaved")

            // The full screen puts the declined "0" back on the input line: "00" is 0 as well.
            // Keys are read in order, so "i" answers the confirmation this "0" asks for again.
            try run.tmux.type("0")
            try run.tmux.type("i")
            #expect(try run.exitStatus() == 0)
            stored = try run.stored()
            #expect(stored.record.status == .ended && stored.record.outcome == 42)
            #expect(stored.answers[Address("hh_n16")] == [.value(.integer(0))])

            try run.start(["--reopen", String(stored.record.id.rawValue.prefix(8)), "--reason", "hh_n16 elgépelve"] + view)
            try waitUntil { !(try run.tmux.screen()).contains("EXIT1=") }  // the pane was cleared for the new run
            try run.waitFor("Hány 16 éves")
            try run.tmux.type("2")
            try run.waitFor("Hozzájárul, hogy elkezdjük?")
            try run.tmux.type(".k")
            #expect(try run.exitStatus() == 0)
            // Printed before the session starts: on the normal screen once the full screen is gone.
            #expect(try run.tmux.screen().contains("Az interjú újranyitva: \(stored.record.id) (eddigi eredménye: 42)."))
            stored = try run.stored()
            #expect(stored.record.status == .inProgress && stored.record.outcome == nil)
            #expect(stored.answers[Address("hh_n16")] == [.value(.integer(0)), .value(.integer(2))])
            #expect(stored.kinds.contains(.reopened(reason: "hh_n16 elgépelve")))
        }

        /// Polls `condition` for up to 15 s.
        private func waitUntil(_ condition: () throws -> Bool) throws {
            for _ in 0..<300 {
                if try condition() { return }
                usleep(50_000)
            }
            Issue.record("timed out")
        }
    }
}
