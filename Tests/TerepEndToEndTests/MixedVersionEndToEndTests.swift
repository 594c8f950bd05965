import Foundation
import Testing

extension EndToEnd {
    /// Two laptops interview with two versions of a questionnaire (`income` a number in version
    /// 1, a coded band in version 2); `terep export` merges them into one schema.
    @Suite struct MixedVersionEndToEndTests {
        static func source(_ version: Int) -> String {
            let income =
                version == 1
                ? #"question income integer 0..100 { text en "Income?" }"#
                : #"question income single INC { text en "Income band?" }"#
            return """
                survey t {
                  title en "T"
                  version "\(version)"
                  languages en
                  outcome outcome complete 11
                }
                answers OUT { 11 en "Complete" 21 en "Refusal" }
                answers INC { 1 en "low" 2 en "high" }
                question outcome single OUT { interviewer optional nodk text en "Outcome" }
                question age integer 18..99 { text en "Age?" }
                \(income)
                """
        }

        @Test(
            "export --survey-version all merges two versions, keeps the older income apart and says so; --survey-version HASH exports one")
        func exportMergesVersions() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            var bundles: [String] = []
            for version in 1...2 {
                let survey = dir.appendingPathComponent("t\(version).survey")
                try Data(Self.source(version).utf8).write(to: survey)
                let device = dir.appendingPathComponent("d\(version).sqlite").path
                let initialised = try TerepProcess.run([
                    "device", "init", "--device-id", "lap-\(version)", "--interviewer", "I\(version)", "--device-db", device,
                ])
                try #require(initialised.status == 0, "\(initialised.stderr)")
                let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
                let simulated = try TerepProcess.run([
                    "simulate", survey.path, "--interviews", "3", "--device-db", device, "--seed", "\(version)",
                ])
                try #require(simulated.status == 0, "\(simulated.stderr)")
                let bundle = dir.appendingPathComponent("b\(version).terepbundle").path
                #expect(try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle]).status == 0)
                #expect(
                    try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", "lap-\(version)", "--key", key])
                        .status == 0)
                bundles.append(bundle)
            }
            #expect(try TerepProcess.run(["merge", "--central", central] + bundles).status == 0)

            let out = dir.appendingPathComponent("all").path
            let merged = try TerepProcess.run(["export", "--central", central, "--survey", "t", "--format", "csv,dta", "-o", out])
            try #require(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout.contains("2 questionnaire versions merged (newest: version 2"), "\(merged.stdout)")
            #expect(merged.stdout.contains("older values kept apart in t.income_v1"))
            let lines = try String(contentsOfFile: out + "/t.csv", encoding: .utf8).split(separator: "\r\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            let header = try #require(lines.first)
            #expect(header.suffix(3) == ["age", "income", "income_v1"])
            let version = try #require(header.firstIndex(of: "iv_version"))
            for row in lines.dropFirst() {
                // Each interview fills the income column of its own version only.
                #expect(
                    (row[version] == "1") == row[header.count - 2].isEmpty && (row[version] == "2") == row[header.count - 1].isEmpty,
                    "\(row)")
            }
            #expect(lines.count == 7)
            let log = try String(contentsOfFile: out + "/t_export.log", encoding: .utf8)
            #expect(log.contains("## Versions") && log.contains("kept apart because it is a coded answer"))

            let hash = try #require(lines.dropFirst().first { $0[version] == "1" }?[1])
            let one = dir.appendingPathComponent("one").path
            let single = try TerepProcess.run([
                "export", "--central", central, "--survey", "t", "--format", "csv", "--survey-version", String(hash.prefix(10)), "-o", one,
            ])
            try #require(single.status == 0, "\(single.stderr)")
            #expect(!single.stdout.contains("versions merged"))
            let oneHeader = try String(contentsOfFile: one + "/t.csv", encoding: .utf8).split(separator: "\r\n").first
            #expect(oneHeader?.hasSuffix(",age,income") == true)
        }
    }
}
