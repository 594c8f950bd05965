import Foundation
import Testing

/// The questionnaire examples of docs/language.md and docs/diagnostics.md, run through the real
/// `terep check`. Every fence in these two documents says what it is:
///
/// - ```` ```survey ```` — compiles with no diagnostic, except that an answer set or phrase
///   the example declares but does not use may be reported (`W0501`, `W0504`); a fragment (not
///   starting with `survey `) is compiled inside the document's ```` ```survey header ```` block,
///   unless the fence says `whole` (an example of a file without a header); a fence that says
///   `latin1` is saved in ISO-8859-1 instead of UTF-8 (the invalid-UTF-8 example);
/// - ```` ```survey diagnostics ```` — the next fence, ```` ```output ````, is exactly what
///   `terep check` prints for it (in diagnostics.md the file is named after its section's code);
/// - ```` ```sketch — REASON ```` — an illustration with elisions (`…`) or names declared
///   elsewhere, not compiled; the reason says why (a sketch without one is a finding);
/// - ```` ```text ````, ```` ```json ````, ```` ```output ```` — other text, not compiled.
@Suite("Docs: questionnaire examples")
struct ExampleDocTests {
    static let documents = ["docs/language.md", "docs/diagnostics.md"]
    static let kinds: Set<String> = ["survey", "sketch", "output", "text", "json"]
    /// What an isolated example may be told: it declares an answer set or phrase it does not use.
    static let unusedDeclaration: Set<String> = ["W0501", "W0504"]

    /// One example to compile: where it is, the file name it is checked as, its full source,
    /// and the expected output (nil: no diagnostic at all).
    struct Example: CustomTestStringConvertible {
        var place: String
        var fileName: String
        var source: String
        var expected: String?
        var encoding: String.Encoding = .utf8
        var testDescription: String { place }
    }

    /// The examples of one document, or the findings that make it unreadable.
    static func examples(_ doc: DocText) -> (examples: [Example], findings: [String]) {
        let fences = doc.fences
        var findings: [String] = []
        let headers = fences.filter { $0.info == ["survey", "header"] }
        if headers.count > 1 { findings.append("\(doc.name):\(headers[1].line): more than one ```survey header") }
        let header = headers.first?.body
        var out: [Example] = []
        for (i, fence) in fences.enumerated() {
            guard let kind = fence.info.first, kinds.contains(kind) else {
                findings.append(
                    "\(doc.name):\(fence.line - 1): a fence without a known kind (\(fence.info)): mark it ```survey (compiled by the doc tests), ```survey diagnostics with its ```output, or ```sketch — why it is not compiled"
                )
                continue
            }
            if kind == "sketch", fence.info.count < 4 || fence.info[1] != "—" {
                findings.append(
                    "\(doc.name):\(fence.line - 1): a sketch says why it is not compiled (```sketch — the questions' texts are elided); better, complete it and mark it ```survey"
                )
            }
            guard kind == "survey", fence.info != ["survey", "header"] else { continue }
            let whole = fence.body.hasPrefix("survey ") || fence.info.contains("whole")
            guard whole || header != nil else {
                findings.append("\(doc.name):\(fence.line): a fragment, but the document has no ```survey header block")
                continue
            }
            let source = whole ? fence.body + "\n" : header! + "\n" + fence.body + "\n"
            var fileName = "example.survey"
            if let code = section(of: fence.line, in: doc) { fileName = "\(code).survey" }
            let encoding: String.Encoding = fence.info.contains("latin1") ? .isoLatin1 : .utf8
            switch fence.info.dropFirst().first(where: { $0 != "whole" && $0 != "latin1" }) {
            case nil:
                out.append(
                    Example(place: "\(doc.name):\(fence.line)", fileName: fileName, source: source, expected: nil, encoding: encoding))
            case "diagnostics":
                guard i + 1 < fences.count, fences[i + 1].info == ["output"] else {
                    findings.append("\(doc.name):\(fence.line): ```survey diagnostics must be followed by its ```output")
                    continue
                }
                out.append(
                    Example(
                        place: "\(doc.name):\(fence.line)", fileName: fileName, source: source, expected: fences[i + 1].body,
                        encoding: encoding))
            case let other?:
                findings.append("\(doc.name):\(fence.line): unknown fence kind 'survey \(other)'")
            }
        }
        return (out, findings)
    }

