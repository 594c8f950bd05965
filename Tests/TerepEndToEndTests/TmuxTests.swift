import Foundation
import SurveyModel
import SurveyStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A tmux server of its own, for driving terep on a real terminal.
struct Tmux {
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { path != nil }

    let socket = "terep-test-\(UUID().uuidString.prefix(8))"

    /// Runs a tmux client command and returns its output.
    ///
    /// Spawned with `posix_spawn`, not Foundation's `Process`: on Linux, `Process` learns that a
    /// child ended through a descriptor the child inherits, and the tmux server the first
    /// client forks keeps it open, so `waitUntilExit` would never return.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = false) throws -> String {
        let tmux = try #require(Tmux.path)
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { throw POSIXError(.EIO) }
        for fd in pipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Close every other inherited descriptor: the tmux server lives on and would keep
        // other tests' pipes open.
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([tmux, "-L", socket, "-f", "/dev/null"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { throw POSIXError(.ENOENT) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            output += chunk[..<n]
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// The descriptors open in this process.
    private func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// The visible screen; with `escapes`, including the ANSI styles.
    func screen(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-J"] + (escapes ? ["-e"] : []) + ["-t", "t"], capture: true)
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

    /// Stops the server and everything in its pane (kill-server alone has been seen to leave
    /// an idle server behind).
    func stop() {
        let pids = ((try? run(["display-message", "-p", "-t", "t", "#{pid} #{pane_pid}"], capture: true)) ?? "")
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
        _ = try? run(["kill-server"])
        for pid in pids.reversed() { kill(pid, SIGKILL) }
    }
}

/// terep interview --plain on a real terminal: colour, prompts, Ctrl-C, all read back from the screen.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(1)), .enabled(if: Tmux.available, "tmux is not installed; the real-terminal test needs it"))
    struct TmuxTests {
        @Test func interviewRunsOnARealTerminalAndCtrlCLeavesItResumable() throws {
            let dir = try TerepProcess.temporaryDirectory()
            let survey = try MiniSurvey.write(into: dir)
            let db = dir.appendingPathComponent("device.sqlite").path
            let binary = try TerepProcess.requireBinary().path
            let tmux = Tmux()
            defer { tmux.stop() }
            let command =
                "env -u NO_COLOR TERM=xterm-256color '\(binary)' interview '\(survey)' --device-db '\(db)' --plain; "
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
            // The line view asks too, saying the reply needs Enter: `i` alone does nothing yet.
            try tmux.run(["send-keys", "-t", "t", "C-c"])
            _ = try tmux.waitFor("i és Enter = kilépés, n és Enter = maradok")
            try tmux.run(["send-keys", "-t", "t", "i"])
            usleep(300_000)
            #expect(!(try tmux.screen()).contains("EXIT="))
            try tmux.run(["send-keys", "-t", "t", "Enter"])
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
                "NO_COLOR=1 '\(binary)' interview '\(survey)' --device-db '\(db)' --plain; sleep 60",
            ])
            _ = try tmux.waitFor("Mintavételi egység")
            #expect(!(try tmux.screen(escapes: true).contains("\u{1B}[1m")))
        }
    }
}
