import Foundation
import Testing

/// Facts the format documents state about the code: the migrations docs/storage.md lists are
/// the ones the stores register, and the keys docs/compiled-format.md describes are the ones a
/// compiled definition has. Each finding names the line where the fact belongs.
@Suite("Docs: format facts")
struct FactDocTests {
    static let root = TerepProcess.packageRoot

    /// The migrations the stores register (`registerMigration("v1-device-store")`).
    static func migrations() throws -> [String] {
        var names: [String] = []
        let folder = Self.root.appendingPathComponent("Sources/SurveyStore")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            names += text.matches(of: /registerMigration\("([^"]+)"/).map { String($0.1) }
        }
        return names
    }

    /// Every migration not named in the document's schema lines, at the line listing its store's
    /// migrations (`v3-central-…` beside `v1-central-dataset`).
    static func findings(storage doc: DocText, migrations: [String]) -> [String] {
        let schema = doc.lines.indices.filter { doc.lines[$0].contains("migrations") || doc.lines[$0].hasPrefix("`v") }
        let text = schema.map { doc.lines[$0] }.joined(separator: " ")
        return migrations.filter { !text.contains("`\($0)`") }.map { name in
            let store = name.split(separator: "-").dropFirst().first.map { "-\($0)-" } ?? name
            let line = schema.first { doc.lines[$0].contains(store) }.map { $0 + 1 } ?? 1
            return "\(doc.name):\(line): the migrations listed here do not name `\(name)` (registered in Sources/SurveyStore): add it"
        }
    }

    /// Every key of a compiled definition without a row (`| \`key\` |` or `- \`key\``), at the
    /// table of the definition's keys.
    static func findings(compiledFormat doc: DocText, keys: [String]) -> [String] {
        let rows = doc.lines.indices.filter { doc.lines[$0].firstMatch(of: /^(?:\| |- )`([A-Za-z]+)`/) != nil }
        let described = Set(rows.compactMap { doc.lines[$0].firstMatch(of: /^(?:\| |- )`([A-Za-z]+)`/).map { String($0.1) } })
        let table = rows.first { doc.lines[$0].hasPrefix("| ") }.map { $0 + 1 } ?? 1
        return keys.filter { !described.contains($0) }.map {
            "\(doc.name):\(table): no row describes the key `\($0)` of a compiled definition (Tests/SurveyCompilerTests/Golden/questionnaires/wellbeing.compiled.json): add one"
        }
    }

    /// The top-level keys of a compiled definition and of its `definition`.
    static func compiledKeys() throws -> [String] {
        let compiled = try Data(
            contentsOf: Self.root.appendingPathComponent("Tests/SurveyCompilerTests/Golden/questionnaires/wellbeing.compiled.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: compiled) as? [String: Any])
        let definition = try #require(object["definition"] as? [String: Any])
        return object.keys.sorted() + definition.keys.sorted()
    }

    @Test func storageListsEveryMigration() throws {
        let names = try Self.migrations()
        #expect(names.count >= 6, "found \(names)")
        for finding in Self.findings(storage: try DocText.load("docs/storage.md"), migrations: names) { Issue.record("\(finding)") }
    }

    @Test func compiledFormatDescribesEveryKey() throws {
        let keys = try Self.compiledKeys()
        for finding in Self.findings(compiledFormat: try DocText.load("docs/compiled-format.md"), keys: keys) { Issue.record("\(finding)") }
    }

    /// A copy of each document with one fact taken out fails at the line where it belongs.
    @Test func aPlantedMissingFactFailsTheCheck() throws {
        let storage = try DocText.load("docs/storage.md")
        let names = try Self.migrations()
        #expect(Self.findings(storage: storage, migrations: names).isEmpty, "the original must be clean for the test to mean anything")
        let central = try #require(names.last { $0.contains("-central-") })
        let listed = try #require(storage.lines.firstIndex { $0.contains("`\(central)`") })
        let first = try #require(storage.lines.firstIndex { $0.contains("-central-") && $0.contains("migrations") }) + 1
        var lines = storage.lines
        lines[listed] = lines[listed].replacingOccurrences(of: "`\(central)`", with: "(forgotten)")
        let storageFindings = Self.findings(storage: DocText(name: storage.name, text: lines.joined(separator: "\n")), migrations: names)
        #expect(
            storageFindings == [
                "docs/storage.md:\(first): the migrations listed here do not name `\(central)` (registered in Sources/SurveyStore): add it"
            ], "\(storageFindings)")

        let format = try DocText.load("docs/compiled-format.md")
        let keys = try Self.compiledKeys()
        #expect(Self.findings(compiledFormat: format, keys: keys).isEmpty)
        let row = try #require(format.lines.firstIndex { $0.hasPrefix("| `targets` |") })
        lines = format.lines
        lines.remove(at: row)
        let formatFindings = Self.findings(compiledFormat: DocText(name: format.name, text: lines.joined(separator: "\n")), keys: keys)
        #expect(
            formatFindings.count == 1 && formatFindings[0].hasPrefix("docs/compiled-format.md:")
                && formatFindings[0].contains("the key `targets`"), "\(formatFindings)")
    }
}
