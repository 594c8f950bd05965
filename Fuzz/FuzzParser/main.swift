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

/// The include every input may name, the same for all: made once, not per input.
let loader = InMemoryLoader([
    "m.survey": """
    answers M { 1 hu "a" en "a" 2 hu "b" en "b" other }
    question m single M { text hu "m" en "m" }
    """,
    "a.survey": "include \"m.survey\"",
])

/// At most `count` of the diagnostics, from a place the input chooses (its first byte): a
/// mutated file gives hundreds, and rendering every one with its source excerpt was half of each
/// execution (their JSON through JSONEncoder a fifth more), while one input's diagnostics
/// exercise the same rendering code; across inputs every diagnostic of a file can be chosen.
func window(_ all: [Diagnostic], count: Int, key: UInt8?) -> [Diagnostic] {
    guard all.count > count else { return all }
    let from = Int(key ?? 0) * count % all.count
    return Array(all[from..<min(all.count, from + count)])
}

/// The hash of everything the text renderer reads of a diagnostic, the source line it shows
/// included: two diagnostics of the same shape render the same text. Most inputs are a mutation
/// of another and keep most of its diagnostics, so each shape is rendered once rather than for
/// every input that has it (the renderer's code still runs on every new shape; rendering the same
/// shape again could only repeat its result). Texts are hashed as their UTF-8 bytes (finer than
/// String's hashing, which treats canonically equivalent texts as one) and fed to the hasher as
/// they are, without a shape value holding copies of them.
func textShape(_ d: Diagnostic) -> Int {
    var h = Hasher()
    h.combineUTF8(d.code.rawValue)
    h.combine(d.severity)
    h.combineUTF8(d.message)
    h.combineUTF8(d.help)
    h.combine(d.help == nil ? d.fixIts.count : 0)
    if d.help == nil { for fix in d.fixIts { h.combineUTF8(fix.message) } }
    h.combinePlace(d.range)
    h.combine(d.notes.count)
    for note in d.notes {
        h.combineUTF8(note.message)
        h.combine(note.range != nil)
        if let r = note.range { h.combinePlace(r) }
    }
    return h.finalize()
}

/// The hash of everything the JSON form reads of the diagnostics it is given (offsets, lines and
/// columns of every span; no source text): equal shapes encode to the same bytes.
func jsonShape(_ diagnostics: [Diagnostic]) -> Int {
    var h = Hasher()
    h.combine(diagnostics.count)
    for d in diagnostics {
        h.combineUTF8(d.code.rawValue)
        h.combine(d.severity)
        h.combineUTF8(d.message)
        h.combineUTF8(d.help)
        h.combineSpan(d.range)
        h.combine(d.notes.count)
        for note in d.notes {
            h.combineUTF8(note.message)
            h.combine(note.range != nil)
            if let r = note.range { h.combineSpan(r) }
        }
        h.combine(d.fixIts.count)
        for fix in d.fixIts {
            h.combineUTF8(fix.message)
            h.combineUTF8(fix.replacement)
            h.combineSpan(fix.range)
        }
    }
    return h.finalize()
}

extension Hasher {
    /// A text as its length and UTF-8 bytes.
    mutating func combineUTF8(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            combine(bytes.count)
            combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }

    mutating func combineUTF8(_ text: String?) {
        combine(text != nil)
        if let text { combineUTF8(text) }
    }

    /// What a text rendering shows of a range: its file's path, where it starts and ends, and the
    /// bytes of the source line its excerpt shows.
    mutating func combinePlace(_ r: SourceRange) {
        let start = r.startLocation, end = r.endLocation
        combineUTF8(r.file.path)
        combine(start)
        combine(end)
        let file = r.file, line = start.line
        let from = file.lineStarts[line - 1]
        let to = line < file.lineStarts.count ? file.lineStarts[line] : file.bytes.count
        combine(to - from)
        file.bytes.withUnsafeBytes { combine(bytes: UnsafeRawBufferPointer(rebasing: $0[from..<to])) }
    }

    /// What the JSON form shows of a range: its file's path, offsets, lines and columns.
    mutating func combineSpan(_ r: SourceRange) {
        combineUTF8(r.file.path)
        combine(r.start)
        combine(r.end)
        combine(r.startLocation)
        combine(r.endLocation)
    }
}

/// The shapes already rendered, by their hash values (64 bits, seeded per process: that two of
/// the at most `limit` shapes remembered share one is as likely as not over some 10^10 inputs),
/// in a set whose room is made once and which is emptied when full. So an input allocates
/// nothing that outlives it: libFuzzer runs an input again, looking for a leak, whenever it
/// left more allocations than it freed (keeping the shapes themselves did that for every input
/// that found new coverage).
struct Seen {
    private var hashes: Set<Int>
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
        hashes = Set(minimumCapacity: limit)
    }

    /// Whether the shape of this hash is new (and remembers it).
    mutating func isNew(_ shape: Int) -> Bool {
        if hashes.count >= limit { hashes.removeAll(keepingCapacity: true) }
        return hashes.insert(shape).inserted
    }
}

nonisolated(unsafe) var renderedText = Seen(limit: 1 << 16)
nonisolated(unsafe) var renderedJSON = Seen(limit: 1 << 16)

func fuzzCompiler(_ bytes: [UInt8]) {
    let result = compile(SourceFile(path: "f.survey", bytes: bytes), loader: loader)
    let shown = window(result.diagnostics, count: 16, key: bytes.first).filter { renderedText.isNew(textShape($0)) }
    _ = DiagnosticRenderer(colors: true).render(shown)
    _ = DiagnosticRenderer.summary(result.diagnostics)
    let encoded = window(result.diagnostics, count: 2, key: bytes.first)
    if renderedJSON.isNew(jsonShape(encoded)) { _ = DiagnosticJSON.encode(encoded) }
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

/// AddressSanitizer's defaults for this target (ASAN_OPTIONS still overrides them): no
/// allocation or free records its stack. The compiler allocates hundreds of times an input, and
/// walking and storing even 8 frames each time was a twentieth of an execution. Every access is
/// checked the same; only a report of a use after free or a double free lacks where the memory
/// was allocated and freed, which a replay of the crash file shows with
/// `ASAN_OPTIONS=malloc_context_size=30`: an input's compile depends on nothing before it, and a
/// fresh process renders every diagnostic of its window (no shape has been seen yet).
@_cdecl("__asan_default_options")
public func asanDefaultOptions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(("malloc_context_size=0" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
}

FuzzEntry.main("FuzzParser", script: "scripts/fuzz.sh", run: { fuzzCompiler(Array($0)) })
