import Foundation
import Testing

/// Facts the format documents state about the code: the migrations docs/storage.md lists are
/// the ones the stores register, and the keys docs/compiled-format.md describes are the ones a
/// compiled definition has.
@Suite("Docs: format facts")
struct FactDocTests {
    static let root = TerepProcess.packageRoot

    @Test func storageListsEveryMigration() throws {
        let doc = try DocText.load("docs/storage.md")
        var names: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources/SurveyStore").path) {
            let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/SurveyStore/\(file)"), encoding: .utf8)
            names += text.matches(of: /registerMigration\("([^"]+)"/).map { String($0.1) }
        }
        #expect(names.count >= 6, "found \(names)")
        let schemaLines = doc.lines.filter { $0.contains("migrations") || $0.hasPrefix("`v") }.joined(separator: " ")
        for name in names {
            #expect(schemaLines.contains("`\(name)`"), "docs/storage.md does not list the migration `\(name)` (Sources/SurveyStore)")
        }
    }

    @Test func compiledFormatDescribesEveryKey() throws {
        let doc = try DocText.load("docs/compiled-format.md")
        let compiled = try Data(
            contentsOf: Self.root.appendingPathComponent("Tests/SurveyCompilerTests/Golden/questionnaires/wellbeing.compiled.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: compiled) as? [String: Any])
        let definition = try #require(object["definition"] as? [String: Any])
        let rows = Set(doc.lines.compactMap { $0.firstMatch(of: /^(?:\| |- )`([A-Za-z]+)`/).map { String($0.1) } })
        for key in object.keys.sorted() + definition.keys.sorted() {
            #expect(rows.contains(key), "docs/compiled-format.md describes no key `\(key)` of a compiled definition")
        }
    }
}
