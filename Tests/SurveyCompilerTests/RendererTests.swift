import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyTestSupport
import Testing

/// Text and JSON rendering of diagnostics.
struct RendererTests {
    static func sample() -> Diagnostic {
        let file = SourceFile(path: "a.survey", text: "question x integer {\n  when hh_siz > 1\n}\n")
        return Diagnostic(
            "E0401", .error, "undefined variable 'hh_siz'", at: SourceRange(file: file, start: 28, end: 34),
            notes: [Note("declared here", at: SourceRange(file: file, start: 9, end: 10))], help: "did you mean 'hh_size'?")
    }

    @Test func plainTextHasLocationCodeExcerptCaretHelpAndNotes() {
        let text = DiagnosticRenderer(colors: false).render(Self.sample())
        #expect(
            text == """
                a.survey:2:8: error[E0401]: undefined variable 'hh_siz'
                  |
                2 |   when hh_siz > 1
                  |        ^^^^^^
                   = help: did you mean 'hh_size'?
                a.survey:1:10: note: declared here
                  |
                1 | question x integer {
                  |          ^

                """)
        #expect(!text.contains("\u{1B}["))
    }

    @Test func coloursOnlyWhenAsked() {
        #expect(DiagnosticRenderer(colors: true).render(Self.sample()).contains("\u{1B}[1;31m"))
    }

    @Test func columnsCountCharactersNotBytes() {
        let file = SourceFile(path: "a.survey", text: "text hu \"Életkor\" xx")
        #expect(file.location(of: Array("text hu \"Életkor\" ".utf8).count) == LineColumn(line: 1, column: 19))
    }

    /// The caret line of a diagnostic on `source` covering the bytes of `marked` (its first occurrence).
    static func carets(_ source: String, under marked: String) -> (line: String, carets: String) {
        let file = SourceFile(path: "a.survey", text: source)
        let bytes = Array(source.utf8), target = Array(marked.utf8)
        let start = (0...(bytes.count - target.count)).first { Array(bytes[$0..<($0 + target.count)]) == target } ?? 0
        let text = DiagnosticRenderer().excerpt(SourceRange(file: file, start: start, end: start + target.count))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines[1].dropFirst(4)), String(lines[2].dropFirst(4)))
    }

    @Test func caretsFollowDisplayColumnsNotScalars() {
        // A decomposed ő (o + U+030B) is two scalars in one column; the carets stay under the word.
        let decomposed = Self.carets("text hu \"Ko\u{30B}r\" xx_name", under: "xx_name")
        #expect(decomposed.carets == String(repeating: " ", count: 14) + "^^^^^^^")
        // Wide characters take two columns each: three CJK characters push the carets six columns.
        let wide = Self.carets("text \"漢字字\" hh_siz", under: "hh_siz")
        #expect(wide.carets == String(repeating: " ", count: 14) + "^^^^^^")
        // Underlining a wide character takes its two columns; an emoji too.
        #expect(Self.carets("x \"漢\" y", under: "漢").carets == "   ^^")
        #expect(Self.carets("x 🙂 y", under: "🙂").carets == "  ^^")
        // A tab is shown as one space, and counted as one column.
        #expect(Self.carets("\twhen hh_siz", under: "hh_siz").carets == "      ^^^^^^")
    }

    @Test func jsonCarriesSpansNotesAndCounts() throws {
        let data = DiagnosticJSON.encode([Self.sample()])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["code"] as? String == "E0401")
        let start = (first["span"] as? [String: Any])?["start"] as? [String: Any]
        #expect(start?["line"] as? Int == 2)
        #expect(start?["column"] as? Int == 8)
        #expect((first["notes"] as? [[String: Any]])?.count == 1)
    }

    @Test func summaryCountsErrorsAndWarnings() {
        var warning = Self.sample()
        warning.severity = .warning
        #expect(DiagnosticRenderer.summary([Self.sample(), Self.sample(), warning]) == "2 errors, 1 warning")
        #expect(DiagnosticRenderer.summary([]) == "no problems found")
    }
}
