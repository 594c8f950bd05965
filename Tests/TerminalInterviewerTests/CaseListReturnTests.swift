import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// Back on the full-screen case list after a case's interview: the interview took the list's
/// screen over and left it open; the list comes back with the new statuses, as the fieldworker
/// left it (filter, search, the case selected), and says what the interview's end said.
struct CaseListReturnTests {
    /// The fixture's entries after W-0002's third visit completed the interview.
    static var afterInterview: [CaseListEntry] {
        CaseListFixture.entries.map { entry in
            guard entry.deviceCase.id == "W-0002" else { return entry }
            var done = entry
            done.status = .completed
            done.next = .awaitReview
            done.visits.append(Visit(number: 3, start: CaseListFixture.at(27, 18, 5), end: CaseListFixture.at(27, 18, 40), outcome: 11))
            return done
        }
    }

    @Test(arguments: [(UILanguage.hu, 80, 24), (.en, 120, 40)])
    func theListComesBackAfterTheInterview(_ ui: UILanguage, _ width: Int, _ height: Int) throws {
        let screen = MemoryScreen(width: width, height: height, keys: [.down, .enter])
        let strings = UIStrings(ui)
        let list = CaseListSession(
            entries: CaseListFixture.entries, device: screen, strings: strings,
            title: strings.caseListTitle(interviewer: "kovacs.anna", device: "laptop-07"))
        #expect(list.run() == .open(CaseListFixture.entries[1]))

        // The interview on the same screen, to its end; the screen stays open for the list.
        screen.type(KeyEvent.lines(SessionTests.happyPath))
        let controller = InterviewController(
            interview: try Fixture.interview(language: ui == .hu ? "hu" : "en"), spent: ActiveTime(startedAt: Fixture.start.timestamp),
            recorder: MemoryRecorder(), clock: .stepping(from: Fixture.start),
            options: SessionOptions(uiLanguage: ui, interviewer: "anna", resumeCommand: "x"))
        let interview = FullScreenSession(controller: controller, device: screen, interviewID: "7e0b6db1-0000", cases: [])
        interview.keepsDeviceOpen = true
        #expect(interview.run() == .ended(outcome: 11))
        #expect(!screen.closed, "the list takes the screen back")

        let said = try #require(interview.farewell.last?.text)
        list.reload(Self.afterInterview, message: .init(text: strings.caseBack("W-0002", said: said, status: .completed), tone: .success))
        #expect(list.run() == .closed)
        assertGolden(screen.text + "\n", file: goldenDirectory() + "/Golden/caselist-back-\(ui.rawValue)-\(width)x\(height).txt")
        let row = try #require(screen.painted?.lines.first { $0.hasPrefix(" W-0002") })
        #expect(row.contains(ui == .hu ? "kész" : "completed") && row.contains("2026-11-27 18:05"), "\(row)")
        #expect(list.screen.current?.deviceCase.id == "W-0002", "the case stays selected")
        let message =
            ui == .hu
            ? "W-0002 — Állapota most: kész. Az interjú véget ért (eredmény: 11). Köszönjük!" : "W-0002 — Now: completed. The interview"
        #expect(screen.text.contains(message), "\(screen.text)")
        #expect(!screen.closed)
    }

    /// The filter and the search stay; the case stays selected while they still show it, else
    /// the first case they show is.
    @Test func theFilterAndTheSearchStay() {
        var screen = CaseListScreen(entries: CaseListFixture.entries)
        _ = screen.handle(.tab, rows: 10)  // to do
        #expect(screen.filter == .toDo)
        _ = screen.handle(.text("holdsug"), rows: 10)
        _ = screen.handle(.down, rows: 10)
        #expect(screen.current?.deviceCase.id == "W-0002")
        let back = screen.reloaded(with: CaseListReturnTests.afterInterview, rows: 10)
        #expect(back.filter == .toDo && back.search == "holdsug")
        #expect(back.shown.map { back.entries[$0].deviceCase.id } == ["W-0001", "W-0003"], "W-0002 has nothing to do now")
        #expect(back.current?.deviceCase.id == "W-0001")

        var all = CaseListScreen(entries: CaseListFixture.entries)
        _ = all.handle(.down, rows: 10)
        let again = all.reloaded(with: CaseListReturnTests.afterInterview, rows: 10)
        #expect(again.current?.deviceCase.id == "W-0002" && again.current?.status == .completed)
        // A filter that no case is left in falls back to all.
        let rejected = CaseListFixture.entries.filter { $0.status == .rejected }.map(\.deviceCase.id)
        var fix = CaseListScreen(entries: CaseListFixture.entries)
        while fix.filter != .rejected { _ = fix.handle(.tab, rows: 10) }
        let fixed = CaseListFixture.entries.map { e in
            var e = e
            if rejected.contains(e.deviceCase.id) { (e.status, e.next) = (.completed, .awaitReview) }
            return e
        }
        let after = fix.reloaded(with: fixed, rows: 10)
        #expect(after.filter == .all && after.current?.deviceCase.id == "W-0006")
    }
}
