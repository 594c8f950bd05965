import Foundation
import Testing

/// docs/diagnostics.md shows, for every code, its golden example and the exact output: the
/// document's two blocks per section must be the golden `.survey` (without its header) and
/// `.expected` files, so the page cannot drift from what the compiler prints.
struct DiagnosticsDocTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The sections of the document by code: the two fenced blocks that follow each heading.
    static func sections() throws -> [String: [String]] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        var out: [String: [String]] = [:]
        var code: String? = nil
        var block: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if block == nil, line.hasPrefix("## "), let match = line.wholeMatch(of: /## ([EW]\d{4}) — .*/) {
                code = String(match.1)
                out[code!] = []
            } else if let c = code, line == "```" {
                if let b = block {
                    out[c, default: []].append(b.joined(separator: "\n"))
                    block = nil
                } else {
                    block = []
                }
            } else if block != nil {
                block!.append(line)
            }
        }
        return out
    }

    /// A golden source without its `survey … { … }` header, as the document shows it.
    static func shownSource(_ code: String) throws -> String {
        let text = try String(contentsOf: URL(fileURLWithPath: GoldenDiagnosticsTests.directory + "/\(code).survey"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.first?.hasPrefix("survey ") == true, let close = lines.firstIndex(of: "}") { lines.removeFirst(close + 1) }
        return String(lines.joined(separator: "\n").trimmingSuffix(while: { $0 == "\n" }))
    }

    @Test(arguments: GoldenDiagnosticsTests.cases.filter { $0 != "E0001" })
    func theDocumentShowsTheGoldenExampleAndOutput(code: String) throws {
        let blocks = try #require(try Self.sections()[code], "docs/diagnostics.md has no section '## \(code) — …'")
        #expect(blocks.count >= 2, "\(code): expected the example and its output")
        guard blocks.count >= 2 else { return }
        #expect(blocks[0] == (try Self.shownSource(code)), "\(code): the example differs from the golden .survey")
        let expected = try String(
            contentsOf: URL(fileURLWithPath: GoldenDiagnosticsTests.directory + "/\(code).expected"), encoding: .utf8)
        #expect(blocks[1] == String(expected.trimmingSuffix(while: { $0 == "\n" })), "\(code): the output differs from the golden .expected")
    }
}

extension String {
    fileprivate func trimmingSuffix(while drop: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, drop(self[index(before: end)]) { end = index(before: end) }
        return self[..<end]
    }
}
