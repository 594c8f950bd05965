import Testing

@testable import TerminalInterviewer

struct QuestionScreenTests {
    static func sample() -> QuestionScreen {
        var s = QuestionScreen(name: "m_age[2]", text: "Hány éves Anna? Kérem, a betöltött életévet mondja meg.")
        s.sections = ["B. Háztartás"]
        s.rosterRows = ["Háztartástagok · 2/4 — Anna"]
        s.position = .init(index: 12, count: 52)
        s.hint = "Ha nem tudja pontosan, becsülje meg."
        s.options = [.init(code: 1, label: "igen", selected: true), .init(code: 10, label: "Teljes mértékben elégedett")]
        s.allowed = "Egész szám, 0–110"
        s.specials = ".nt = nem tudja, .nv = nem válaszol"
        s.current = "34"
        return s
    }

    @Test(arguments: [30, 40, 80])
    func noLineIsWiderThanTheTerminal(_ width: Int) {
        let text = Self.sample().render(width: width, colour: false, strings: UIStrings(.hu))
        for line in text.split(separator: "\n") {
            #expect(TextLayout.width(line) <= width, "'\(line)' is wider than \(width)")
        }
    }

    @Test func showsEveryPartOfTheQuestion() {
        let text = Self.sample().render(width: 80, colour: false, strings: UIStrings(.hu))
        #expect(text.contains("B. Háztartás"))
        #expect(text.contains("m_age[2]  12/52"))
        #expect(text.contains("Háztartástagok · 2/4 — Anna"))
        #expect(text.contains("  Ha nem tudja pontosan, becsülje meg."))
        #expect(text.contains(" * 1  igen"))
        #expect(text.contains("  10  Teljes mértékben elégedett"))
        #expect(text.contains("Egész szám, 0–110 · .nt = nem tudja, .nv = nem válaszol · ? = parancsok"))
        #expect(text.contains("Jelenlegi válasz: 34 (Enter = megtartja)"))
    }

    @Test func longOptionLabelsWrapUnderTheLabelNotTheCode() {
        var s = QuestionScreen(name: "x", text: "?")
        s.options = [.init(code: 96, label: "Egyéb, éspedig: bármi más, amit a válaszadó említ")]
        let lines = s.render(width: 30, colour: false, strings: UIStrings(.hu)).split(separator: "\n")
        let option = lines.filter { $0.hasPrefix("  96") || $0.hasPrefix("      ") }
        #expect(option.count >= 2)
        #expect(option.dropFirst().allSatisfy { $0.hasPrefix("      ") })
    }

    @Test func coloursOnlyWhenAsked() {
        let plain = Self.sample().render(width: 80, colour: false, strings: UIStrings(.hu))
        let coloured = Self.sample().render(width: 80, colour: true, strings: UIStrings(.hu))
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1m"))
    }
}
