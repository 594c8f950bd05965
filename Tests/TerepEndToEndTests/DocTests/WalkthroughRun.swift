import Foundation
import Testing

/// Runs a `Walkthrough` with the real binary in a fresh folder (loopback only: no step reaches
/// the network) and says, for each step that does not do what its document says, `file:line`,
/// what disagrees and what to do.
///
/// The folder holds `questionnaires/` (the package's), empty `bundles/`, `inbox/` and `exports/`,
/// and `home/` as `$HOME` (the default device database lives there); `terep` is first on `PATH`.
/// A `terep interview` that is not `--list` is answered to its end by `ScreenAnswerer` through
/// piped input (the line view). Values a step prints are given to later steps: a transcript's
/// key, fingerprint or id stands for the real one in later commands, and `placeholders` name the
/// printed value an elided argument (`--to x25519:…`) stands for.
final class WalkthroughRun {
    let walkthrough: Walkthrough
    let folder: URL
    /// An elided argument → the label of the printed line whose key it stands for
    /// (`"--to x25519:…": "Coordinator public key"`); `interview` is the last interview started.
    let placeholders: [String: String]
    private(set) var findings: [String] = []
    /// The document's value → the real one (from transcripts).
    private var bindings: [String: String] = [:]
    /// A label (`Device public key`) → the key printed on the line after it.
    private var printed: [String: String] = [:]
    /// How long one step may take before it is stopped (a server, or a command waiting for input).
    static let stepTimeout: TimeInterval = 90

