import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
import Testing

/// A source with `1️⃣`, `2️⃣` … location markers removed, and the byte offset of each marker.
public struct MarkedSource: Sendable {
    public var text: String
    public var markers: [String: Int]

    public static let markerNames = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    public init(_ marked: String) {
        var text = ""
        var markers: [String: Int] = [:]
        var rest = Substring(marked)
        outer: while !rest.isEmpty {
            for m in MarkedSource.markerNames where rest.hasPrefix(m) {
                markers[m] = text.utf8.count
                rest = rest.dropFirst(m.count)
                continue outer
            }
            text.append(rest.removeFirst())
        }
        self.text = text
        self.markers = markers
    }
}

/// An expected diagnostic: its code, where it starts (a marker) and optionally message parts.
public struct DiagnosticSpec: Sendable {
    public var code: String
    public var marker: String
    public var messageContains: String?
    public var help: String?

    public init(_ code: String, at marker: String = "1️⃣", message: String? = nil, help: String? = nil) {
        self.code = code
        self.marker = marker
        self.messageContains = message
        self.help = help
    }
}

/// A minimal survey header for fixtures: `survey t { title … version "1" languages hu en }`.
public let testHeader = """
    survey t {
      title hu "Teszt" en "Test"
      version "1"
      languages hu en
    }

    """

/// Compiles a marked source (plus optional modules) in memory.
public func compileMarked(
    _ marked: String, header: Bool = true, modules: [String: String] = [:]
) -> (result: CompileResult, source: MarkedSource) {
    let source = MarkedSource((header ? testHeader : "") + marked)
    var files = modules
    files["main.survey"] = source.text
    let loader = InMemoryLoader(files)
    let root = SourceFile(path: "main.survey", text: source.text)
    return (compile(root, loader: loader), source)
}

/// Expects exactly the given diagnostics (code and start position) of a marked source.
public func assertDiagnostics(
    _ marked: String, _ expected: [DiagnosticSpec], header: Bool = true, modules: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let (result, source) = compileMarked(marked, header: header, modules: modules)
    let actual = result.diagnostics.filter { $0.range.file.path == "main.survey" || modules.isEmpty }
    let rendered = DiagnosticRenderer().render(result.diagnostics)
    #expect(
        actual.count == expected.count, "expected \(expected.count) diagnostics, got:\n\(rendered)",
        sourceLocation: sourceLocation)
    for spec in expected {
        let offset = source.markers[spec.marker]
        let match = actual.first { $0.code.rawValue == spec.code && $0.range.start == offset }
        #expect(match != nil, "no \(spec.code) at \(spec.marker); got:\n\(rendered)", sourceLocation: sourceLocation)
        if let match, let part = spec.messageContains {
            #expect(match.message.contains(part), "message '\(match.message)' lacks '\(part)'", sourceLocation: sourceLocation)
        }
        if let match, let help = spec.help {
            #expect(match.help == help, "help was \(match.help ?? "nil")", sourceLocation: sourceLocation)
        }
    }
}

/// Compiles a source that must have no errors and returns the definition.
public func compileClean(
    _ source: String, header: Bool = true, modules: [String: String] = [:],
    sourceLocation: SourceLocation = #_sourceLocation
) -> SurveyDefinition? {
    let (result, _) = compileMarked(source, header: header, modules: modules)
    #expect(
        !result.hasErrors, "unexpected errors:\n\(DiagnosticRenderer().render(result.diagnostics))",
        sourceLocation: sourceLocation)
    return result.compiled?.definition
}
