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

/// Everything the text renderer reads of a diagnostic, the source lines it shows included: two
/// diagnostics of the same shape render the same text. Most inputs are a mutation of another and
/// keep most of its diagnostics, so each shape is rendered once rather than for every input
/// that has it (the renderer's code still runs on every new shape; rendering the same shape
/// again could only repeat its result).
struct TextShape: Hashable {
    struct Place: Hashable {
        var path: String
        var start: LineColumn
        var end: LineColumn
        var line: String  // the excerpt's source line

        init(_ r: SourceRange) {
            path = r.file.path
            start = r.startLocation
            end = r.endLocation
            line = r.file.lineText(start.line)
        }
    }

    var code: DiagnosticCode
    var severity: Severity
    var message: String
    var help: String?
    var fixes: [String]
    var place: Place
    var notes: [String]
    var notePlaces: [Place?]

    init(_ d: Diagnostic) {
        code = d.code
        severity = d.severity
        message = d.message
        help = d.help
        fixes = d.help == nil ? d.fixIts.map(\.message) : []
        place = Place(d.range)
        notes = d.notes.map(\.message)
        notePlaces = d.notes.map { $0.range.map(Place.init) }
    }
}

/// Everything the JSON form reads of the diagnostics it is given (offsets, lines and columns of
/// every span; no source text): equal shapes encode to the same bytes.
struct JSONShape: Hashable {
    struct Span: Hashable {
        var path: String
        var start: Int
        var end: Int
        var from: LineColumn
        var to: LineColumn

        init(_ r: SourceRange) {
            path = r.file.path
            start = r.start
            end = r.end
            from = r.startLocation
            to = r.endLocation
        }
    }

    struct Note: Hashable {
        var message: String
        var span: Span?
    }

    struct Fix: Hashable {
        var message: String
        var replacement: String
        var span: Span
    }

    struct Entry: Hashable {
        var code: DiagnosticCode
        var severity: Severity
        var message: String
        var help: String?
        var span: Span
        var notes: [Note]
        var fixes: [Fix]
    }

    var entries: [Entry]

    init(_ diagnostics: [Diagnostic]) {
        entries = diagnostics.map { d in
            Entry(
                code: d.code, severity: d.severity, message: d.message, help: d.help, span: Span(d.range),
                notes: d.notes.map { Note(message: $0.message, span: $0.range.map(Span.init)) },
                fixes: d.fixIts.map { Fix(message: $0.message, replacement: $0.replacement, span: Span($0.range)) })
        }
    }
}

/// The shapes already rendered, by their hash values (64 bits, seeded per process: that two of
/// the at most `limit` shapes remembered share one is as likely as not over some 10^10 inputs),
/// in a set whose room is made once and which is emptied when full. So an input allocates
/// nothing that outlives it: libFuzzer runs an input again, looking for a leak, whenever it
/// left more allocations than it freed (keeping the shapes themselves did that for every input
/// that found new coverage).
struct Seen<Shape: Hashable> {
    private var hashes: Set<Int>
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
        hashes = Set(minimumCapacity: limit)
    }

    /// Whether the shape is new (and remembers it).
    mutating func isNew(_ shape: Shape) -> Bool {
        if hashes.count >= limit { hashes.removeAll(keepingCapacity: true) }
        return hashes.insert(shape.hashValue).inserted
    }
}

nonisolated(unsafe) var renderedText = Seen<TextShape>(limit: 1 << 16)
nonisolated(unsafe) var renderedJSON = Seen<JSONShape>(limit: 1 << 16)

func fuzzCompiler(_ bytes: [UInt8]) {
    let result = compile(SourceFile(path: "f.survey", bytes: bytes), loader: loader)
    let shown = window(result.diagnostics, count: 16, key: bytes.first).filter { renderedText.isNew(TextShape($0)) }
    _ = DiagnosticRenderer(colors: true).render(shown)
    _ = DiagnosticRenderer.summary(result.diagnostics)
    let encoded = window(result.diagnostics, count: 2, key: bytes.first)
    if renderedJSON.isNew(JSONShape(encoded)) { _ = DiagnosticJSON.encode(encoded) }
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

/// AddressSanitizer's defaults for this target (ASAN_OPTIONS still overrides them): each
/// allocation and free records 8 frames of its stack instead of 30. The compiler allocates
/// thousands of times an input, and walking and storing 30 frames each time was an eighth of an
/// execution; a report still shows where memory was allocated and freed, 8 calls deep.
/// Finding nothing depends on it: the checks of every access are the same.
@_cdecl("__asan_default_options")
public func asanDefaultOptions() -> UnsafePointer<CChar> {
    UnsafeRawPointer(("malloc_context_size=8" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
}

FuzzEntry.main("FuzzParser", script: "scripts/fuzz.sh", run: { fuzzCompiler(Array($0)) })
