import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyTestSupport
import TestSupportFixtures
import Testing

@testable import SurveyModel

/// The compiler never crashes or hangs: every bad input gives diagnostics.
struct RobustnessTests {
    static func compileBytes(_ bytes: [UInt8]) -> CompileResult {
        compile(SourceFile(path: "x.survey", bytes: bytes), loader: InMemoryLoader())
    }

    @Test func emptyFileSaysTheHeaderIsMissing() {
        let r = Self.compileBytes([])
        #expect(r.diagnostics.map(\.code) == ["E0105"])
    }

    @Test func binaryGarbageGivesDiagnosticsNotACrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let bytes = (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let r = Self.compileBytes(bytes)
            #expect(r.hasErrors)
            #expect(r.compiled == nil)
        }
    }

    @Test func invalidUTF8IsReportedOnce() {
        let bytes = Array((testHeader + "note n { text hu \"").utf8) + [0xC3, 0x28, 0xFF] + Array("\" en \"x\" }".utf8)
        let r = Self.compileBytes(bytes)
        #expect(r.diagnostics.filter { $0.code == "E0001" }.count == 1)
        // Rendering a line with invalid bytes must not fail either.
        #expect(!DiagnosticRenderer().render(r.diagnostics).isEmpty)
    }

    @Test(arguments: [
        String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
        String(repeating: "- not ", count: 10_000) + "1",
        "1" + String(repeating: " + 1", count: 50_000),
        String(repeating: "f(", count: 10_000),
        String(repeating: "x[", count: 10_000),
    ])
    func deepNestingIsRefusedWithE0102(_ expression: String) {
        let r = Self.compileBytes(Array((testHeader + "calculate x = " + expression + "\n").utf8))
        #expect(r.diagnostics.contains { $0.code == "E0102" })
        #expect(r.diagnostics.count < 200)
    }

    @Test func deeplyNestedSectionsAreRefused() {
        let source = testHeader + String(repeating: "section s {", count: 10_000) + String(repeating: "}", count: 10_000)
        let r = Self.compileBytes(Array(source.utf8))
        #expect(r.diagnostics.contains { $0.code == "E0102" })
    }

    @Test(arguments: ["question", "question q", "question q integer {", "survey", "answers A { 1 hu", "\"", "@", "roster r count"])
    func truncatedInputsGiveDiagnostics(_ tail: String) {
        let r = Self.compileBytes(Array((testHeader + tail).utf8))
        #expect(r.hasErrors)
    }

    @Test func thousandsOfUnknownNamesAreAllReportedWithoutQuadraticSuggestions() {
        var source = testHeader
        for i in 0..<3_000 { source += "question q\(i) integer { text hu \"x\" en \"x\" when u\(i) > 1 }\n" }
        let r = Self.compileBytes(Array(source.utf8))
        let undefined = r.diagnostics.filter { $0.code == "E0401" }
        #expect(undefined.count == 3_000)
        #expect(undefined.filter { $0.help != nil }.count <= 200)
    }

    @Test func allErrorsOfAllFilesComeOutInOneRun() {
        let (result, _) = compileMarked(
            """
            include "m.survey"
            question a integer { text hu "x" en "x" when b > 1 }
            question a text { text hu "x" }
            question c integer 5..1 { text hu "x" en "x" optinal }
            calculate d = yaer(today())
            """, modules: ["m.survey": "question m integer { text hu \"x\" en \"x\" when zz }\nanswers U { 1 hu \"a\" en \"a\" }"])
        let codes = Set(result.diagnostics.map(\.code.rawValue))
        #expect(codes.isSuperset(of: ["E0401", "E0403", "E0301", "E0204", "E0101", "E0404", "W0501"]))
        #expect(result.diagnostics.contains { $0.range.file.path == "m.survey" })
    }

    @Test func compilingTwiceGivesIdenticalBytesAndHash() throws {
        let root = goldenDirectory() + "/../../questionnaires"
        for name in ["wellbeing.survey", "energy.survey"] {
            let path = root + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let file = try FileSystemLoader().load(path)
            let a = compile(file, loader: FileSystemLoader()), b = compile(file, loader: FileSystemLoader())
            let ca = try #require(a.compiled), cb = try #require(b.compiled)
            #expect(try ca.fileData() == cb.fileData())
            // The compiler's file, written around the bytes it hashed, is the same file.
            #expect(try a.fileData() == ca.fileData())
            #expect(ca.hash == cb.hash)
            #expect(ca.hash == (try SurveyHasher.hash(ca.definition)))
            #expect(ca.hash.rawValue.count == 64)
        }
    }

    @Test func surveyLoaderVerifiesTheHash() throws {
        let def = try #require(compileClean("question q integer { text hu \"x\" en \"x\" }"))
        let compiled = CompiledSurvey(definition: def, hash: try SurveyHasher.hash(def))
        let data = try compiled.fileData()
        #expect(try SurveyLoader.decode(data) == compiled)
        let tampered = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"q\"", with: "\"r\"").utf8)
        #expect(throws: SurveyLoadError.self) { try SurveyLoader.decode(tampered) }
        var future = compiled
        future.definition.format = 99
        #expect(throws: SurveyLoadError.self) { try SurveyLoader.decode(try future.fileData()) }
        #expect(throws: SurveyLoadError.self) { try SurveyLoader.decode(Data("[1]".utf8)) }
    }

    /// Compiled format 1 (which carried the compiler's dependency graph, written by the compiler
    /// of commit 120b437) still loads with its hash: the graph is kept, unread, for the hash.
    @Test func aFormatOneFileStillLoadsAndKeepsItsHash() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: goldenDirectory() + "/Golden/format1/wellbeing.compiled.json"))
        let compiled = try SurveyLoader.decode(data, path: "wellbeing.compiled.json")
        #expect(compiled.hash == "090557d6318789548b14a625d52ec6cbbaa9686c64abcf94ccc4c1db03f30491")
        #expect(compiled.definition.format == 1 && compiled.definition.dependencies?.dependents.isEmpty == false)
        #expect(try compiled.prettyFileData() == data, "re-encoded to the very same (indented) file")
    }
}

