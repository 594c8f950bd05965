import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel

extension Scenario {
    /// A scenario on questionnaire source text, compiled by `SurveyCompiler` (extra modules by
    /// path in `modules`). A source that does not compile stops the test with its diagnostics.
    public init(source: String, modules: [String: String] = [:], seed: UInt64 = 42, preload: [VariableName: Value] = [:]) {
        self.init(Scenario.compile(source: source, modules: modules), seed: seed, preload: preload)
    }

    /// Compiles questionnaire text to a definition (stops the test on errors).
    public static func compile(source: String, modules: [String: String] = [:]) -> SurveyDefinition {
        let loader = InMemoryLoader(modules.merging(["main.survey": source]) { a, _ in a })
        let result = SurveyCompiler.compile(SourceFile(path: "main.survey", text: source), loader: loader)
        guard let compiled = result.compiled else {
            fatalError("the scenario source does not compile:\n" + DiagnosticRenderer().render(result.diagnostics))
        }
        return compiled.definition
    }

    /// Compiles a questionnaire of this repository (path relative to the package root).
    public static func compile(repositoryFile path: String, file: StaticString = #filePath) -> SurveyDefinition {
        var root = URL(fileURLWithPath: "\(file)")
        while root.path != "/", !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let full = root.appendingPathComponent(path).path
        do {
            let source = try FileSystemLoader().loadRoot(full)
            let result = SurveyCompiler.compile(source, loader: FileSystemLoader())
            guard let compiled = result.compiled else {
                fatalError("\(path) does not compile:\n" + DiagnosticRenderer().render(result.diagnostics))
            }
            return compiled.definition
        } catch {
            fatalError("\(path): \(error)")
        }
    }
}
