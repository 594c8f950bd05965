import Foundation
import Testing

extension EndToEnd {
    /// `terep compile` through the real binary: the compact file by default and `--pretty`'s
    /// indented one hold the same compiled survey, and other commands read either.
    @Suite struct CompileEndToEndTests {
        @Test func theCompactAndThePrettyFileHoldTheSameSurvey() throws {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let compact = dir.appendingPathComponent("compact.json").path, pretty = dir.appendingPathComponent("pretty.json").path
            let a = try TerepProcess.run(["compile", survey, "-o", compact])
            let b = try TerepProcess.run(["compile", survey, "-o", pretty, "--pretty"])
            try #require(a.status == 0 && b.status == 0, "\(a.stderr)\n\(b.stderr)")
            let said = [a, b].map { $0.stdout.split(separator: ":", maxSplits: 1).last.map(String.init) }
            #expect(said[0] != nil && said[0] == said[1], "the same id, version and hash: \(a.stdout) / \(b.stdout)")
            let compactBytes = try Data(contentsOf: URL(fileURLWithPath: compact))
            let prettyBytes = try Data(contentsOf: URL(fileURLWithPath: pretty))
            #expect(compactBytes.filter { $0 == 0x0A }.count == 1 && compactBytes.last == 0x0A, "one line and a final newline")
            #expect(prettyBytes.count > compactBytes.count * 2, "\(prettyBytes.count) against \(compactBytes.count) bytes")
            let objects = try [compactBytes, prettyBytes].map { try JSONSerialization.jsonObject(with: $0) as? NSDictionary }
            #expect(objects[0] != nil && objects[0] == objects[1])
            for file in [compact, pretty] {
                let db = dir.appendingPathComponent("\(UUID().uuidString).sqlite").path
                let simulated = try TerepProcess.run(["simulate", file, "--interviews", "2", "--seed", "3", "--device-db", db])
                #expect(simulated.status == 0, "\(file): \(simulated.stderr)")
            }
        }
    }
}
