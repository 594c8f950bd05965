import SurveyModel
import Testing

struct DisplayWidthTests {
    /// A string's width is the sum of its grapheme clusters' widths, whether the text is ASCII
    /// (counted from its bytes) or not.
    @Test func aStringIsTheSumOfItsCharacters() {
        let pieces = ["a", " ", "\t", "\r\n", "\r", "\n", "\u{1}", "\u{7F}", "~", "ő", "o\u{30B}", "漢", "🙂", "\u{200B}", "\u{85}"]
        var seed: UInt64 = 9
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(seed % 12) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Mostly ASCII pieces, so that both the ASCII and the general path are taken.
                text += pieces[Int((seed >> 33) % UInt64(seed % 3 == 0 ? pieces.count : 9))]
            }
            #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) }, "\(text.unicodeScalars.map(\.value))")
            #expect(DisplayWidth.of(text) == DisplayWidth.of(text[...]))
        }
        #expect(DisplayWidth.of("ab\r\ncd\u{7F}") == 4)
    }
}
