import Fieldwork
import Foundation
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// A device's cases as the case list shows them: every status, visits, a rejection, a note.
enum CaseListFixture {
    static func at(_ day: Int, _ hour: Int, _ minute: Int) -> LocalDateTime {
        LocalDateTime(date: LocalDate(year: 2026, month: 11, day: day), hour: hour, minute: minute)
    }

    static func deviceCase(_ n: Int, _ address: String, note: String? = nil, state: DeviceCase.State = .assigned) -> DeviceCase {
        DeviceCase(
            survey: "wellbeing", id: CaseID(String(format: "W-%04d", n)), definition: "h",
            values: ["district": .choice(1 + n % 11), "cluster_id": .text("W\(1 + n % 11)-\(n % 97)")], address: address, note: note,
            state: state, changedAt: 1_000, changedBy: "koord")
    }

    static func visits(_ times: [(Int, Int, Int, Int?)]) -> [Visit] {
        times.enumerated().map { i, t in
            Visit(number: i + 1, start: at(t.0, t.1, t.2), end: at(t.0, t.1, t.2 + 5), outcome: t.3)
        }
    }

    /// Twenty cases: more than an 80×24 screen's table holds.
    static var entries: [CaseListEntry] {
        var out: [CaseListEntry] = [
            CaseListEntry(deviceCase: deviceCase(1, "Holdsugár tér 17. 8/2"), status: .new, next: .firstVisit),
            CaseListEntry(
                deviceCase: deviceCase(2, "Holdsugár tér 17. 10/7", note: "a kapucsengő nem működik, hívja a 2. emeletet"),
                status: .visited(2), next: .visitAgain, interview: "iv-2", visits: visits([(24, 10, 2, 23), (26, 17, 40, 23)])),
            CaseListEntry(
                deviceCase: deviceCase(3, "Holdsugár tér 19. 1/1"), status: .appointment, next: .keepAppointment,
                interview: "iv-3", visits: visits([(25, 10, 2, 25)])),
            CaseListEntry(
                deviceCase: deviceCase(4, "Szondi György utca 3. 2/7"), status: .inProgress, next: .continueInterview,
                interview: "iv-4", visits: visits([(26, 9, 15, nil)])),
            CaseListEntry(
                deviceCase: deviceCase(5, "Szondi György utca 5. fsz/1"), status: .completed, next: .awaitReview,
                interview: "iv-5", visits: visits([(23, 18, 20, 11)])),
            CaseListEntry(
                deviceCase: deviceCase(6, "Kilián utca 12. 4/12"), status: .rejected, next: .fix, interview: "iv-6",
                visits: visits([(22, 16, 0, 11)]), review: .rejected, rejection: "hh_size: 2 fő, de 3 tag szerepel"),
            CaseListEntry(
                deviceCase: deviceCase(7, "Kilián utca 14. 1/3"), status: .final, next: .none, interview: "iv-7",
                visits: visits([(20, 11, 0, 23), (21, 18, 10, 23), (22, 10, 30, 23), (23, 17, 45, 23)])),
            CaseListEntry(deviceCase: deviceCase(8, "Bulgárföld, Fazola Henrik utca 1. 3/9"), status: .new, next: .firstVisit),
        ]
        for n in 9...18 {
            out.append(
                CaseListEntry(deviceCase: deviceCase(n, "Testvérvárosok útja \(n). \(n % 9)/\(n % 13)"), status: .new, next: .firstVisit))
        }
        out.append(
            CaseListEntry(
                deviceCase: deviceCase(19, "Vasgyári út 2.", state: .reassigned), status: .moved, next: .handBack, interview: "iv-19",
                visits: visits([(21, 12, 0, 23)])))
        out.append(CaseListEntry(deviceCase: deviceCase(20, "Vasgyári út 4.", state: .withdrawn), status: .withdrawn, next: .none))
        return out
    }
}

/// The full-screen case list: golden captures at 80×24 and 120×40 in both languages, and what
/// its keys do (move, page, filter, search, open, leave).
struct CaseListScreenTests {
    static let title = "Esetek — kovacs.anna, laptop-07"

