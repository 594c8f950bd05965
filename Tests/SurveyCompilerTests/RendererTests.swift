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
