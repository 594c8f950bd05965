import Foundation
import SurveyModel
import SurveyStore
import Testing

/// Issue 17 point 5 on a real terminal: an answer that makes an end rule end the interview is
/// confirmed first, naming the outcome; "no" leaves it unsaved; an ended interview is reopened
/// with a reason and lands on the question to correct.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)), .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux); these tests drive a real terminal"))
struct EndRuleTmuxTests {
    @Test func anEndRuleAsksFirstAndAnEndedInterviewIsReopened() throws {
        let dir = try TerepProcess.temporaryDirectory()
        let run = try TmuxInterview(
            survey: try MiniSurvey.write(into: dir), in: dir, arguments: ["--case", "cluster_id=K042"], width: 160)
        defer { run.stop() }
        // The preloaded cluster and the optional outcome question are skipped: hh_n16 comes first.
        try run.answer([("Hány 16 éves", "0")])
        try run.waitFor("Ez a válasz lezárja az interjút ezzel az eredménnyel: 42 (Nincs 16+ lakos).")
        try run.answer([("Rögzíti és lezárja?", "n")])
        try run.waitFor("A válasz nincs rögzítve, az interjú folytatódik; javítsa a választ.")
        var stored = try run.stored()
        #expect(stored.record.status == .inProgress)
        #expect(stored.answers[Address("hh_n16")] == nil, "a refused end leaves the answer unsaved")

        try run.tmux.type("0")
        try run.waitFor("Rögzíti és lezárja?")
        try run.tmux.type("i")
        #expect(try run.exitStatus() == 0)
        stored = try run.stored()
        #expect(stored.record.status == .ended && stored.record.outcome == 42)

        try run.start(["--reopen", String(stored.record.id.rawValue.prefix(8)), "--reason", "hh_n16 elgépelve"])
        try run.waitFor("Az interjú újranyitva: \(stored.record.id) (eddigi eredménye: 42).")
        try run.answer([("Hány 16 éves", "2"), ("Hozzájárul, hogy elkezdjük?", ".k")])
        #expect(try run.exitStatus() == 0)
        stored = try run.stored()
        #expect(stored.record.status == .inProgress && stored.record.outcome == nil)
        #expect(stored.answers[Address("hh_n16")] == [.value(.integer(0)), .value(.integer(2))])
        #expect(stored.kinds.contains(.reopened(reason: "hh_n16 elgépelve")))
    }
}
}
