import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// Lowering a roster's count asks which members go, naming them; raising it says who comes back.
struct RosterRowTests {
    /// The fixture up to the three names, then on to the event date.
    static let threeMembers = ["2", "1", "7", "1 3", "3", "Anna", "Béla", "Cili"]

    @Test func loweringTheCountAsksWhoGoesAndMovesTheLaterMembersUp() throws {
        let run = try ScriptedRun(Self.threeMembers + [".u hh_size", "2", "x", "2"], width: 300)
        #expect(run.output.contains("Háztartástagok: 3 helyett 2 sor lesz, 1 tagnak ki kell kerülnie. Ki(k)? 1 Anna · 2 Béla · 3 Cili."))
        #expect(run.output.contains("Kérem, a törlendő sorok számát írja be, vagy Enter, vagy n."))
        #expect(run.output.contains("Háztartástagok: törölve: 2. (Béla) sor. A későbbi sorok feljebb léptek."))
        #expect(
            Array(run.recorder.answers.suffix(3)) == [
                .answered(Address("m_name", rows: [2]), .value(.text("Cili"))),
                .cleared(Address("m_name", rows: [3])),
                .answered(Address("hh_size"), .value(.integer(2))),
            ])
        let interview = run.session.interview
        #expect(interview.rowCount(of: "mem", parentRows: []) == 2)
        #expect(interview.rowLabel("mem", rows: [1]) == "Anna" && interview.rowLabel("mem", rows: [2]) == "Cili")
    }

    @Test func enterRemovesTheLastRowsAndRaisingTheCountBringsThemBack() throws {
        let run = try ScriptedRun(Self.threeMembers + [".u hh_size", "2", "", ".u hh_size", "3"], width: 300)
        #expect(run.output.contains("Háztartástagok: törölve: 3. (Cili) sor."))
        #expect(run.output.contains("Háztartástagok: a(z) 3. (Cili) sor korábbi válaszaival visszakerült; ellenőrizze őket."))
        #expect(run.session.interview.rowLabel("mem", rows: [3]) == "Cili")
    }

    @Test func cancellingKeepsTheOldCountAndSavesNothing() throws {
        let run = try ScriptedRun(Self.threeMembers + [".u hh_size", "2", "n"])
        #expect(run.output.contains("A válasz nem került mentésre; a sorok száma maradt."))
        #expect(run.recorder.answers.last == .answered(Address("m_name", rows: [3]), .value(.text("Cili"))))
        #expect(run.session.interview.rowCount(of: "mem", parentRows: []) == 3)
    }

    @Test func loweringOverEmptyRowsAsksNothing() throws {
        // Only two of three names typed: the third row is empty, so nobody has to be chosen.
        let run = try ScriptedRun(["2", "1", "7", "1 3", "3", "Anna", "Béla", ".u hh_size", "2"])
        #expect(!run.output.contains("tagnak ki kell kerülnie"))
        #expect(run.recorder.answers.last == .answered(Address("hh_size"), .value(.integer(2))))
    }
}