    static func run(
        _ keys: [KeyEvent], entries: [CaseListEntry] = CaseListFixture.entries, width: Int = 80, height: Int = 24,
        ui: UILanguage = .hu
    ) -> (CaseListSession, CaseListSession.Choice, MemoryScreen) {
        let screen = MemoryScreen(width: width, height: height, keys: keys)
        let strings = UIStrings(ui)
        let title = strings.caseListTitle(interviewer: "kovacs.anna", device: "laptop-07")
        let session = CaseListSession(entries: entries, device: screen, strings: strings, title: title)
        return (session, session.run(), screen)
    }

    @Test(arguments: [UILanguage.hu, .en])
    func goldenCaptures(_ ui: UILanguage) {
        for (width, height) in [(80, 24), (120, 40)] {
            // The rejected case selected: its reason is in the details.
            let (_, choice, screen) = Self.run(Array(repeating: .down, count: 5), width: width, height: height, ui: ui)
            #expect(choice == .closed)
            assertGolden(
                screen.text + "\n", file: goldenDirectory() + "/Golden/caselist-\(ui.rawValue)-\(width)x\(height).txt")
            let lines = screen.painted?.lines ?? []
            #expect(lines.count == height && lines.allSatisfy { TextLayout.width($0) <= width })
            let reason = "hh_size: 2 fő, de 3 tag szerepel"
            #expect(screen.text.contains(reason), "the rejection's reason is shown under the table")
            #expect(screen.text.contains(ui == .hu ? "visszaküldve — javítandó" : "rejected — to fix"))
            #expect(screen.text.contains("2026-11-26 17:40"), "the last visit of W-0002")
            // The next action is a column when the address keeps room (120), else in the details.
            let next = ui == .hu ? "időpontra menni" : "keep the appointment"
            #expect(screen.text.contains(next) == (width == 120), "\(width)x\(height)")
        }
    }

    /// docs/interviewer.md shows the 80×24 captures as they are, in each language's half.
    @Test func theGuideShowsTheCurrentCaseList() throws {
        let root = URL(fileURLWithPath: goldenDirectory()).deletingLastPathComponent().deletingLastPathComponent()
        let guide = try String(contentsOf: root.appendingPathComponent("docs/interviewer.md"), encoding: .utf8)
        let english = try #require(guide.range(of: "\n## English\n"))
        for ui in [UILanguage.hu, .en] {
            let capture = try String(contentsOfFile: goldenDirectory() + "/Golden/caselist-\(ui.rawValue)-80x24.txt", encoding: .utf8)
            let half = ui == .hu ? guide[..<english.lowerBound] : guide[english.upperBound...]
            #expect(half.contains("```\n" + capture + "```"), "docs/interviewer.md lacks the \(ui) case list capture")
        }
    }

    @Test func theSelectedRowIsInReverseVideoAndStatusesHaveTones() throws {
        let (_, _, screen) = Self.run([.down, .down, .down, .down, .down])
        let grid = try #require(screen.painted)
        let row = try #require((0..<grid.height).first { grid.text(row: $0).hasPrefix(" W-0006") })
        #expect(grid[row, 1].style.attributes.contains(.reverse))
        let other = try #require((0..<grid.height).first { grid.text(row: $0).hasPrefix(" W-0001") })
        #expect(!grid[other, 1].style.attributes.contains(.reverse))
    }

    @Test func enterOpensTheSelectedCase() {
        let (_, choice, _) = Self.run([.down, .down, .enter])
        #expect(choice == .open(CaseListFixture.entries[2]))
        let (_, quit, _) = Self.run([.down, .escape])
        #expect(quit == .quit)
        #expect(Self.run([.interrupt]).1 == .quit)
        #expect(Self.run([.function(10)]).1 == .quit)
    }

