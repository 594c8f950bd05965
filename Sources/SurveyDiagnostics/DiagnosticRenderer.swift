import Foundation

import enum SurveyModel.DisplayWidth

/// Renders diagnostics as text for people (optionally coloured) or as JSON for tools.
///
/// Text form:
/// ```
/// survey.survey:12:8: error[E0401]: undefined name 'hh_siz'
///    |
/// 12 |   when hh_siz > 2
///    |        ^^^^^^
///    = help: did you mean 'hh_size'?
/// survey.survey:4:12: note: first defined here
/// ```
public struct DiagnosticRenderer: Sendable {
    /// Whether to use ANSI colours.
    public var colors: Bool

    public init(colors: Bool = false) { self.colors = colors }

    /// The widest source excerpt shown, in characters; longer lines are windowed.
    static let maxExcerpt = 120

    /// Colours only when the stream is a terminal and `NO_COLOR` is not set.
    public static func forTerminal(fileDescriptor: Int32) -> DiagnosticRenderer {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return DiagnosticRenderer(colors: isatty(fileDescriptor) == 1 && !noColor)
    }

    private func paint(_ s: String, _ code: String) -> String { colors ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    private func severityLabel(_ severity: Severity, code: DiagnosticCode?) -> String {
        let name = code.map { "\(severity.rawValue)[\($0)]" } ?? severity.rawValue
        switch severity {
        case .error: return paint(name, "1;31")
        case .warning: return paint(name, "1;33")
        case .note: return paint(name, "1;36")
        }
    }

    /// One diagnostic with its excerpt, help and notes; ends with a newline.
    public func render(_ d: Diagnostic) -> String {
        // Room for a usual diagnostic made once, rather than the text regrown at every part.
        var out = ""
        out.reserveCapacity(512)
        out += "\(d.range.file.path):\(d.range.startLocation): \(severityLabel(d.severity, code: d.code)): "
        out += "\(paint(d.message, "1"))\n"
        out += excerpt(d.range)
        if let help = d.help { out += "   = \(paint("help", "1;32")): \(help)\n" }
        for fix in d.fixIts where d.help == nil { out += "   = \(paint("help", "1;32")): \(fix.message)\n" }
        for note in d.notes {
            if let r = note.range {
                out += "\(r.file.path):\(r.startLocation): \(severityLabel(.note, code: nil)): \(note.message)\n"
                out += excerpt(r)
            } else {
                out += "   = \(paint("note", "1;36")): \(note.message)\n"
            }
        }
        return out
    }

    /// The source line of a range's start with a caret underline.
    ///
    /// Locations count Unicode scalars (as `file:line:column` says), but a terminal shows
    /// columns: the carets are placed and sized by ``DisplayWidth`` (a decomposed `ő` is two
    /// scalars in one column, a CJK character or an emoji one scalar in two).
    public func excerpt(_ range: SourceRange) -> String {
        let start = range.startLocation
        let line = range.file.lineText(start.line)
        let gutter = String(start.line)
        let pad = String(repeating: " ", count: gutter.count)
        // The scalars shown: a tab or control character as a space, and very long lines as a
        // window around the caret with "…" where they are cut.
        func shown(_ s: Unicode.Scalar) -> Unicode.Scalar { s == "\t" || s.value < 0x20 ? " " : s }
        var scalars = Array(line.unicodeScalars)
        let endLoc = range.endLocation
        var width = endLoc.line == start.line ? endLoc.column - start.column : scalars.count - start.column + 1
        width = max(1, min(width, DiagnosticRenderer.maxExcerpt))
        var column = start.column
        let window = DiagnosticRenderer.maxExcerpt
        if scalars.count > window {
            let from = max(0, min(column - 1 - window / 4, scalars.count - window))
            let ellipsis: [Unicode.Scalar] = ["…"]
            let cut = from + window < scalars.count
            scalars = (from > 0 ? ellipsis : []) + scalars[from..<min(scalars.count, from + window)] + (cut ? ellipsis : [])
            column = column - from + (from > 0 ? 1 : 0)
            width = min(width, max(1, scalars.count - column + 1))
        }
        for i in scalars.indices { scalars[i] = shown(scalars[i]) }
        // Widths are measured on the text as shown (grapheme clusters may span scalars); the
        // text is built scalar by scalar, the same bytes as joining one string per scalar.
        func text(_ part: ArraySlice<Unicode.Scalar>) -> String {
            var text = ""
            text.reserveCapacity(part.count)  // the bytes of an ASCII part: its room made once
            for scalar in part { text.unicodeScalars.append(scalar) }
            return text
        }
        let before = min(max(0, column - 1), scalars.count)
        let under = text(scalars[before..<min(scalars.count, before + width)])
        let caretPad = String(repeating: " ", count: DisplayWidth.of(text(scalars[..<before])))
        let carets = paint(String(repeating: "^", count: max(1, DisplayWidth.of(under))), "1;31")
        return "\(pad) |\n\(gutter) | \(text(scalars[...]))\n\(pad) | \(caretPad)\(carets)\n"
    }

    /// Every diagnostic in display order, then nothing else (see ``summary(_:)``).
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics.sortedForDisplay() { out += render(d) }
        return out
    }

    /// A closing line such as `2 errors, 1 warning` or `no problems found`.
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count { $0.severity == .warning }
        if errors == 0 && warnings == 0 { return "no problems found" }
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        if errors > 0 && warnings > 0 { return plural(errors, "error") + ", " + plural(warnings, "warning") }
        return errors > 0 ? plural(errors, "error") : plural(warnings, "warning")
    }
}

/// The JSON form of diagnostics for `--format json`.
public enum DiagnosticJSON {
    struct Position: Codable { var file: String; var line: Int; var column: Int; var offset: Int }
    struct Span: Codable { var start: Position; var end: Position }
    struct NoteJSON: Codable { var message: String; var span: Span? }
    struct FixItJSON: Codable { var message: String; var span: Span; var replacement: String }
    struct Entry: Codable {
        var code: String
        var severity: String
        var message: String
        var span: Span
        var notes: [NoteJSON]
        var help: String?
        var fixIts: [FixItJSON]
    }
    struct Document: Codable { var diagnostics: [Entry]; var errors: Int; var warnings: Int }

    static func span(_ r: SourceRange) -> Span {
        let s = r.startLocation, e = r.endLocation
        return Span(
            start: Position(file: r.file.path, line: s.line, column: s.column, offset: r.start),
            end: Position(file: r.file.path, line: e.line, column: e.column, offset: r.end))
    }

    /// `{"diagnostics":[…],"errors":N,"warnings":N}` with sorted keys and a final newline.
    public static func encode(_ diagnostics: [Diagnostic]) -> Data {
        let entries = diagnostics.sortedForDisplay().map { d in
            Entry(
                code: d.code.rawValue, severity: d.severity.rawValue, message: d.message, span: span(d.range),
                notes: d.notes.map { NoteJSON(message: $0.message, span: $0.range.map(span)) }, help: d.help,
                fixIts: d.fixIts.map { FixItJSON(message: $0.message, span: span($0.range), replacement: $0.replacement) })
        }
        let doc = Document(
            diagnostics: entries, errors: diagnostics.count(where: \.isError),
            warnings: diagnostics.count { $0.severity == .warning })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = (try? encoder.encode(doc)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }
}
