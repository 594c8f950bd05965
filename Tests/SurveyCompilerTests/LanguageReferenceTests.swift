import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import SurveyTestSupport
import Testing

/// The complete examples of docs/language.md (blocks fenced ` ```survey `), read from the
/// document: each compiles with no diagnostic at all, under a standard header unless it has
/// its own.
struct LanguageReferenceTests {
    static let header = """
        survey doc {
          title hu "Dokumentáció" en "Documentation"
          version "1"
          languages hu en
          specials dk rf
        }

        """

    /// The ` ```survey ` blocks of the document, with the line each starts on.
    static let blocks: [(line: Int, source: String)] = {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
        guard let text = try? String(contentsOf: doc, encoding: .utf8) else { return [] }
        var out: [(Int, String)] = []
        var current: [Substring]? = nil
        var start = 0
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```survey" {
                current = []
                start = n + 2
            } else if current != nil, line == "```" {
                out.append((start, current!.joined(separator: "\n")))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return out
    }()

    @Test func theDocumentHasCompleteExamples() {
        #expect(Self.blocks.count >= 5, "docs/language.md has \(Self.blocks.count) ```survey blocks")
    }

    @Test(arguments: blocks.map(\.line))
    func eachCompleteExampleCompilesCleanly(line: Int) throws {
        let block = try #require(Self.blocks.first { $0.line == line }).source
        let source = block.hasPrefix("survey ") ? block : Self.header + block
        let loader = InMemoryLoader(["example.survey": source])
        let result = SurveyCompiler.compile(try loader.root("example.survey"), loader: loader)
        #expect(result.diagnostics.isEmpty, "docs/language.md:\(line):\n\(DiagnosticRenderer().render(result.diagnostics))")
    }
}
