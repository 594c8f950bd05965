/// How serious a diagnostic is.
public enum Severity: String, Hashable, Sendable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A stable diagnostic code such as `E0203` (errors) or `W0501` (warnings), documented in
/// docs/diagnostics.md.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, Comparable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.rawValue < b.rawValue }
}

/// Extra information attached to a diagnostic, optionally pointing somewhere else in the source.
public struct Note: Hashable, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }
}

/// A proposed edit: replace the text of `range` with `replacement`.
public struct FixIt: Hashable, Sendable {
    public var message: String
    public var range: SourceRange
    public var replacement: String

    public init(_ message: String, range: SourceRange, replacement: String) {
        self.message = message
        self.range = range
        self.replacement = replacement
    }
}

/// One problem found in a source file: a code, a severity, a message and where.
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [Note]
    /// A short suggestion shown as `help: …`, e.g. "did you mean 'hh_size'?".
    public var help: String?
    public var fixIts: [FixIt]

    public init(
        _ code: DiagnosticCode, _ severity: Severity, _ message: String, at range: SourceRange,
        notes: [Note] = [], help: String? = nil, fixIts: [FixIt] = []
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
        self.help = help
        self.fixIts = fixIts
    }

    public var isError: Bool { severity == .error }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.isError } }

    /// Sorted by file path, position, then code; stable for equal keys.
    public func sortedForDisplay() -> [Diagnostic] {
        // Most arrays come sorted already (the compiler sorts its result; rendering and the JSON
        // form sort again): checking the order copies nothing.
        if indices.dropFirst().allSatisfy({ !Self.displaysBefore(self[$0], self[$0 - 1]) }) { return self }
        return indices.sorted { a, b in
            if Self.displaysBefore(self[a], self[b]) { return true }
            return a < b && !Self.displaysBefore(self[b], self[a])
        }.map { self[$0] }
    }

    /// Whether `x` comes before `y` in display order: by file path, position, then code.
    private static func displaysBefore(_ x: Diagnostic, _ y: Diagnostic) -> Bool {
        if x.range.file !== y.range.file, x.range.file.path != y.range.file.path { return x.range.file.path < y.range.file.path }
        if x.range.start != y.range.start { return x.range.start < y.range.start }
        return x.code < y.code
    }
}
