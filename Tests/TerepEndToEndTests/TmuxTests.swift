import Foundation
import SurveyModel
import SurveyStore
import Testing

/// A tmux server of its own, for driving terep on a real terminal.
struct Tmux {
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { path != nil }

    let socket = "terep-test-\(UUID().uuidString.prefix(8))"

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Tmux.path))
        process.arguments = ["-L", socket, "-f", "/dev/null"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The visible screen; with `escapes`, including the ANSI styles.
    func screen(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-J"] + (escapes ? ["-e"] : []) + ["-t", "t"])
    }

    /// Waits (up to 15 s) until the screen shows `text`.
    func waitFor(_ text: String) throws -> String {
        var last = ""
        for _ in 0..<300 {
            last = try screen()
            if last.contains(text) { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for '\(text)'; screen:\n\(last)")
        return last
    }

    func type(_ line: String) throws {
        if !line.isEmpty { try run(["send-keys", "-t", "t", "-l", line]) }
        try run(["send-keys", "-t", "t", "Enter"])
    }

    func stop() { _ = try? run(["kill-server"]) }
}

/// terep interview on a real terminal: colour, prompts, Ctrl-C, all read back from the screen.
@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed; the real-terminal test needs it"))
struct TmuxTests {
    @Test func interviewRunsOnARealTerminalAndCtrlCLeavesItResumable() throws {
        let dir = try TerepProcess.temporaryDirectory()
        let survey = try MiniSurvey.write(into: dir)
        let db = dir.appendingPathComponent("device.sqlite").path
        let binary = try TerepProcess.requireBinary().path
        let tmux = Tmux()
        defer { tmux.stop() }
        let command = "env -u NO_COLOR TERM=xterm-256color '\(binary)' interview '\(survey)' --device-db '\(db)'; "
            + "echo EXIT=$?; sleep 60"
        try tmux.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "40", command])

        _ = try tmux.waitFor("Mintavételi egység")
        #expect(try tmux.screen(escapes: true).contains("\u{1B}[1m"), "a real terminal gets ANSI styles")
        try tmux.type("K1")
        _ = try tmux.waitFor("Látogatás eredménye")
        try tmux.type("")
        _ = try tmux.waitFor("Hány 16 éves")
        try tmux.type("2")
        let screen = try tmux.waitFor("Hozzájárul, hogy elkezdjük?")
        #expect(screen.contains("consent  4/"))
        try tmux.run(["send-keys", "-t", "t", "C-c"])
        let end = try tmux.waitFor("EXIT=")
        #expect(end.contains("Megszakítva (Ctrl-C)."))
        #expect(end.contains("EXIT=130"))

        let store = try DeviceStore.open(path: db, readOnly: true)
        let record = try #require(try store.interviews().first)
        #expect(record.status == .inProgress)
        let answers = answered(try store.events(interview: record.id))
        #expect(answers[Address("cluster_id")] == [.value(.text("K1"))])
        #expect(answers[Address("hh_n16")] == [.value(.integer(2))])
    }

    @Test func noColorTurnsStylesOffOnARealTerminal() throws {
        let dir = try TerepProcess.temporaryDirectory()
        let survey = try MiniSurvey.write(into: dir)
        let binary = try TerepProcess.requireBinary().path
        let tmux = Tmux()
        defer { tmux.stop() }
        let db = dir.appendingPathComponent("device.sqlite").path
        try tmux.run([
            "new-session", "-d", "-s", "t", "-x", "100", "-y", "40",
            "NO_COLOR=1 '\(binary)' interview '\(survey)' --device-db '\(db)'; sleep 60",
        ])
        _ = try tmux.waitFor("Mintavételi egység")
        #expect(!(try tmux.screen(escapes: true).contains("\u{1B}[1m")))
    }
}