    /// `q` leaves the list while the search field is closed; once a search is typed (or `/`
    /// opened the field) it is a letter of the search, until Esc clears and closes the field.
    @Test func qLeavesUnlessTheSearchIsOpen() {
        #expect(Self.run([.text("q")]).1 == .quit)
        #expect(Self.run([.down, .text("Q")]).1 == .quit)
        let (session, choice, screen) = Self.run([.text("k"), .text("q"), .backspace, .backspace, .text("q")])
        #expect(choice == .closed, "q typed into the search, even after it was deleted back to nothing")
        #expect(session.screen.search == "q" && session.screen.searching && session.screen.shown.isEmpty)
        #expect(screen.text.contains("Keresés: q  (0 találat)") && screen.text.contains("Esc keresés törlése"), "\(screen.text)")
        var list = session.screen
        #expect(list.handle(.escape, rows: 10) == .none && !list.searching && list.search.isEmpty && list.shown.count == 20)
        #expect(list.handle(.text("q"), rows: 10) == .quit, "the search closed: q leaves")
        // `/` opens the field without typing into it: a search may then begin with q.
        #expect(list.handle(.text("/"), rows: 10) == .none && list.searching && list.search.isEmpty)
        #expect(list.handle(.text("q"), rows: 10) == .none && list.search == "q")
        #expect(list.handle(.escape, rows: 10) == .none && list.handle(.escape, rows: 10) == .quit)
        // Back from an interview the search kept is still open (the field shows it): q is a letter.
        _ = list.handle(.text("kilián"), rows: 10)
        var back = list.reloaded(with: CaseListFixture.entries, rows: 10)
        #expect(back.searching && back.handle(.text("q"), rows: 10) == .none && back.search == "kiliánq")
        let keys = CaseListRenderer(width: 80, height: 24, colour: false, strings: UIStrings(.hu))
            .render(CaseListScreen(entries: CaseListFixture.entries), title: "t")
        #expect(keys.lines.contains { $0.hasSuffix("q/Esc kilépés") || $0.contains("q/Esc kilépés ") })
    }

    @Test func pagesMoveByTheRowsInView() {
        let renderer = CaseListRenderer(width: 80, height: 24, colour: false, strings: UIStrings(.hu))
        var screen = CaseListScreen(entries: CaseListFixture.entries)
        let rows = renderer.tableRows(screen)
        #expect(rows >= 10 && rows < 20, "an 80×24 screen holds part of the twenty cases: \(rows)")
        _ = screen.handle(.pageDown, rows: rows)
        #expect(screen.selected == rows && screen.top == 20 - rows)
        _ = screen.handle(.pageDown, rows: rows)
        #expect(screen.selected == 19, "on the last page PgDn goes to the last case")
        _ = screen.handle(.pageUp, rows: rows)
        #expect(screen.top == 0)
        _ = screen.handle(.pageUp, rows: rows)
        #expect(screen.selected == 0)
        _ = screen.handle(.end, rows: rows)
        #expect(screen.current?.deviceCase.id == "W-0020")
        let last = renderer.render(screen, title: Self.title)
        #expect(last.lines.contains { $0.hasPrefix(" W-0020") } && !last.lines.contains { $0.hasPrefix(" W-0001 ") })
        _ = screen.handle(.home, rows: rows)
        #expect(screen.current?.deviceCase.id == "W-0001")
    }

