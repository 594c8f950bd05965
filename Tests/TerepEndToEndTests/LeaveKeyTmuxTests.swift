import Foundation
import SurveyModel
import SurveyStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The README's main command on a real terminal (tmux), as on a fresh machine: Ctrl-C asks, and
/// one key answers it, without Enter — `n` stays, `i` (`y` in English) leaves with exit status
/// 130 and the resume line, every confirmed answer kept and nothing typed after it; the printed
/// command resumes at the question where it stopped.
extension EndToEnd {
    @Suite(
        .timeLimit(.minutes(3)),
        .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux); these tests drive a real terminal"))
    struct LeaveKeyTmuxTests {
        @Test(arguments: ["hu", "en"])
        func ctrlCThenOneKeyLeavesTheReadmesInterview(_ ui: String) throws {
            let home = try TerepProcess.temporaryDirectory()
            let tmux = Tmux()
            defer {
                tmux.stop()
                try? FileManager.default.removeItem(at: home)
            }
            let binary = try TerepProcess.requireBinary().path
            // `terep interview questionnaires/wellbeing.survey` from the package root, an empty home.
            let env =
                "env -u NO_COLOR -u TEREP_DEVICE_DB -u XDG_DATA_HOME TERM=xterm-256color HOME='\(home.path)' USER=kovacs.anna"
            let lang = ui == "en" ? " --ui-lang en" : ""
            let command =
                "cd '\(TerepProcess.packageRoot.path)' && \(env) '\(binary)' interview questionnaires/wellbeing.survey\(lang); "
                + "echo EXIT=$?; sleep 120"
            try tmux.run(["new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command])
            let answers: [(String, String)] = [("sample_source", "1"), ("cluster_id", "K042"), ("address_id", "A-0193")]
            for (question, typed) in answers {
                try tmux.waitForQuestion(question)
                try tmux.type(typed)
            }
            try tmux.waitForQuestion("gps_lat")
            try tmux.run(["send-keys", "-t", "t", "-l", "48.1"])  // typed, not confirmed
            let question =
                ui == "hu"
                ? "Egy billentyű: i = kilépés, bármely más (n, Esc) = maradok" : "One key: y = leave, any other (n, Esc) = stay"
            // `n` alone stays: the question goes, what was typed comes back.
            try tmux.run(["send-keys", "-t", "t", "C-c"])
            _ = try tmux.waitFor(String(question.prefix(30)))
            try tmux.run(["send-keys", "-t", "t", "n"])
            let stayed = try tmux.waitFor(ui == "hu" ? "Folytatja az interjút." : "Carrying on with the interview.")
            #expect(stayed.contains("> 48.1"), "the typed text is back:\n\(stayed)")
            // Ctrl-C, then the leave key alone: out at once.
            try tmux.run(["send-keys", "-t", "t", "C-c"])
            _ = try tmux.waitFor(String(question.prefix(30)))
            try tmux.run(["send-keys", "-t", "t", ui == "hu" ? "i" : "y"])
            let end = try tmux.waitFor("EXIT=")
            #expect(end.contains("EXIT=130"), "\(end)")
            let resume =
                (ui == "hu" ? "Folytatás: " : "To resume: ") + "terep interview questionnaires/wellbeing.survey --resume "
            #expect(end.contains(resume), "\(end)")
            #expect(
                end.contains(ui == "hu" ? "Megszakítva (Ctrl-C). Minden megerősített válasz mentve." : "Interrupted (Ctrl-C)."), "\(end)")
            let id = try #require(
                end.components(separatedBy: resume).last?.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.map(String.init),
                "the resume line:\n\(end)")

            let database = home.appendingPathComponent(".local/share/terep/device.sqlite").path
            let store = try DeviceStore.open(path: database, readOnly: true)
            let record = try #require(try store.interviews().first)
            #expect(record.status == .inProgress)
            #expect(record.id.rawValue.hasPrefix(id))
            let stored = answered(try store.events(interview: record.id))
            #expect(stored[Address("sample_source")] == [.value(.choice(1))])
            #expect(stored[Address("cluster_id")] == [.value(.text("K042"))])
            #expect(stored[Address("address_id")] == [.value(.text("A-0193"))])
            #expect(stored[Address("gps_lat")] == nil, "what was typed and not confirmed is not saved")

            // The printed command resumes at the question where it stopped.
            try tmux.run([
                "respawn-pane", "-k", "-t", "t",
                "cd '\(TerepProcess.packageRoot.path)' && \(env) '\(binary)' interview --resume \(id)\(lang); echo EXIT2=$?; sleep 120",
            ])
            try tmux.waitForQuestion("gps_lat")
        }
    }
}
