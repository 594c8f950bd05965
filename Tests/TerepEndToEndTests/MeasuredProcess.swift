import Foundation
import Testing

/// Runs a program with its standard output and error going to chosen files (a capture file,
/// `/dev/full`…) and reports how it ended and its own peak memory.
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`), which forks the program and reads its
/// rusage with wait4. Reading our own child's rusage directly would not do: posix_spawn starts
/// the child on this (large) test process's memory (CLONE_VM), and Linux counts that memory's
/// high-water mark into the child's `ru_maxrss` when it execs. time's own child starts from
/// time's few pages, so its figure is the program's.
enum MeasuredProcess {
    static let time = "/usr/bin/time"
    struct Result {
        /// The exit status, or nil when a signal ended it.
        var status: Int32?
        /// The signal that ended it, if one did.
        var signal: Int32?
        var stdout: String
        var stderr: String
        /// Peak resident set size of the child, in bytes.
        var peakResidentBytes: Int
    }

    /// Runs `executable` with `arguments`; `stdoutPath`/`stderrPath` nil means a capture file
    /// whose text is returned. Environment: this process's, with `NO_COLOR=1` and `environment`.
    static func run(
        _ executable: String, _ arguments: [String], stdoutPath: String? = nil, stderrPath: String? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        let folder = try TerepProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outFile = stdoutPath ?? folder.appendingPathComponent("stdout").path
        let errFile = stderrPath ?? folder.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(
            FileManager.default.isExecutableFile(atPath: time),
            "GNU time is needed to measure peak memory: apt-get install time (.ci/run does)")
        let peakFile = folder.appendingPathComponent("peak").path
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        let argv = ([time, "-f", "%M", "-o", peakFile, "--", executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, time, &actions, nil, argv, envp)
        guard spawned == 0 else { throw SpawnError(message: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw SpawnError(message: "wait4 failed: \(String(cString: strerror(errno)))") }
        }
        // time exits with the program's status, or 128 + the signal that ended it.
        let exit = (status >> 8) & 0xFF
        let signal = status & 0x7F != 0 ? status & 0x7F : (exit > 128 ? exit - 128 : 0)
        // The last line of time's output is the peak in KiB (a line before it may say how the program ended).
        let report = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
        let peakKiB = report.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let peak = try #require(peakKiB, "no peak memory from \(time): \(report)")
        func text(_ path: String, captured: String?) -> String {
            captured == nil ? ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "") : ""
        }
        return Result(
            status: signal == 0 ? exit : nil, signal: signal == 0 ? nil : signal,
            stdout: text(outFile, captured: stdoutPath), stderr: text(errFile, captured: stderrPath),
            peakResidentBytes: peak * 1024)
    }

    struct SpawnError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
