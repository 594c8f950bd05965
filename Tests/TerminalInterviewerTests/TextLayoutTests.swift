import Testing

@testable import TerminalInterviewer

struct TextLayoutTests {
    struct WidthCase: Sendable, CustomTestStringConvertible {
        let text: String
        let width: Int
        let testDescription: String
    }

    static let widths: [WidthCase] = [
        WidthCase(text: "ő", width: 1, testDescription: "precomposed ő"),
        WidthCase(text: "o\u{30B}", width: 1, testDescription: "decomposed ő (o + combining double acute)"),
        WidthCase(text: "u\u{30B}", width: 1, testDescription: "decomposed ű"),
        WidthCase(text: "Árvíztűrő tükörfúrógép", width: 22, testDescription: "Hungarian pangram, precomposed"),
        WidthCase(
            text: "A\u{301}rvi\u{301}ztu\u{30B}ro\u{30B} tu\u{308}ko\u{308}rfu\u{301}ro\u{301}ge\u{301}p", width: 22,
            testDescription: "Hungarian pangram, decomposed"),
        WidthCase(text: "日本", width: 4, testDescription: "CJK ideographs are wide"),
        WidthCase(text: "ＡＢ", width: 4, testDescription: "fullwidth Latin is wide"),
        WidthCase(text: "👍", width: 2, testDescription: "emoji presentation is wide"),
        WidthCase(text: "a\u{200B}b", width: 2, testDescription: "zero width space takes no column"),
        WidthCase(text: "e\u{301}\u{301}", width: 1, testDescription: "stacked combining marks"),
    ]

    @Test(arguments: widths)
    func displayWidthCountsColumns(_ c: WidthCase) {
        #expect(TextLayout.width(c.text) == c.width)
    }

    @Test func wrapsAtWordBoundariesWithinWidth() {
        let text = "Mindent egybevéve mennyire elégedett Ön mostanában az életével?"
        let lines = TextLayout.wrap(text, width: 20)
        #expect(lines == ["Mindent egybevéve", "mennyire elégedett", "Ön mostanában az", "életével?"])
        #expect(lines.allSatisfy { TextLayout.width($0) <= 20 })
    }

    @Test(arguments: [
        "Hány éve lakik a(z) Győri kapu városrészben? Ő ű ő ű",
        "Ha\u{301}ny e\u{301}ve lakik a(z) Gyo\u{30B}ri kapu va\u{301}rosre\u{301}szben? O\u{30B} u\u{30B} o\u{30B} u\u{30B}",
    ])
    func decomposedAndPrecomposedWrapAlike(_ text: String) {
        let lines = TextLayout.wrap(text, width: 16)
        #expect(lines.map { TextLayout.width($0) } == [14, 15, 15, 5])
        #expect(lines.allSatisfy { TextLayout.width($0) <= 16 })
    }

    @Test func wideCharactersWrapByColumnsNotCharacters() {
        let lines = TextLayout.wrap("日本語日本語", width: 5)
        #expect(lines == ["日本", "語日", "本語"])
    }

    @Test func longWordIsBrokenBetweenGraphemes() {
        let lines = TextLayout.wrap("xo\u{30B}o\u{30B}o\u{30B}o\u{30B}o\u{30B}", width: 3)
        #expect(lines == ["xo\u{30B}o\u{30B}", "o\u{30B}o\u{30B}o\u{30B}"])
    }

    @Test func hangingIndentIsAppliedToContinuationLines() {
        let lines = TextLayout.wrap("egy kettő három négy", width: 12, indent: "    ", firstIndent: "  1 ")
        #expect(lines == ["  1 egy", "    kettő", "    három", "    négy"])
    }

    @Test func explicitNewlinesAreKept() {
        #expect(TextLayout.wrap("első\n\nmásodik", width: 40) == ["első", "", "második"])
    }

    /// A cut ends in a visible `…` right after the last letter kept, by display width.
    @Test func truncateEndsInAnEllipsisAfterTheLastLetter() {
        #expect(TextLayout.truncate("Energetikai feltérképezés", to: 13) == "Energetikai…")
        #expect(TextLayout.truncate("Energetikai", to: 11) == "Energetikai")
        #expect(TextLayout.truncate("東方貿易", to: 6) == "東方…")
        #expect(TextLayout.truncate("Erzse\u{301}bet néni", to: 9) == "Erzse\u{301}bet…")
        #expect(TextLayout.truncate(" ab", to: 2) == " …")
    }

    @Test func padUsesDisplayWidth() {
        #expect(TextLayout.pad("o\u{30B}", to: 3) == "o\u{30B}  ")
        #expect(TextLayout.pad("日", to: 3) == "日 ")
    }
}
