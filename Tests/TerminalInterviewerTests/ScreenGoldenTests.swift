import Foundation
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// Golden captures of the full screen: the energy study's household roster and its trust grid,
/// at 80×24 and 120×40, with the Hungarian and the English interface. docs/interviewer.md shows
/// the same captures (the test checks that the document still does).
struct ScreenGoldenTests {
    static let sizes = [(80, 24), (120, 40)]

    /// The roster page at Béla's age, with three members in the table.
    static func roster(_ ui: UILanguage, width: Int, height: Int) throws -> String {
        let interview = try EnergyScreen.interview(language: ui == .hu ? "hu" : "en")
        let lines = EnergyScreen.capture(interview, at: Address("m_age", rows: [2]), width: width, height: height, ui: ui)
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [UILanguage.hu, .en])
    func rosterPage(_ ui: UILanguage) throws {
        for (width, height) in Self.sizes {
            let text = try Self.roster(ui, width: width, height: height)
            assertGolden(text, file: goldenDirectory() + "/Golden/screen-roster-\(ui.rawValue)-\(width)x\(height).txt")
            // The three names are on screen at once, in the table.
            for name in ["Anna", "Béla", "Cili"] { #expect(text.contains(name)) }
        }
    }

    /// The trust grid of section C.4 as a table, one row per item, at its second item, at 80×24 and 120×40.
    @Test(arguments: [UILanguage.hu, .en])
    func gridPage(_ ui: UILanguage) throws {
        let more: [(Address, Value)] = [
            (Address("m_age", rows: [2]), .integer(47)), (Address("m_rel", rows: [2]), .choice(2)),
            (Address("ectrust_muni"), .integer(7)),
        ]
        let interview = try EnergyScreen.interview(language: ui == .hu ? "hu" : "en", answers: more)
        for (width, height) in Self.sizes {
            let lines = EnergyScreen.capture(interview, at: Address("ectrust_miho"), width: width, height: height, ui: ui)
            let text = lines.joined(separator: "\n") + "\n"
            assertGolden(text, file: goldenDirectory() + "/Golden/screen-grid-\(ui.rawValue)-\(width)x\(height).txt")
            // The items are rows of one table, the first one with its answer.
            let items =
                ui == .hu
                ? ["Miskolc önkormányzatában?", "a MIHŐ-ben?", "helyi civilekben", "az áramszolgáltatóban?"]
                : ["the municipality?", "MIHŐ?", "local civic groups", "the electricity supplier?"]
            for item in items { #expect(text.contains(item), "\(width)x\(height) lacks the item \(item)") }
            #expect(lines.contains { $0.contains(items[0]) && $0.hasSuffix(" 7") }, "the first item's row shows its answer")
        }
    }

    /// The Ctrl-C question over the roster page: it says that one key answers, and the key line
    /// holds its keys only (no Enter among them).
    @Test(arguments: [UILanguage.hu, .en])
    func theLeaveQuestion(_ ui: UILanguage) throws {
        let interview = try EnergyScreen.interview(language: ui == .hu ? "hu" : "en")
        for (width, height) in Self.sizes {
            let lines = EnergyScreen.capture(interview, at: Address("m_age", rows: [2]), width: width, height: height, ui: ui) {
                $0.askToLeave(oneKey: true)
            }
            let text = lines.joined(separator: "\n") + "\n"
            assertGolden(text, file: goldenDirectory() + "/Golden/screen-leave-\(ui.rawValue)-\(width)x\(height).txt")
            #expect(!(lines.last ?? "").contains("Enter"), "\(lines.last ?? "")")
        }
    }

    /// The header takes the title bar and the details, the keys one line: at 80×24 the title is
    /// cut and the case values get a line of their own, whole (``HeaderLayoutTests``); the spare
    /// keys (PgUp/PgDn, then F2, then F3) are left out while Enter, F1 and Ctrl-C (and a
    /// roster's F5 and F8) stay; at 120 columns the details take one line and every key is there.
    @Test(arguments: [UILanguage.hu, .en])
    func theHeaderAndTheKeysFitTheirLines(_ ui: UILanguage) throws {
        let interview = try EnergyScreen.interview(language: ui == .hu ? "hu" : "en")
        let strings = UIStrings(ui)
        for (width, height) in Self.sizes {
            let lines = EnergyScreen.capture(interview, at: Address("m_age", rows: [2]), width: width, height: height, ui: ui)
            let header = width == 80 ? 3 : 2
            #expect(lines[0].hasSuffix("24%") && lines[header - 1].contains(ui == .hu ? "hátra kb. 56" : "about 56 to go"), "\(lines)")
            #expect(lines[1].hasPrefix(" address_id=a5f3c9 · cluster_id=P-0042 · district=1"), "the case comes first, whole: \(lines[1])")
            #expect(lines[header].contains("m_age[2]"), "the question's own line follows the header: \(lines[header])")
            let keys = try #require(lines.last)
            for hint in [strings.keyEnterSaves, strings.keyHelp, strings.keyLeave] {
                #expect(keys.contains(hint.key + " " + hint.action), "\(width): \(keys)")
            }
            #expect(keys.contains("PgUp/PgDn") == (width == 120) && keys.contains("F3"), "\(width): \(keys)")
            #expect(lines[lines.count - 2].trimmingCharacters(in: .whitespaces).isEmpty, "one key line")
        }
        // Narrower still, or an open roster's two keys more: the spare keys go in their order.
        let renderer = ScreenRenderer(width: 80, height: 24, colour: false)
        let roster = [
            strings.keyEnterSaves, strings.keyFields, strings.keyPages, strings.keySections, strings.keyReview, strings.keyAddRow,
            strings.keyRemoveRow, strings.keyHelp, strings.keyLeave,
        ]
        let line = renderer.statusLine(roster)
        #expect(line.count == 1)
        let shown = line[0].pieces.map(\.text).joined()
        #expect(!shown.contains("PgUp") && !shown.contains("F2 ") && shown.contains("F5") && shown.contains("F8"), "\(shown)")
    }

    /// docs/interviewer.md shows the 80×24 captures as they are.
    @Test func theGuideShowsTheCurrentScreens() throws {
        let root = URL(fileURLWithPath: goldenDirectory()).deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/interviewer.md"), encoding: .utf8)
        for ui in [UILanguage.hu, .en] {
            for page in ["roster", "grid"] {
                let capture = try String(
                    contentsOfFile: goldenDirectory() + "/Golden/screen-\(page)-\(ui.rawValue)-80x24.txt", encoding: .utf8)
                #expect(guide.contains("```\n" + capture + "```"), "docs/interviewer.md lacks the \(ui) \(page) capture")
            }
        }
    }
}
