import Foundation
import Testing

extension EndToEnd {
    /// Progress lines of long work through the real binary: on standard error when it is a
    /// terminal (merge, the cleaning after it, export, simulate), nothing when it is not, and
    /// never with `--format json`.
    @Suite struct ProgressEndToEndTests {
        /// The erase-to-end-of-line every progress line ends with.
        static let erase = "\u{1B}[K"

        /// Runs terep with standard output and error on a pseudo-terminal (util-linux `script`);
        /// its exit status and everything it showed.
        static func onTerminal(_ arguments: [String]) throws -> (status: Int32, shown: String) {
            let script = "/usr/bin/script"
            guard FileManager.default.isExecutableFile(atPath: script) else {
                throw TerepProcess.Failure("\(script) is missing: apt-get install bsdutils (util-linux's script gives terep a terminal)")
            }
            let binary = try TerepProcess.requireBinary()
            let command = ([binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = ["-qefc", command.joined(separator: " "), "/dev/null"]
            var environment = ProcessInfo.processInfo.environment
            environment["TERM"] = "xterm"
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        @Test("simulate, merge, the cleaning after it and export draw progress on a terminal, and only there")
        func progressOnlyOnATerminal() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = dir.appendingPathComponent("d1.sqlite").path
            let initialised = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device])
            try #require(initialised.status == 0, "\(initialised.stderr)")
            let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))

            let simulated = try Self.onTerminal(["simulate", survey, "--interviews", "30", "--device-db", device, "--seed", "5"])
            #expect(simulated.status == 0, "\(simulated.shown)")
            #expect(simulated.shown.contains("\rsimulating: 1/30 interviews (3 %)" + Self.erase), "\(simulated.shown)")
            #expect(simulated.shown.contains("Simulated 30 interviews"))
            // Not a terminal: no progress at all.
            let piped = try TerepProcess.run(["simulate", survey, "--interviews", "3", "--device-db", device, "--seed", "6"])
            #expect(piped.status == 0)
            #expect(!piped.stderr.contains(Self.erase) && !piped.stderr.contains("\r") && !piped.stderr.contains("simulating"))

            let bundle = dir.appendingPathComponent("b.terepbundle").path
            #expect(try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle]).status == 0)
            for name in ["central.sqlite", "json.sqlite"] {
                let central = dir.appendingPathComponent(name).path
                #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
                #expect(
                    try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)
            }
            let merged = try Self.onTerminal(["merge", "--central", dir.appendingPathComponent("central.sqlite").path, bundle])
            #expect(merged.status == 0, "\(merged.shown)")
            #expect(merged.shown.contains("\rmerging b.terepbundle: 1024/"), "\(merged.shown)")
            #expect(merged.shown.contains("\rcleaning wellbeing: 0/33 interviews (0 %)" + Self.erase), "\(merged.shown)")
            #expect(merged.shown.contains("Cleaned 33 changed interviews"))
            // --format json: the same merge, on a terminal, draws nothing.
            let json = try Self.onTerminal(
                ["merge", "--central", dir.appendingPathComponent("json.sqlite").path, "--format", "json", bundle])
            #expect(json.status == 0, "\(json.shown)")
            #expect(
                !json.shown.contains(Self.erase) && !json.shown.contains("merging") && !json.shown.contains("cleaning"), "\(json.shown)")

            let exported = try Self.onTerminal(
                [
                    "export", "--central", dir.appendingPathComponent("central.sqlite").path, "--survey", "wellbeing", "--status", "all",
                    "--format", "csv", "-o", dir.appendingPathComponent("out").path, "--pii-key", try TerepProcess.keyFile(),
                ])
            #expect(exported.status == 0, "\(exported.shown)")
            #expect(exported.shown.contains("\rexporting: 33/33 interviews (100 %)" + Self.erase), "\(exported.shown)")
        }
    }
}
