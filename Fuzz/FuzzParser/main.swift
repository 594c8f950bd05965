// libFuzzer target for the questionnaire compiler: any bytes as a main file (with an include
// resolving to a small module) must give a result, never a crash or a hang; a clean compile
// must encode, hash and decode back to the same survey; rendering (of up to 16 diagnostics as
// text, 2 as JSON, chosen by the input) must not fail.
// Built and run by scripts/fuzz.sh; a plain build prints a hint.
import Foundation
import FuzzSupport
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel

let module = """
    answers M { 1 hu "a" en "a" 2 hu "b" en "b" other }
    question m single M { text hu "m" en "m" }
    """

/// At most `count` of the diagnostics, from a place the input chooses (its first byte): a
/// mutated file gives hundreds, and rendering every one with its source excerpt was half of each
/// execution (their JSON through JSONEncoder a fifth more), while one input's diagnostics
/// exercise the same rendering code; across inputs every diagnostic of a file can be chosen.
func window(_ all: [Diagnostic], count: Int, key: UInt8?) -> [Diagnostic] {
    guard all.count > count else { return all }
    let from = Int(key ?? 0) * count % all.count
    return Array(all[from..<min(all.count, from + count)])
}

func fuzzCompiler(_ bytes: [UInt8]) {
    let loader = InMemoryLoader(["m.survey": module, "a.survey": "include \"m.survey\""])
    let result = compile(SourceFile(path: "f.survey", bytes: bytes), loader: loader)
    _ = DiagnosticRenderer(colors: true).render(window(result.diagnostics, count: 16, key: bytes.first))
    _ = DiagnosticRenderer.summary(result.diagnostics)
    _ = DiagnosticJSON.encode(window(result.diagnostics, count: 2, key: bytes.first))
    if let compiled = result.compiled {
        precondition(!result.hasErrors, "compiled despite errors")
        let canonical = try? compiled.definition.canonicalJSON()
        precondition(
            canonical != nil && (try? SurveyDefinition.canonicalEncoder().encode(compiled.definition)) == canonical,
            "the canonical writer differs from Codable's canonical encoding")
        guard let file = try? compiled.fileData() else { fatalError("a compiled survey failed to encode") }
        guard let back = try? SurveyLoader.decode(file) else { fatalError("a compiled survey failed to decode") }
        precondition(back == compiled, "decode(encode(x)) != x")
    } else {
        precondition(result.hasErrors, "no survey and no error")
    }
}

FuzzEntry.main("FuzzParser", script: "scripts/fuzz.sh", run: { fuzzCompiler(Array($0)) })
