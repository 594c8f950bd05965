import Foundation
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// The header never loses the case: long Hungarian case ids, addresses and names at 80 and 120
/// columns (golden captures), with wide and combining characters measured by the one width
/// table, and at every width from 40 to 160 the case's id on screen and no line too wide.
struct HeaderLayoutTests {
    /// A sample case with a long address in Bulgárföld, its preloads, and a decomposed accent
    /// (e + U+0301) and wide characters in a name, as a package may bring them.
    static let longCase = [
        "N-00042", "Bulgárföld, Szentgyörgyi Albert utca 112. 3. emelet 12. ajtó", "address_id=2B598615",
        "cluster_id=L1-001", "district=1",
    ]
    static let wideCase = ["S-017", "Kovácsné Erzse\u{301}bet (東方貿易 Kft.)", "Győri kapu 146. fsz. 2.", "org_id=ORG-017"]

    static func capture(_ cases: [String], width: Int, height: Int, ui: UILanguage = .hu) throws -> [String] {
        let interview = try EnergyScreen.interview(language: ui == .hu ? "hu" : "en")
        return EnergyScreen.capture(interview, at: Address("m_age", rows: [2]), width: width, height: height, ui: ui, cases: cases)
    }

    @Test(arguments: [UILanguage.hu, .en])
    func aLongCaseKeepsItsPlaceAt80And120Columns(_ ui: UILanguage) throws {
        for (name, cases) in [("long", Self.longCase), ("wide", Self.wideCase)] {
            for (width, height) in [(80, 24), (120, 40)] {
                let lines = try Self.capture(cases, width: width, height: height, ui: ui)
                let text = lines.joined(separator: "\n") + "\n"
                assertGolden(text, file: goldenDirectory() + "/Golden/screen-header-\(name)-\(ui.rawValue)-\(width)x\(height).txt")
                #expect(lines[1].hasPrefix(" " + cases[0] + " · "), "the case id leads the details: \(lines[1])")
            }
        }
    }

    /// 80×24 gives the case a line of its own (the case id and the address whole, the
    /// identifiers left out, `…` says so); a short screen (80×20) keeps one line of details,
    /// the address cut with `…`; a short case fits one line with everything but the interview's id.
    @Test func theRuleInSteps() throws {
        let narrow = try Self.capture(Self.longCase, width: 80, height: 24)
        #expect(narrow[1] == " N-00042 · Bulgárföld, Szentgyörgyi Albert utca 112. 3. emelet 12. ajtó · …", "\(narrow[1])")
        #expect(narrow[2] == " A háztartás tagjai (4/11. szakasz) · 18 kész, hátra kb. 56 · interjú 7e0b6db1", "\(narrow[2])")
        let short = try Self.capture(Self.longCase, width: 80, height: 20)
        #expect(short[1] == " N-00042 · Bulgárföld, Szentgyörgyi… · … · 4/11. szakasz · 18 kész, hátra kb. 56", "\(short[1])")
        #expect(short[2].contains("m_age[2]"), "one line of details when there is no room")
        let few = try Self.capture(["W-0001", "Kilián utca 12. 4/12"], width: 120, height: 40)
        #expect(few[1] == " W-0001 · Kilián utca 12. 4/12 · A háztartás tagjai (4/11. szakasz) · 18 kész, hátra kb. 56 · interjú 7e0b6db1")
        let mid = try Self.capture(["W-0001", "Kilián utca 12. 4/12"], width: 100, height: 40)
        #expect(mid[1] == " W-0001 · Kilián utca 12. 4/12 · A háztartás tagjai (4/11. szakasz) · 18 kész, hátra kb. 56", "\(mid[1])")
        let cut = try Self.capture(["W-0001", "Kilián utca 12. 4/12"], width: 80, height: 24)
        #expect(cut[1] == " W-0001 · Kilián utca 12. 4/12 · 4/11. szakasz · 18 kész, hátra kb. 56", "\(cut[1])")
        let shortName = try Self.capture(["W-0001", "Kilián u. 1."], width: 80, height: 24)
        #expect(shortName[1] == " W-0001 · Kilián u. 1. · A háztartás ta… (4/11. szakasz) · 18 kész, hátra kb. 56", "\(shortName[1])")
    }

    /// At every width and height the case's id is on the screen, the header's lines fit, and
    /// the question's line follows the header.
    @Test func everyWidthKeepsTheCaseIdAndFits() throws {
        let interview = try EnergyScreen.interview()
        for cases in [Self.longCase, Self.wideCase, ["cluster_id=P-0042"]] {
            for width in stride(from: 40, through: 160, by: 3) {
                for height in [20, 24] {
                    let lines = EnergyScreen.capture(
                        interview, at: Address("m_age", rows: [2]), width: width, height: height, ui: .hu, cases: cases)
                    let header = lines.prefix { !$0.hasPrefix(" A háztartás tagjai · Háztartástagok") }
                    #expect(header.count <= 4, "\(width)x\(height): \(header)")
                    #expect(header.dropFirst().contains { $0.contains(cases[0]) }, "the case id whole: \(width)x\(height): \(header)")
                    for line in lines { #expect(TextLayout.width(line) <= width, "\(width): \(line)") }
                }
            }
        }
    }

    @Test func fieldsTakeTheRoomInTheirOrder() {
        // Whole when they fit.
        #expect(HeaderLayout.fit(["W-0001", "Kilián utca 12."], into: 24) == "W-0001 · Kilián utca 12.")
        // The first stays whole; the next is cut with `…` (no space or comma before it).
        #expect(HeaderLayout.fit(["W-0001", "Bulgárföld, Fazola Henrik utca 1."], into: 22) == "W-0001 · Bulgárföld…")
        #expect(HeaderLayout.fit(["W-0001", "Szentgyörgyi Albert utca 112."], into: 23) == "W-0001 · Szentgyörgyi…")
        // A field cut or left out: the ones after it go, and a last `…` says so.
        #expect(HeaderLayout.fit(["W-0001", "Kilián utca 12.", "district=7"], into: 30) == "W-0001 · Kilián utca 12. · …")
        #expect(HeaderLayout.fit(["W-0001", "Kilián utca 12.", "district=7"], into: 24) == "W-0001 · Kilián utc… · …")
        // No comma, space or opening bracket is left before the `…`.
        #expect(HeaderLayout.cut("Látogatási adatok (a kérdező tölti ki)", to: 20) == "Látogatási adatok…")
        #expect(HeaderLayout.cut("Bulgárföld, Fazola", to: 13) == "Bulgárföld…")
        // A decomposed accent is one column; a wide character two.
        #expect(HeaderLayout.fit(["S-1", "Erzse\u{301}bet"], into: 14) == "S-1 · Erzse\u{301}bet")
        #expect(HeaderLayout.fit(["S-1", "東方貿易 Kft."], into: 11) == "S-1 · 東方…")
        // Only the first's start fits; nothing under five columns.
        #expect(HeaderLayout.fit(["N-00042", "Kilián utca 12."], into: 6) == "N-000…")
        #expect(HeaderLayout.fit(["W-0001"], into: 4) == nil)
        for columns in 5...90 {
            let fitted = HeaderLayout.fit(Self.longCase, into: columns)
            #expect(fitted.map { TextLayout.width($0) <= columns } ?? false, "\(columns): \(fitted ?? "nil")")
            #expect(fitted?.hasPrefix(columns >= 11 ? "N-00042" : "N-0") == true, "\(columns): \(fitted ?? "nil")")
        }
    }
}
