import Foundation
import Testing

/// The bilingual guides say the same in both languages. A guide with `## Magyar` and
/// `## English` halves has the same headings in each (same count, levels, and code in them),
/// and each pair of sections names the same `terep` commands and options. A guide with a
/// Hungarian summary (`## Röviden (magyarul)`) names in it every command and option its English
/// part uses, so a fieldworker or coordinator reading only Hungarian misses no switch.
@Suite("Docs: Hungarian and English say the same")
struct BilingualDocTests {
    /// The `terep` command paths and `--options` a part of a document names.
    static func vocabulary(_ doc: DocText, lines: ClosedRange<Int>) -> Set<String> {
        var out: Set<String> = []
        // One text, so that a code span wrapped over two lines (`terep bundle⏎create`) reads whole.
        do {
            let comments = doc.commentLines  // walk-through annotations: not read by anyone
            let line = lines.filter { !comments.contains($0) }.map { doc.lines[$0 - 1] }.joined(separator: " ")
            for m in line.matches(of: /(^|[^\w-])(--[a-z][a-z0-9-]*)/) { out.insert(String(m.2)) }
            for m in line.matches(of: /terep ([a-z]+(?: [a-z][a-z-]+)?)/) {
                // `terep central add-device`, `terep merge`: the command, and its subcommand if any.
                let words = m.1.split(separator: " ")
                guard Self.commands.contains(String(words[0])) else { continue }  // „a terep …” is Hungarian prose
                out.insert("terep " + words[0])
                if words.count > 1, Self.subcommands.contains(String(words[1])) { out.insert("terep \(words[0]) \(words[1])") }
            }
        }
        return out
    }

    static let commands: Set<String> = Set((try? CommandTree.binary.get())?.subcommands.keys.map { $0 } ?? [])

    static let subcommands: Set<String> = {
        guard let tree = try? CommandTree.binary.get() else { return [] }
        return Set(tree.all.filter { $0.path.count == 3 }.map { $0.path[2] })
    }()

    /// The lines of the part under heading `title` (up to the next heading of its level or higher).
    static func part(_ doc: DocText, _ title: String) -> (heading: Int, lines: ClosedRange<Int>)? {
        let headings = doc.headings
        guard let i = headings.firstIndex(where: { $0.text == title }) else { return nil }
        let end = headings[(i + 1)...].first { $0.level <= headings[i].level }.map { $0.line - 1 } ?? doc.lines.count
        return (headings[i].line, headings[i].line...end)
    }

    /// A heading's code spans: the part of a heading that is not translated.
    static func code(_ heading: String) -> [String] { heading.matches(of: /`[^`]+`/).map { String($0.0) } }

    static func halves(_ doc: DocText) -> (hu: ClosedRange<Int>, en: ClosedRange<Int>)? {
        guard let hu = part(doc, "Magyar"), let en = part(doc, "English") else { return nil }
        return (hu.lines, en.lines)
    }

    /// Findings for a document with two halves.
    static func findings(halvesOf doc: DocText) -> [String] {
        guard let (hu, en) = halves(doc) else { return ["\(doc.name): no '## Magyar' and '## English' halves"] }
        let huHeadings = doc.headings.filter { hu.contains($0.line) && $0.line != hu.lowerBound }
        let enHeadings = doc.headings.filter { en.contains($0.line) && $0.line != en.lowerBound }
        var out: [String] = []
        if huHeadings.count != enHeadings.count {
            out.append(
                "\(doc.name): the Hungarian half has \(huHeadings.count) headings (\(huHeadings.map(\.text))), the English \(enHeadings.count) (\(enHeadings.map(\.text)))"
            )
        }
        for (h, e) in zip(huHeadings, enHeadings) {
            if h.level != e.level || code(h.text) != code(e.text) {
                out.append("\(doc.name):\(h.line) '\(h.text)' and :\(e.line) '\(e.text)' do not correspond (level or code differ)")
            }
        }
        // Each pair of sections: the same commands and options.
        func sections(_ headings: [(line: Int, level: Int, text: String)], _ half: ClosedRange<Int>) -> [ClosedRange<Int>] {
            headings.indices.map { i in headings[i].line...((i + 1 < headings.count ? headings[i + 1].line : half.upperBound + 1) - 1) }
        }
        for (h, (hs, es)) in zip(huHeadings, zip(sections(huHeadings, hu), sections(enHeadings, en))) {
            let huWords = vocabulary(doc, lines: hs), enWords = vocabulary(doc, lines: es)
            let onlyHu = huWords.subtracting(enWords).sorted(), onlyEn = enWords.subtracting(huWords).sorted()
            if !onlyHu.isEmpty || !onlyEn.isEmpty {
                out.append("\(doc.name):\(h.line) '\(h.text)': only in Hungarian \(onlyHu), only in English \(onlyEn)")
            }
        }
        return out
    }

    /// Findings for a document with a Hungarian summary of its English body.
    static func findings(summaryOf doc: DocText) -> [String] {
        guard let summary = part(doc, "Röviden (magyarul)") else { return ["\(doc.name): no '## Röviden (magyarul)'"] }
        let body = (summary.lines.upperBound + 1)...doc.lines.count
        let missing = vocabulary(doc, lines: body).subtracting(vocabulary(doc, lines: summary.lines))
            .filter { $0.hasPrefix("terep ") }.sorted()
        return missing.isEmpty
            ? []
            : [
                "\(doc.name):\(summary.heading): the Hungarian summary does not mention the commands \(missing), which the English part uses"
            ]
    }

    @Test func theInterviewerGuideHasTheSameSectionsInBothLanguages() throws {
        let doc = try DocText.load("docs/interviewer.md")
        #expect((Self.halves(doc)?.hu.count ?? 0) > 50)
        for finding in Self.findings(halvesOf: doc) { Issue.record("\(finding)") }
    }

    @Test(arguments: ["docs/coordinator.md", "docs/security.md"])
    func theHungarianSummaryNamesEveryCommand(document: String) throws {
        for finding in Self.findings(summaryOf: try DocText.load(document)) { Issue.record("\(finding)") }
    }

    /// The check catches a section added to one language only, and an option named in one only.
    @Test func aSectionOrOptionInOneLanguageOnlyFailsTheCheck() throws {
        let doc = try DocText.load("docs/interviewer.md")
        #expect(Self.findings(halvesOf: doc).isEmpty, "the original must be clean for the test to mean anything")
        var lines = doc.lines
        let (hu, _) = try #require(Self.halves(doc))
        lines.insert(contentsOf: ["### Csak magyarul", "Használja a `--gyorsan` kapcsolót."], at: hu.upperBound - 1)
        let findings = Self.findings(halvesOf: DocText(name: doc.name, text: lines.joined(separator: "\n")))
        #expect(findings.contains { $0.contains("the Hungarian half has") }, "\(findings)")

        lines = doc.lines
        let first = try #require(doc.headings.first { hu.contains($0.line) && $0.level == 3 })
        lines.insert("A `--gyorsan` kapcsolóval gyorsabb.", at: first.line)
        let option = Self.findings(halvesOf: DocText(name: doc.name, text: lines.joined(separator: "\n")))
        #expect(
            option == ["docs/interviewer.md:\(first.line) '\(first.text)': only in Hungarian [\"--gyorsan\"], only in English []"],
            "\(option)")
    }
}
