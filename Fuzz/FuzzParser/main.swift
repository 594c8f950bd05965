// libFuzzer target for the questionnaire compiler: any bytes as a main file (with an include
// resolving to a small module) must give a result, never a crash or a hang; a clean compile
// must encode, hash and decode back to the same survey; rendering must not fail.
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

func fuzzCompiler(_ bytes: [UInt8]) {
    let loader = InMemoryLoader(["m.survey": module, "a.survey": "include \"m.survey\""])
    let result = compile(SourceFile(path: "f.survey", bytes: bytes), loader: loader)
    _ = DiagnosticRenderer(colors: true).render(result.diagnostics)
    _ = DiagnosticJSON.encode(result.diagnostics)
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
