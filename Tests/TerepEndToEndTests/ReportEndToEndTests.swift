import Foundation
import Testing

extension EndToEnd {
    /// simulate on two laptops → bundle → merge → `terep report` with the real binary.
    @Suite struct ReportEndToEndTests {
        /// A central dataset with simulated wellbeing interviews from two devices.
        static func centralDataset(_ dir: URL) throws -> String {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let central = dir.appendingPathComponent("central.sqlite").path
            #expect(try TerepProcess.run(["central", "init", "--central", central]).status == 0)
            var bundles: [String] = []
            for (n, device) in ["lap-1", "lap-2"].enumerated() {
                let db = dir.appendingPathComponent("\(device).sqlite").path
                let initialised = try TerepProcess.run([
                    "device", "init", "--device-id", device, "--interviewer", "I\(n)", "--device-db", db,
                ])
                try #require(initialised.status == 0, "\(initialised.stderr)")
                let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
                let simulated = try TerepProcess.run(["simulate", survey, "--interviews", "8", "--device-db", db, "--seed", "\(n + 3)"])
                try #require(simulated.status == 0, "\(simulated.stderr)")
                let bundle = dir.appendingPathComponent("\(device).terepbundle").path
                #expect(try TerepProcess.run(["bundle", "create", "--device-db", db, "-o", bundle]).status == 0)
                #expect(
                    try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", device, "--key", key]).status == 0)
                bundles.append(bundle)
            }
            #expect(try TerepProcess.run(["merge", "--central", central] + bundles).status == 0)
            return central
        }

        @Test("report: text fits 80 columns, JSON parses, -o report.html writes HTML, errors are one clear line")
        func reportAfterMerge() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let central = try Self.centralDataset(dir)
            let base = ["report", "--central", central, "--survey", "wellbeing", "--today", "2026-09-10"]

            let text = try TerepProcess.run(base + ["--lang", "en"])
            try #require(text.status == 0, "\(text.stderr)")
            let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count > 10)
            #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")

            let json = try TerepProcess.run(base + ["--format", "json"])
            try #require(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let selection = try #require(object["selection"] as? [String: Any])
            #expect(selection["interviews"] as? Int == 16 && object["today"] as? String == "2026-09-10")
            let devices = try #require((object["sync"] as? [String: Any])?["devices"] as? [[String: Any]])
            #expect(devices.compactMap { $0["device"] as? String } == ["lap-1", "lap-2"])

            let html = dir.appendingPathComponent("report.html").path
            let written = try TerepProcess.run(base + ["-o", html])
            try #require(written.status == 0, "\(written.stderr)")
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.lowercased().hasPrefix("<!doctype html>") && page.contains("<svg"))

            let jsonFile = dir.appendingPathComponent("figures.json").path
            #expect(try TerepProcess.run(base + ["-o", jsonFile]).status == 0)
            let figures = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonFile))) as? [String: Any]
            #expect(figures?["survey"] as? String == "wellbeing", "-o FILE.json writes JSON")

            let threshold = try TerepProcess.run(base + ["--threshold", "15"])
            #expect(threshold.status != 0 && threshold.stderr.contains("--threshold"), "\(threshold.stderr)")
            let unknown = try TerepProcess.run(["report", "--central", central, "--survey", "nosuch"])
            #expect(unknown.status != 0 && unknown.stdout.isEmpty)
            #expect(unknown.stderr.hasPrefix("error: ") && unknown.stderr.contains("nosuch"), "\(unknown.stderr)")
            #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
            let badDay = try TerepProcess.run(Array(base.dropLast()) + ["10/09/2026"])
            #expect(badDay.status != 0 && badDay.stderr.contains("YYYY-MM-DD"), "\(badDay.stderr)")
        }
    }
}
