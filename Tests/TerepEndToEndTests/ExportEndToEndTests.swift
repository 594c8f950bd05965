import Foundation
import Testing

extension EndToEnd {
    /// simulate → bundle → merge → `terep export` with the real binary; pyreadstat reads the
    /// `.sav` and `.dta` files.
    @Suite struct ExportEndToEndTests {
        static var pyreadstat: Bool { (try? python("import pyreadstat", [])) != nil }

        @Test("export writes every format that pyreadstat reads, completed interviews only, with a log")
        func exportAfterMerge() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = dir.appendingPathComponent("d1.sqlite").path
            let initialised = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device])
            try #require(initialised.status == 0, "\(initialised.stderr)")
            let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
            let simulated = try TerepProcess.run(["simulate", survey, "--interviews", "12", "--device-db", device, "--seed", "5"])
            try #require(simulated.status == 0, "\(simulated.stderr)")
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            #expect(try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle]).status == 0)
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            #expect(try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)
            #expect(try TerepProcess.run(["merge", "--central", central, bundle]).status == 0)

            let out = dir.appendingPathComponent("exports").path
            let export = ["export", "--central", central, "--survey", "wellbeing", "--format", "csv,sav,dta,jsonl,codebook", "-o", out]
            let result = try TerepProcess.run(export)
            try #require(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "no progress output without a terminal")
            let log = try String(contentsOfFile: out + "/wellbeing_export.log", encoding: .utf8)
            let exported = try #require(log.split(separator: "\n").first { $0.hasPrefix("exported: ") })
            let count = try #require(Int(exported.dropFirst("exported: ".count).prefix { $0.isNumber }))
            #expect(count > 0 && log.contains("mode: drop"))

            let csv = try String(contentsOfFile: out + "/wellbeing.csv", encoding: .utf8)
            #expect(csv.split(separator: "\r\n").count == count + 1)
            #expect(!csv.split(separator: "\r\n")[0].split(separator: ",").contains("phone"))
            if Self.pyreadstat {
                let script = """
                    import sys, pyreadstat
                    a, _ = pyreadstat.read_sav(sys.argv[1], user_missing=True)
                    b, _ = pyreadstat.read_dta(sys.argv[2])
                    print(len(a), len(b), sorted(set(a["iv_outcome"])), sorted(set(b["iv_outcome"])), "phone" in a.columns)
                    """
                let read = try Self.python(script, [out + "/wellbeing.sav", out + "/wellbeing.dta"])
                #expect(read == "\(count) \(count) [11.0] [11] False\n", "\(read)")
            }

            let again = try TerepProcess.run(export)
            #expect(again.status != 0 && again.stderr.contains("--force"))
            #expect(try TerepProcess.run(export + ["--force"]).status == 0)
            let corrections = dir.appendingPathComponent("bad.corrections").path
            try Data("# check\nset nobody life_sat = 99 : typo\n".utf8).write(to: URL(fileURLWithPath: corrections))
            let bad = try TerepProcess.run(export + ["--force", "--corrections", corrections])
            #expect(bad.status != 0 && bad.stderr.contains("bad.corrections:2:"), "\(bad.stderr)")
        }

        static func python(_ script: String, _ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
