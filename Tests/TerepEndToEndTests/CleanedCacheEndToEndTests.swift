import Foundation
import SurveyStore
import Testing

extension EndToEnd {
    /// The cache of cleaned records through the real binary: `terep export` fills it, later
    /// exports and reports read it and give the same bytes, and a read-only central file is
    /// exported without it and stays read-only.
    @Suite struct CleanedCacheEndToEndTests {
        @Test("export and report give the same output with the cache cold, warm and on a read-only file")
        func cachedExportsAndReportsMatch() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer {
                chmod(dir.appendingPathComponent("central.sqlite").path, 0o600)
                try? FileManager.default.removeItem(at: dir)
            }
            let (central, merged) = try TerepProcess.mergedCentral(in: dir, survey: survey, interviews: 10, seed: 3)
            #expect(merged.status == 0)
            #expect(merged.stderr.contains("Cleaned 10 changed interviews"), "\(merged.stderr)")

            let keyFile = try TerepProcess.keyFile()
            func export(_ name: String) throws -> String {
                let out = dir.appendingPathComponent(name).path
                let result = try TerepProcess.run(
                    [
                        "export", "--central", central, "--survey", "wellbeing", "--status", "all", "--format", "csv", "-o", out,
                        "--pii-key", keyFile,
                    ])
                try #require(result.status == 0, "\(result.stderr)")
                return try String(contentsOfFile: out + "/wellbeing.csv", encoding: .utf8)
            }
            func report() throws -> String {
                let result = try TerepProcess.run(
                    ["report", "--central", central, "--survey", "wellbeing", "--format", "json", "--today", "2026-11-26"])
                try #require(result.status == 0, "\(result.stderr)")
                return result.stdout
            }
            func cached() throws -> Int { try CentralStore.open(path: central, readOnly: true).cleanedRecordCount() }

            #expect(try cached() == 10, "the merge filled the cache")
            try CentralStore.open(path: central).clearCleanedRecords()
            let cold = try export("cold")
            #expect(try cached() == 10, "the first export fills the cache")
            #expect(try export("warm") == cold)
            let warmReport = try report()
            try CentralStore.open(path: central).clearCleanedRecords()
            #expect(try report() == warmReport, "a report with a cold cache")
            #expect(try cached() == 10, "the report filled it again")

            chmod(central, 0o400)
            #expect(try export("read-only") == cold)
            let mode = try FileManager.default.attributesOfItem(atPath: central)[.posixPermissions] as? Int
            #expect(mode == 0o400)
        }
    }
}