    @Test func filtersShowOneStatusOrWhatIsToDo() {
        var screen = CaseListScreen(entries: CaseListFixture.entries)
        #expect(screen.counts[.all] == 20 && screen.counts[.new] == 12 && screen.counts[.rejected] == 1)
        // To do: new, visited, appointment, in progress, rejected; not completed, final, moved, withdrawn.
        #expect(screen.counts[.toDo] == 16)
        #expect(
            screen.filters == [.all, .toDo, .new, .visited, .appointment, .inProgress, .completed, .rejected, .final, .moved, .withdrawn])
        _ = screen.handle(.down, rows: 10)
        _ = screen.handle(.right, rows: 10)
        #expect(screen.filter == .toDo && screen.shown.count == 16)
        #expect(screen.current?.deviceCase.id == "W-0002", "the selected case stays selected")
        for _ in 0..<6 { _ = screen.handle(.right, rows: 10) }
        #expect(screen.filter == .rejected && screen.shown.map { screen.entries[$0].deviceCase.id } == ["W-0006"])
        _ = screen.handle(.left, rows: 10)
        #expect(screen.filter == .completed)
        for _ in 0..<5 { _ = screen.handle(.tab, rows: 10) }
        #expect(screen.filter == .all, "the filters go round")
        let en = CaseListRenderer(width: 80, height: 24, colour: false, strings: UIStrings(.en)).render(screen, title: "t")
        #expect(en.text(row: 1).contains("All 20"))
    }

    @Test func typingSearchesCaseIdsAndAddresses() {
        let (session, choice, screen) = Self.run(KeyEvent.lines(["kilián"]).dropLast() + [.backspace, .text("n"), .down])
        #expect(choice == .closed)
        #expect(session.screen.search == "kilián")
        #expect(session.screen.shown.map { session.screen.entries[$0].deviceCase.id } == ["W-0006", "W-0007"])
        #expect(session.screen.current?.deviceCase.id == "W-0007")
        #expect(screen.text.contains("Keresés: kilián  (2 találat)"))
        var list = session.screen
        _ = list.handle(.escape, rows: 10)
        #expect(list.search.isEmpty && list.shown.count == 20, "Esc clears the search first")
        _ = list.handle(.text("W-0012"), rows: 10)
        #expect(list.shown.count == 1 && list.handle(.enter, rows: 10) == .open(CaseListFixture.entries[11]))
        _ = list.handle(.text("x"), rows: 10)
        #expect(list.shown.isEmpty && list.current == nil && list.handle(.enter, rows: 10) == .none)
        let empty = CaseListRenderer(width: 80, height: 24, colour: false, strings: UIStrings(.hu)).render(list, title: "t")
        #expect(empty.lines.contains { $0.contains("Nincs ilyen eset") })
    }

    @Test func aRefusalIsShownUntilTheNextKey() {
        let screen = MemoryScreen(width: 80, height: 24, keys: [.down, .down, .down, .down, .down, .down, .enter])
        let session = CaseListSession(entries: CaseListFixture.entries, device: screen, strings: UIStrings(.en), title: "t")
        guard case .open(let entry) = session.run() else { return #expect(Bool(false)) }
        #expect(entry.deviceCase.id == "W-0007")
        session.refuse(UIStrings(.en).caseRefused(.done("W-0007", .final)))
        screen.type([.up])
        session.redraw()
        #expect(screen.text.contains("Case W-0007 is final: nothing more to do."))
        #expect(session.run() == .closed)
        #expect(!screen.text.contains("is final"), "gone after the next key")
        #expect(session.screen.current?.deviceCase.id == "W-0006", "the list went on where it was")
    }

    @Test func textsFromThePackageAreEscaped() {
        var entries = CaseListFixture.entries
        entries[0].deviceCase.address = "Fő utca 1.\u{1B}[2J\u{07}"
        entries[0].deviceCase.note = "line\nbreak"
        let (_, _, screen) = Self.run([], entries: entries, width: 120, height: 40)
        #expect(!screen.text.contains("\u{1B}") && !screen.text.contains("\u{07}"))
        #expect(screen.text.contains("Fő utca 1.\\u{1B}[2J\\u{7}"), "\(screen.text)")
        #expect(screen.text.contains("line\\nbreak"))
    }

    /// 5,000 cases: only the rows in view are drawn; the last case is a page-down and End away.
    @Test func fiveThousandCases() {
        let entries = (1...5_000).map { n in
            CaseListEntry(
                deviceCase: CaseListFixture.deviceCase(n, "Holdsugár tér \(n % 40 + 1). \(n % 9)/\(n % 13)"), status: .new,
                next: .firstVisit)
        }
        let (session, _, screen) = Self.run([.pageDown, .end], entries: entries)
        #expect(session.screen.current?.deviceCase.id == "W-5000")
        #expect(screen.text.contains(" W-5000") && screen.text.contains("5000/5000"))
    }
}
