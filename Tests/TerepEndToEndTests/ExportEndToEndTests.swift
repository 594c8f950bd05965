import Foundation
import Testing

extension EndToEnd {
    /// simulate → bundle → merge → `terep export` with the real binary; pyreadstat reads the
    /// `.sav` and `.dta` files.
    @Suite struct ExportEndToEndTests {
        @Test("export writes every format that pyreadstat reads, completed interviews only, with a log")
        func exportAfterMerge() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let (central, merged) = try TerepProcess.mergedCentral(in: dir, survey: survey, interviews: 12, seed: 5)
            #expect(merged.status == 0)

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
            do {  // pyreadstat must be installed: `pip install pyreadstat pandas` (.ci/run does)
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

        @Test("identifiers are keyed pseudonyms by default; a key file keeps them across exports; a read-only folder exports")
        func identifiersArePseudonymised() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer {
                chmod(dir.appendingPathComponent("ro").path, 0o755)
                try? FileManager.default.removeItem(at: dir)
            }
            let device = dir.appendingPathComponent("d1.sqlite").path
            let initialised = try TerepProcess.run(
                ["device", "init", "--device-id", "lap-1", "--interviewer", "Kovács Anna", "--device-db", device])
            try #require(initialised.status == 0, "\(initialised.stderr)")
            let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
            #expect(try TerepProcess.run(["simulate", survey, "--interviews", "8", "--device-db", device, "--seed", "9"]).status == 0)
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            #expect(try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle]).status == 0)
            let folder = dir.appendingPathComponent("ro")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let central = folder.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            #expect(
                try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)
            #expect(try TerepProcess.run(["merge", "--central", central, bundle]).status == 0)
            chmod(folder.path, 0o555)  // the central dataset's folder is read-only from here on

            func export(_ name: String, _ extra: [String] = []) throws -> (csv: [[String]], files: [Data]) {
                let out = dir.appendingPathComponent(name)
                let result = try TerepProcess.run(
                    [
                        "export", "--central", central, "--survey", "wellbeing", "--status", "all", "--format",
                        "csv,sav,dta,jsonl,codebook",
                        "-o", out.path,
                    ] + extra)
                try #require(result.status == 0, "\(result.stderr)")
                let text = try String(contentsOf: out.appendingPathComponent("wellbeing.csv"), encoding: .utf8)
                let rows = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                let files = try FileManager.default.contentsOfDirectory(atPath: out.path).map {
                    try Data(contentsOf: out.appendingPathComponent($0))
                }
                return (rows, files)
            }
            func column(_ rows: [[String]], _ name: String) throws -> [String] {
                let i = try #require(rows[0].firstIndex(of: name))
                return rows.dropFirst().map { $0[i] }
            }
            let first = try export("one")
            for name in ["iv_interviewer", "int_id", "address_id"] {
                let cells = try column(first.csv, name)
                #expect(
                    !cells.isEmpty && cells.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) || $0.hasPrefix("-") },
                    "\(name): \(cells)")
            }
            for file in first.files { #expect(file.range(of: Data("Kovács Anna".utf8)) == nil) }
            let second = try export("two")
            #expect(try column(second.csv, "iv_interviewer") != column(first.csv, "iv_interviewer"), "a one-time key each export")
            let keyFile = try TerepProcess.keyFile()
            let keyed = try column(export("k1", ["--pii-key", keyFile]).csv, "iv_interviewer")
            #expect(try column(export("k2", ["--pii-key", keyFile]).csv, "iv_interviewer") == keyed)
            #expect(Set(keyed).count == 1, "one interviewer, one pseudonym")
            #expect(try column(export("kept", ["--pii", "keep"]).csv, "iv_interviewer").allSatisfy { $0 == "Kovács Anna" })
            let german = try TerepProcess.run([
                "export", "--central", central, "--survey", "wellbeing", "--format", "csv", "--lang", "de",
                "-o", dir.appendingPathComponent("de").path,
            ])
            #expect(german.status != 0 && german.stderr.contains("no texts in 'de'"), "\(german.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["central.sqlite"], "nothing written beside it")
        }

        static func python(_ script: String, _ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TerepProcess.Failure(
                    "python3 failed\(errors.contains("No module named") ? " (install the readers: pip install pyreadstat pandas)" : ""): \(errors)"
                )
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
