import Testing

@testable import SurveyExport

/// What the scrubber of comments replaces (under `--pii drop --comments`), and what it keeps.
struct CommentScrubberTests {
    let scrubber = CommentScrubber(personal: ["Szabó Éva", "Petőfi utca 12.", "ab"])

    @Test(arguments: [
        ("Kovács Anna nem volt otthon.", "[name] nem volt otthon."),
        ("A szomszéd, Nagy-Tóth Béla szerint elköltöztek.", "A szomszéd, [name] szerint elköltöztek."),
        ("Tényleg 104 éves, irattal.", "Tényleg 104 éves, irattal."),
        ("Hívja: +36 (30) 123-4567 vagy 06301234567!", "Hívja: [phone] vagy [phone]!"),
        ("Írjon: kis.pal@example.hu.", "Írjon: [e-mail]."),
        ("Felvétel 2026-11-03, 1 234 Ft.", "Felvétel 2026-11-03, 1 234 Ft."),
        ("szabó néni lakik a petőfi utca végén", "[personal] néni lakik a [personal] [personal] végén"),
        ("Szabóéknál jártam.", "[personal]éknál jártam."),
        ("  Zajos lépcsőház  ", "  Zajos lépcsőház  "),
        ("", ""),
        ("Sor 1.\nPéter jött.", "Sor 1.\nPéter jött."),
    ])
    func scrubs(text: String, expected: String) {
        #expect(scrubber.scrub(text) == expected)
    }

    @Test func aPersonalWordInsideAMarkerIsNotReplacedAgain() {
        let s = CommentScrubber(personal: ["mail", "phone", "Pho Ne"])
        #expect(s.scrub("x@y.hu és 0630 123 4567, mail") == "[e-mail] és [phone], [personal]")
    }
}
