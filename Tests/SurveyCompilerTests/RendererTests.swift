import Foundation
import SurveyCompiler
import SurveyDiagnostics
import SurveyModel
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

    /// The excerpt as it was written before only the window's scalars were made strings: every
    /// scalar of the line made a string, then the window cut out (the oracle for long lines).
    static func excerptOfWholeLine(_ range: SourceRange) -> String {
        let start = range.startLocation, end = range.endLocation, window = 120
        let gutter = String(start.line), pad = String(repeating: " ", count: gutter.count)
        var scalars = range.file.lineText(start.line).unicodeScalars.map { $0 == "\t" || $0.value < 0x20 ? " " : String($0) }
        var width = max(1, min(end.line == start.line ? end.column - start.column : scalars.count - start.column + 1, window))
        var column = start.column
        if scalars.count > window {
            let from = max(0, min(column - 1 - window / 4, scalars.count - window))
            let slice = Array(scalars[from..<min(scalars.count, from + window)])
            scalars = (from > 0 ? ["…"] : []) + slice + (from + window < scalars.count ? ["…"] : [])
            column = column - from + (from > 0 ? 1 : 0)
            width = min(width, max(1, scalars.count - column + 1))
        }
        let before = min(max(0, column - 1), scalars.count)
        let under = scalars[before..<min(scalars.count, before + width)].joined()
        let caretPad = String(repeating: " ", count: DisplayWidth.of(scalars[..<before].joined()))
        let carets = String(repeating: "^", count: max(1, DisplayWidth.of(under)))
        return "\(pad) |\n\(gutter) | \(scalars.joined())\n\(pad) | \(caretPad)\(carets)\n"
    }

    @Test func longLinesAreWindowedAroundTheCaretAsBefore() {
        let pieces = ["a", "\t", "\u{1}", "ő", "o\u{30B}", "漢", "🙂", " "]
        var seed: UInt64 = 5
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for length in [1, 119, 120, 121, 200, 400] {
            let line = (0..<length).map { _ in pieces[next(pieces.count)] }.joined()
            let file = SourceFile(path: "a.survey", text: "x\n" + line + "\nsecond line")
            let first = Array("x\n".utf8).count, bytes = Array(line.utf8).count
            for _ in 0..<40 {
                let start = first + next(bytes + 1)
                let range = SourceRange(file: file, start: start, end: start + next(bytes + 20))
                #expect(
                    DiagnosticRenderer().excerpt(range) == Self.excerptOfWholeLine(range), "length \(length), \(range.start)..<\(range.end)"
                )
            }
        }
    }

    /// A line of random bytes, invalid UTF-8 and control characters included (no line break).
    static func randomLine(_ length: Int, _ next: (Int) -> Int) -> [UInt8] {
        let interesting: [UInt8] = [
            0x00, 0x09, 0x0D, 0x20, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xC5, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        return (0..<length).map { _ in next(4) == 0 ? UInt8(0x20 + next(0x5F)) : interesting[next(interesting.count)] }
    }

    static func generator(seed: UInt64) -> (Int) -> Int {
        var seed = seed
        return { n in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
    }

    @Test func columnsCountTheScalarsOfTheRepairedText() {
        // Columns are counted from the bytes; the decoded text (each maximal ill-formed subpart
        // one U+FFFD) is the oracle.
        let next = Self.generator(seed: 11)
        for round in 0..<3_000 {
            let line = Self.randomLine(1 + next(12 + round % 40), next)
            let file = SourceFile(path: "a.survey", bytes: [0x78, 0x0A] + line + [0x0A, 0x79])
            for offset in 0...line.count {
                let expected = String(decoding: line[..<offset], as: UTF8.self).unicodeScalars.count + 1
                #expect(file.location(of: 2 + offset) == LineColumn(line: 2, column: expected), "\(line) at \(offset)")
            }
        }
    }

    @Test func excerptsOfInvalidBytesAndControlsAsBefore() {
        let next = Self.generator(seed: 7)
        for length in [1, 30, 119, 120, 121, 300] {
            let line = Self.randomLine(length, next)
            let file = SourceFile(path: "a.survey", bytes: [0x78, 0x0A] + line + [0x0A, 0x79])
            for _ in 0..<40 {
                let start = 2 + next(length + 1)
                let range = SourceRange(file: file, start: start, end: start + next(length + 20))
                #expect(DiagnosticRenderer().excerpt(range) == Self.excerptOfWholeLine(range), "\(line), \(range.start)..<\(range.end)")
            }
        }
    }

    @Test func displayOrderIsStableAndAlreadySortedArraysStayAsTheyAre() {
        let next = Self.generator(seed: 3)
        let files = [SourceFile(path: "b.survey", text: String(repeating: "x", count: 40)), SourceFile(path: "a.survey", text: "y")]
        let codes: [DiagnosticCode] = ["E0101", "E0102", "W0501"]
        for _ in 0..<500 {
            let all = (0..<next(12)).map { i in
                Diagnostic(codes[next(codes.count)], .error, "\(i)", at: SourceRange(file: files[next(2)], start: next(5), end: 6))
            }
            // The order as it was defined: path, start, code, then the original position.
            let expected = all.enumerated().sorted { a, b in
                let x = a.element, y = b.element
                if x.range.file.path != y.range.file.path { return x.range.file.path < y.range.file.path }
                if x.range.start != y.range.start { return x.range.start < y.range.start }
                if x.code != y.code { return x.code < y.code }
                return a.offset < b.offset
            }.map(\.element)
            #expect(all.sortedForDisplay().map(\.message) == expected.map(\.message))
            #expect(expected.sortedForDisplay().map(\.message) == expected.map(\.message))
        }
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
