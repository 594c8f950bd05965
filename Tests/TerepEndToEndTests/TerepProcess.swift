import Foundation
import Testing

/// Every end-to-end suite, run one test at a time: they start processes (terep, tmux) whose
/// inherited descriptors must not leak into each other.
@Suite(.serialized) enum EndToEnd {}

/// Runs the real `terep` binary built next to the test bundle.
enum TerepProcess {
    /// The package root, from this file's location (Tests/TerepEndToEndTests/…).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built `terep` executable: next to the test bundle, else in `.build/debug`.
    ///
    /// `swift test` links it because this test target depends on the `terep` target (without
    /// that dependency `swift test` compiles the module but never links the executable).
    static let binary: URL? = {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL {
            var dir = exe.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("terep"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/terep"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
    }()

    /// The binary, or a recorded failure saying how to build it.
    static func requireBinary() throws -> URL {
        try #require(binary, "the terep executable was not found next to the tests; run `swift build` first")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs terep with arguments and piped standard input; waits for it to exit.
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> Result {
        try run(executable: try requireBinary(), arguments, stdin: stdin, environment: environment)
    }

    /// Runs any executable the same way (no colour, 200 columns, piped input); waits for it to exit.
    static func run(
        executable: URL, _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = "200"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// A fresh temporary directory for one test's device database.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("terep-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A helper program failed; the message says why and how to fix the machine.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A pseudonymisation key file (32 fixed bytes) for exports whose pseudonyms must be the
    /// same from run to run (`--pii-key`).
    static func keyFile() throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("pii.key")
        try Data(repeating: 0x5A, count: 32).write(to: url)
        return url.path
    }

    /// A questionnaire from `questionnaires/`, or nil when it is not in the package yet.
    static func questionnaire(_ name: String) -> String? {
        let path = packageRoot.appendingPathComponent("questionnaires/\(name)").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

/// A running `terep interview` driven line by line: read the screen up to the prompt, answer.
final class InteractiveTerep {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    /// Everything read so far.
    private(set) var transcript = ""

    /// Starts terep with `environment` added to this process's, in `directory` when given.
    init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        process.executableURL = try TerepProcess.requireBinary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COLUMNS"] = "200"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        signal(SIGPIPE, SIG_IGN)  // writing to an exited terep must fail, not kill the tests
        try process.run()
    }

    /// Reads until the output ends with a prompt (`> ` or a soft-check question), or the process ends.
    /// - Returns: the text read since the last call, or nil when the process has exited.
    func readScreen() -> String? {
        var chunk = ""
        while true {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return chunk.isEmpty ? nil : chunk }
            buffer.append(data)
            let text = String(decoding: buffer, as: UTF8.self)
            buffer.removeAll()
            chunk += text
            transcript += text
            if chunk.hasSuffix("> ") || chunk.hasSuffix("javítom\n") || chunk.hasSuffix("correct it\n") { return chunk }
        }
    }

    /// Types a line; a terep that has already exited is not an error (its pipe is closed).
    func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    func wait() -> Int32 {
        closeInput()
        while readScreen() != nil {}
        process.waitUntilExit()
        return process.terminationStatus
    }
}