    init(_ walkthrough: Walkthrough, placeholders: [String: String] = [:]) throws {
        self.walkthrough = walkthrough
        self.placeholders = placeholders
        folder = try TerepProcess.temporaryDirectory()
        let files = FileManager.default
        try files.createSymbolicLink(
            at: folder.appendingPathComponent("questionnaires"),
            withDestinationURL: TerepProcess.packageRoot.appendingPathComponent("questionnaires"))
        for name in ["bundles", "inbox", "exports", "home"] {
            try files.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var environment: [String: String] {
        let binary = (try? TerepProcess.requireBinary())?.deletingLastPathComponent().path ?? ""
        return [
            "PATH": binary + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "HOME": folder.appendingPathComponent("home").path, "USER": "kovacs.anna", "NO_COLOR": "1", "COLUMNS": "200",
            "TEREP_DEVICE_DB": "", "XDG_DATA_HOME": "", "TEREP_CENTRAL_DB": "", "TEREP_KEY_PASSPHRASE": "",
        ]
    }

    /// Runs every step in order (up to the one on line `last`); stops at the first step that fails to run (later steps would
    /// only fail because of it), and goes on past an output that differs.
    func run(through last: Int = .max) -> [String] {
        findings += walkthrough.findings
        for step in walkthrough.steps where step.line <= last {
            guard let command = substitute(step) else { break }
            if !execute(step, command) { break }
        }
        return findings
    }

    private func place(_ step: Walkthrough.Step) -> String { "\(walkthrough.doc.name):\(step.line)" }

    /// The command with the document's values replaced by the real ones; nil (and a finding)
    /// when a placeholder has no value yet.
    private func substitute(_ step: Walkthrough.Step) -> String? {
        var command = step.command
        for (placeholder, label) in placeholders where command.contains(placeholder) {
            let option = placeholder.split(separator: " ").first.map(String.init) ?? placeholder
            guard let value = printed[label] else {
                findings.append(
                    "\(place(step)): `\(placeholder)` stands for the \(label), but no step before it printed one (`\(label) …:` followed by the key); put the step that prints it first"
                )
                return nil
            }
            command = command.replacingOccurrences(
                of: placeholder, with: "\(option) \(label == "interview" ? String(value.prefix(8)) : value)")
        }
        for (shown, real) in bindings.sorted(by: { $0.key.count > $1.key.count }) {
            command = command.replacingOccurrences(of: shown, with: real)
        }
        return command
    }

    /// Runs one step; false when it could not run or failed.
    private func execute(_ step: Walkthrough.Step, _ command: String) -> Bool {
        let words = DocText.words(command)
        if case .recipe(let language) = step.kind { return recipe(step, language, command) }
        if words.count >= 2, words[0] == "terep", words[1] == "interview", !words.contains("--list") {
            return interview(step, Array(words.dropFirst()))
        }
        let result: Output
        do {
            result = try Self.shell(command, in: folder, environment: environment)
        } catch {
            findings.append("\(place(step)): `\(step.command)` could not be started: \(error)")
            return false
        }
        remember(result.stdout + result.stderr)
        if result.status == nil {
            findings.append(
                "\(place(step)): `\(step.command)` did not end within \(Int(Self.stepTimeout)) s (a server, or a command waiting for input?): if it cannot run here, say so with <!-- walkthrough skip: … — why -->"
            )
            return false
        }
        if case .transcript(let expected) = step.kind {
            compare(step, expected, result)
            let refused = expected.contains { $0.text.hasPrefix("error:") || $0.text.hasPrefix("REJECTED") }
            if (result.status == 0) == refused {
                findings.append(
                    "\(place(step)): `\(step.command)` exited with \(result.status!), but the document shows \(refused ? "a refusal (error: or REJECTED), so a non-zero status" : "no error, so status 0"):\n\(result.stdout)\(result.stderr)"
                )
            }
            return true
        }
        guard result.status == 0 else {
            findings.append(
                "\(place(step)): `\(step.command)` exited with \(result.status!): \(result.stderr)\(result.stdout)\nFix the step in the document (or the code, if the document says what it should do)"
            )
            return false
        }
        return true
    }

    /// Each line the document shows must be printed, and each line printed must be shown (figures,
    /// keys, fingerprints and ids may differ); the document's keys and ids are bound to the real ones.
    private func compare(_ step: Walkthrough.Step, _ expected: [Walkthrough.Expected], _ result: Output) {
        var actual = (result.stdout + result.stderr).split(separator: "\n").map(String.init).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        let printedLines = actual
        var missing: [Walkthrough.Expected] = []
        for line in expected where !line.text.trimmingCharacters(in: .whitespaces).isEmpty {
            let pattern = OutputPattern(line.text)
            guard let index = actual.firstIndex(where: { pattern.match($0) != nil }) else {
                missing.append(line)
                continue
            }
            for (shown, real) in zip(pattern.values, pattern.match(actual[index])!) where shown != real { bindings[shown] = real }
            actual.remove(at: index)
        }
        for line in missing {
            findings.append(
                "\(walkthrough.doc.name):\(line.line): the document shows `\(line.text.trimmingCharacters(in: .whitespaces))`, but `\(step.command)` printed no such line (figures, keys and ids may differ); it printed:\n\(printedLines.joined(separator: "\n"))"
            )
        }
        for line in actual {
            findings.append(
                "\(place(step)): `\(step.command)` printed `\(line)`, which the document does not show under it; add the line (or fix the code if it should not print it)"
            )
        }
    }

    /// Keys printed under a label line (`Device public key (…):` then `ed25519:…`), and the id of
    /// a new interview.
    private func remember(_ output: String) {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for (label, value) in zip(lines, lines.dropFirst()) where value.wholeMatch(of: /(?:ed25519|x25519):[A-Za-z0-9+\/]+=*/) != nil {
            let name = label.prefix { $0 != "(" && $0 != ":" }.trimmingCharacters(in: .whitespaces)
            printed[name] = value
        }
        for line in lines {
            if let m = line.firstMatch(of: /^(?:Új interjú|New interview): ([0-9a-f-]{36})/) { printed["interview"] = String(m.1) }
        }
    }

    /// `terep interview …` answered to its end through piped input.
    private func interview(_ step: Walkthrough.Step, _ arguments: [String]) -> Bool {
        do {
            let terep = try InteractiveTerep(arguments, environment: environment, directory: folder)
            var answerer = ScreenAnswerer()
            answerer.answerAll(terep)
            let status = terep.wait()
            remember(terep.transcript)
            guard status == 0 else {
                // The driven run's standard error is not kept: run it again with no input for its message.
                let quoted = (["terep"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }.joined(
                    separator: " ")
                let again = try? Self.shell(quoted, in: folder, environment: environment)
                findings.append(
                    "\(place(step)): `\(step.command)`, answered through piped input, exited with \(status): \(again?.stderr ?? "")\(terep.transcript.suffix(1500))"
                )
                return false
            }
            return true
        } catch {
            findings.append("\(place(step)): `\(step.command)` could not be started: \(error)")
            return false
        }
    }

    /// A recipe in R, Python or PSPP syntax, run from the walk-through's folder.
    private func recipe(_ step: Walkthrough.Step, _ language: String, _ body: String) -> Bool {
        let file = folder.appendingPathComponent("recipe-\(step.line).\(language)")
        let programs = ["r": "Rscript", "python": "python3", "spss": "pspp --batch -O format=txt"]
        let installs = [
            "r": "apt-get install r-base-core r-cran-haven", "python": "pip install pyreadstat pandas", "spss": "apt-get install pspp",
        ]
        guard let program = programs[language] else {
            findings.append("\(place(step)): no program runs \(language) here: skip the fence with <!-- walkthrough skip: all — why -->")
            return false
        }
        do {
            try body.write(to: file, atomically: true, encoding: .utf8)
            let result = try Self.shell("\(program) \(file.lastPathComponent)", in: folder, environment: environment)
            let failed = result.status != 0 || (language == "spss" && result.stdout.contains("error:"))
            if result.status == 127 {
                findings.append("\(place(step)): \(program) is not installed (\(installs[language]!); .ci/run installs it)")
            } else if failed {
                findings.append(
                    "\(place(step)): the \(language) recipe failed (status \(result.status.map(String.init) ?? "timeout")):\n\(result.stdout)\(result.stderr)"
                )
            }
            return !failed
        } catch {
            findings.append("\(place(step)): the \(language) recipe could not be run: \(error)")
            return false
        }
    }

    struct Output {
        /// nil: stopped after `stepTimeout`.
        var status: Int32?
        var stdout: String
        var stderr: String
    }

    /// `/bin/sh -c command` in `directory`, its output through files (no pipe can fill up).
    static func shell(_ command: String, in directory: URL, environment: [String: String]) throws -> Output {
        let id = UUID().uuidString
        let out = directory.appendingPathComponent(".out-\(id)"), err = directory.appendingPathComponent(".err-\(id)")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(stepTimeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let stopped = process.isRunning
        if stopped {
            for child in children(of: process.processIdentifier) { kill(child, SIGKILL) }
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return Output(
            status: stopped ? nil : process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// The processes `pid` started (Linux: /proc), so a stopped step leaves nothing running.
    static func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0) }
    }
}