    /// The diagnostic code of the `## E0301 — …` section a line is in (diagnostics.md).
    static func section(of line: Int, in doc: DocText) -> String? {
        doc.headings.last { $0.line < line && $0.level == 2 }.flatMap { $0.text.firstMatch(of: #/^([EW]\d{4}) — /#).map { String($0.1) } }
    }

    static let all: [Example] = documents.flatMap { (try? DocText.load($0)).map { examples($0).examples } ?? [] }

    @Test(arguments: documents)
    func everyFenceSaysWhatItIs(document: String) throws {
        let doc = try DocText.load(document)
        let (examples, findings) = Self.examples(doc)
        for finding in findings { Issue.record("\(finding)") }
        #expect(examples.count >= 5, "\(document): only \(examples.count) compiled examples")
    }

    /// What is wrong with one example when run through `terep check` (empty: it gives what the
    /// document says).
    static func problems(_ example: Example) throws -> [String] {
        let dir = try TerepProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The include examples of diagnostics.md read these modules, as the golden files do.
        let modules = TerepProcess.packageRoot.appendingPathComponent("Tests/SurveyCompilerTests/Golden/diagnostics/modules")
        try FileManager.default.copyItem(at: modules, to: dir.appendingPathComponent("modules"))
        let file = dir.appendingPathComponent(example.fileName)
        guard let bytes = example.source.data(using: example.encoding) else {
            return ["\(example.place): the example cannot be saved in \(example.encoding)"]
        }
        try bytes.write(to: file)
        let run = try TerepProcess.run(["check", file.path])
        let output = (run.stdout + run.stderr).replacingOccurrences(of: dir.path + "/", with: "")
            .trimmingCharacters(in: .newlines)
        var out: [String] = []
        if let expected = example.expected {
            if output != expected { out.append("\(example.place): the document shows\n\(expected)\nbut terep check prints\n\(output)") }
            if run.status != (expected.contains("error[") ? 1 : 0) { out.append("\(example.place): exit status \(run.status)") }
        } else {
            let codes = output.matches(of: /(?m)^\S+:\d+:\d+: (?:error|warning)\[(\w+)\]/).map { String($0.1) }
            let clean =
                output == "\(example.fileName): no problems found" || !codes.isEmpty && codes.allSatisfy(Self.unusedDeclaration.contains)
            if run.status != 0 || !clean {
                out.append("\(example.place): the example should compile with no diagnostic, but terep check prints\n\(output)")
            }
        }
        return out
    }

    @Test(arguments: all)
    func theExampleGivesWhatTheDocumentSays(_ example: Example) throws {
        for problem in try Self.problems(example) { Issue.record("\(problem)") }
    }

    /// The check fails when a document and the compiler disagree: an example's output with one
    /// character changed, and an example made wrong, are each reported at their place.
    @Test func aPlantedWrongExampleFailsTheCheck() throws {
        let doc = try DocText.load("docs/diagnostics.md")
        let example = try #require(Self.examples(doc).examples.first { $0.fileName == "E0301.survey" })
        #expect(try Self.problems(example).isEmpty, "the original must be clean for the test to mean anything")
        var output = example
        output.expected = example.expected!.replacingOccurrences(of: "error[E0301]", with: "error[E0302]")
        #expect(try Self.problems(output).first?.hasPrefix("\(example.place): the document shows") == true)
        let language = try DocText.load("docs/language.md")
        var clean = try #require(Self.examples(language).examples.first { $0.expected == nil })
        clean.source += "question broken integer 0..10 { text hu \"Csak magyar\" }\n"
        let problems = try Self.problems(clean)
        #expect(
            problems.count == 1 && problems[0].contains("should compile with no diagnostic") && problems[0].contains("E0301"), "\(problems)"
        )
    }

    /// Every code the compiler can emit (a golden file exists for each: GoldenDiagnosticsTests)
    /// has a section in diagnostics.md whose example the doc tests run.
    @Test func everyDiagnosticCodeHasARunningExample() throws {
        let doc = try DocText.load("docs/diagnostics.md")
        let golden = try FileManager.default.contentsOfDirectory(
            atPath: TerepProcess.packageRoot.appendingPathComponent("Tests/SurveyCompilerTests/Golden/diagnostics").path
        )
        .filter { $0.hasSuffix(".survey") }.map { String($0.dropLast(7)) }
        let run = Set(Self.examples(doc).examples.compactMap { $0.expected != nil ? String($0.fileName.dropLast(7)) : nil })
        #expect(golden.count >= 35)
        for code in golden.sorted() {
            #expect(run.contains(code), "docs/diagnostics.md: no '## \(code) — …' section with a ```survey diagnostics example")
        }
        for example in Self.examples(doc).examples {
            if let expected = example.expected, example.fileName != "example.survey" {
                let code = example.fileName.dropLast(7)
                #expect(expected.contains("[\(code)]"), "\(example.place): the section's example does not show \(code)")
            }
        }
    }
}