/// The canonical writer behind the hash gives exactly the bytes of its oracle, `Codable` with the
/// canonical encoder.
struct CanonicalJSONTests {
    /// The two studies and a synthetic form with a roster.
    static func definitions() throws -> [SurveyDefinition] {
        var definitions: [SurveyDefinition] = []
        let root = goldenDirectory() + "/../../questionnaires"
        for name in ["wellbeing.survey", "energy.survey"] where FileManager.default.fileExists(atPath: root + "/" + name) {
            let file = try FileSystemLoader().load(root + "/" + name)
            definitions.append(try #require(compile(file, loader: FileSystemLoader()).compiled?.definition))
        }
        var spec = SyntheticSurvey(questions: 200, calculations: 100, checks: 300)
        spec.roster = true
        definitions.append(
            try #require(compile(SourceFile(path: "s.survey", text: spec.source()), loader: InMemoryLoader()).compiled?.definition))
        return definitions
    }

    @Test func fastWriterMatchesJSONEncoderOnTheStudiesAndTheSyntheticForm() throws {
        for d in try Self.definitions() {
            #expect(CanonicalJSONWriter.encode(d).map { Data($0) } == (try SurveyDefinition.canonicalEncoder().encode(d)))
        }
    }

    /// A definition with every escaping and number-formatting case.
    static func tricky() -> SurveyDefinition {
        let tricky = "q\"\\/\n\r\t\u{8}\u{C}\u{1}\u{1F}\u{7F}é€😀\u{2028}"
        return SurveyDefinition(
            id: "x", version: tricky, title: LocalizedText(["hu": tricky, "en": "a", "Zz": "b", "_": "c"]),
            languages: ["hu", "en"], outcome: OutcomeSpec(variable: "o", completeCode: 11),
            answerSets: [AnswerSet(id: "A", options: [Option(code: -8, label: LocalizedText(["en": "x"]), exclusive: true)])],
            items: [
                .question(
                    Question(name: "d", kind: .decimal(min: .literal(.decimal(0.1 + 0.2)), max: .literal(.decimal(1e21)), places: 2))),
                .question(
                    Question(
                        name: "c", kind: .calculated(.aggregate(.sum, roster: "r", body: .rowVariable("m", row: .currentRow)), .decimal),
                        defaultValue: DefaultRule(value: .literal(.decimal(-0.0)), condition: .unary(.not, .option)))),
                .end(EndRule(condition: .call(.makeDate, [.literal(.integer(Int.min))]), outcome: 3)),
                .group(
                    Group(
                        id: "r", kind: .roster(RosterSpec(count: nil, maxRows: 5)), checks: [],
                        children: [
                            .question(Question(name: "m", kind: .scale(min: 0, max: 10, labels: "A"), otherOf: "c"))
                        ])),
            ],
            dependencies: DependencyGraph(dependents: ["q10": [.check("z"), .end(2)], "q9": [.question("a")]], calculationOrder: ["c"]))
    }

    @Test func fastWriterEscapesAndFormatsLikeJSONEncoder() throws {
        let def = Self.tricky()
        #expect(CanonicalJSONWriter.encode(def).map { Data($0) } == (try SurveyDefinition.canonicalEncoder().encode(def)))
    }

    /// The compiled file through the fast writer (compact, and indented by ``PrettyJSON``), and
    /// through its oracle, `JSONEncoder` with the canonical options (and `.prettyPrinted`).
    static func expectFileMatchesEncoder(_ d: SurveyDefinition) throws {
        let compiled = CompiledSurvey(definition: d, hash: DefinitionHash(String(repeating: "ab", count: 32)))
        var oracle = try SurveyDefinition.canonicalEncoder().encode(compiled)
        oracle.append(0x0A)
        #expect(try compiled.fileData() == oracle)
        var prettyOracle = try SurveyDefinition.canonicalEncoder(pretty: true).encode(compiled)
        prettyOracle.append(0x0A)
        #expect(try compiled.prettyFileData() == prettyOracle)
        let decoded = try [compiled.fileData(), compiled.prettyFileData()].map { try JSONDecoder().decode(CompiledSurvey.self, from: $0) }
        #expect(decoded[0] == compiled && decoded[1] == compiled)
    }

    @Test func compiledFileMatchesJSONEncoderByteForByte() throws {
        for d in try Self.definitions() { try Self.expectFileMatchesEncoder(d) }
        try Self.expectFileMatchesEncoder(Self.tricky())
        // Empty arrays and objects are written as JSONEncoder writes them: "[\n\n  ]".
        try Self.expectFileMatchesEncoder(
            SurveyDefinition(id: "e", version: "1", title: LocalizedText([:]), languages: [], answerSets: [], items: []))
    }
}
