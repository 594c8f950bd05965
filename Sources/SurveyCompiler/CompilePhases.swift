import Crypto
import Foundation
import SurveyDiagnostics
import SurveyModel

/// The wall time of each compiler phase, for the `compile-phases` benchmark.
///
/// Runs the same steps as ``compile(_:loader:)`` and ``Analyzer/run(_:)``, in the same order,
/// timing each one; the result is discarded. Lexing is timed on its own and then again inside
/// parsing, so `parse` below excludes it by subtraction.
@_spi(Benchmark)
public enum CompilePhases {
    /// Phase name and seconds, in execution order.
    public static func measure(_ root: SourceFile, loader: any SourceLoader) -> [(phase: String, seconds: Double)] {
        var out: [(phase: String, seconds: Double)] = []
        let lastEnd = phases(root, loader: loader, into: &out)
        // Every token, AST node, symbol table and the definition is released on return.
        out.append(("teardown (free all)", Double(DispatchTime.now().uptimeNanoseconds - lastEnd) / 1e9))
        return out
    }

    /// Runs and times the phases; returns when the last one ended, before anything is freed.
    private static func phases(_ root: SourceFile, loader: any SourceLoader, into out: inout [(phase: String, seconds: Double)]) -> UInt64 {
        func time<T>(_ name: String, _ body: () -> T) -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let value = body()
            out.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
            return value
        }
        let lexed = time("lex") { Lexer.tokenize(root) }
        precondition(lexed.diagnostics.isEmpty, "benchmark input must lex cleanly")
        var (unit, diagnostics) = time("lex + parse") { Parser.parse(root) }
        var state = IncludeState()
        state.rootPath = SourcePaths.normalize(root.path)
        unit.decls = time("include expansion") { state.expand(unit.decls, from: root, loader: loader) }
        diagnostics += state.diagnostics
        var analyzer = Analyzer()
        guard let header = unit.header else { return DispatchTime.now().uptimeNanoseconds }
        analyzer.languages = header.languages.map { LanguageCode($0.text) }
        analyzer.defaultSpecials = header.specials.map { analyzer.parseSpecials($0) } ?? []
        time("symbol collection") { analyzer.collectSymbols(unit.decls) }
        time("type inference") { analyzer.inferCalculationTypes() }
        let (items, _) = time("lowering + checking") { analyzer.lowerDecls(unit.decls, rosters: [], group: nil) }
        let outcome = analyzer.lowerOutcome(header)
        let targets = analyzer.lowerTargets(outcome: outcome)
        time("cycle check") { analyzer.checkCycles() }
        diagnostics += analyzer.diagnostics
        _ = time("diagnostic sort") { diagnostics.sortedForDisplay() }
        let definition = SurveyDefinition(
            id: SurveyID(header.name.text), version: header.version ?? "", title: LocalizedText([:]),
            languages: analyzer.languages, outcome: outcome,
            answerSets: analyzer.answerSetOrder.compactMap { analyzer.answerSets[$0]?.set },
            items: items, targets: targets)
        let bytes = time("canonical JSON") { try? definition.canonicalJSON() }
        if let bytes { time("SHA-256") { _ = SHA256.hash(data: bytes) } }
        let end = DispatchTime.now().uptimeNanoseconds
        // Keep everything alive until here, so no phase's timing includes freeing another's data.
        withExtendedLifetime((lexed, unit, state, analyzer, definition, bytes)) {}
        return end
    }
}
