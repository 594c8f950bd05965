import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyTestSupport
import Testing

/// Reads files under a base directory but names them by their relative path, so rendered
/// diagnostics do not depend on where the repository is checked out.
struct RelativeLoader: SourceLoader {
    var base: String

    func load(_ path: String) throws(SourceLoadError) -> SourceFile {
        let file = try FileSystemLoader().load(base + "/" + path)
        return SourceFile(path: path, bytes: file.bytes)
    }
}

/// One broken questionnaire per diagnostic code, compared with its rendered `.expected` text.
struct GoldenDiagnosticsTests {
    static let directory = goldenDirectory() + "/Golden/diagnostics"

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".survey") }.map { String($0.dropLast(7)) }.sorted()
    }

    static func render(_ code: String) throws -> (text: String, diagnostics: [Diagnostic]) {
        let loader = RelativeLoader(base: directory)
        let root = try loader.load("\(code).survey")
        let result = compile(root, loader: loader)
        let text = DiagnosticRenderer(colors: false).render(result.diagnostics) + DiagnosticRenderer.summary(result.diagnostics) + "\n"
        return (text, result.diagnostics)
    }

    @Test(arguments: cases)
    func brokenFileGivesItsDiagnostic(_ code: String) throws {
        let (text, diagnostics) = try Self.render(code)
        #expect(diagnostics.contains { $0.code.rawValue == code }, "no \(code) in:\n\(text)")
        assertGolden(text, file: "\(Self.directory)/\(code).expected")
    }

    /// Every code the compiler can emit (found in Messages.swift) has a golden file.
    @Test func everyDiagnosticCodeHasAGoldenFile() throws {
        let root = URL(fileURLWithPath: goldenDirectory()).deletingLastPathComponent().deletingLastPathComponent()
        let messages = try String(
            contentsOf: root.appendingPathComponent("Sources/SurveyCompiler/Messages.swift"), encoding: .utf8)
        let regex = try Regex(#""([EW]\d\d\d\d)""#)
        let codes = Set(messages.matches(of: regex).compactMap { $0.output[1].substring.map(String.init) })
        #expect(codes.count >= 35)
        let missing = codes.subtracting(Self.cases).sorted()
        #expect(missing.isEmpty, "codes without a golden file: \(missing)")
    }
}
