import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// Closing an interview as complete re-checks the whole route first.
struct ClosingTests {
    /// The fixture answered up to the roster by applying events directly, the way a resumed log
    /// can leave it: `apply` accepts an answer that makes a hard check fail (only `validate` refuses).
    static func answered(hhSize: Int, names: [String]) throws -> Interview {
        var interview = try Fixture.interview()
        let events: [InterviewEventKind] =
            [
                .answered(Address("hh_n16"), .value(.integer(2))), .answered(Address("consent"), .value(.choice(1))),
                .answered(Address("life_sat"), .value(.integer(7))), .answered(Address("nb_prob"), .value(.choices([1]))),
                .answered(Address("hh_size"), .value(.integer(hhSize))),
            ] + names.enumerated().map { .answered(Address("m_name", rows: [$0.offset + 1]), .value(.text($0.element))) }
        for event in events { try interview.apply(event, context: Fixture.context) }
        return interview
    }

    @Test func aFailingHardCheckIsListedAndBlocksCompletionUntilFixed() throws {
        // hh_size 1 < hh_n16 2 fails chk_hh_size. At ve_date (optional) Enter reaches the end.
        let interview = try Self.answered(hhSize: 1, names: ["Anna"])
        let run = try ScriptedRun(["", "2", "Béla"], interview: interview, resumeAt: Address("ve_date"))
        #expect(run.output.contains("== Lezárás előtti ellenőrzés =="))
        #expect(run.output.contains("hh_size: A háztartás létszáma nem lehet kisebb a 16 év felettiek számánál (2)."))
        // Fixing hh_size adds a roster row whose name is now missing: closing mode goes there next,
        // then closes as complete.
        #expect(
            run.recorder.answers == [
                .answered(Address("hh_size"), .value(.integer(2))),
                .answered(Address("m_name", rows: [2]), .value(.text("Béla"))),
                .ended(outcome: 11),
            ])
        #expect(run.end == .ended(outcome: 11))
    }

    @Test func blockedClosingListsEveryProblemAtOnce() throws {
        var interview = try Self.answered(hhSize: 3, names: ["Anna"])
        try interview.apply(.answered(Address("hh_n16"), .value(.integer(4))), context: Fixture.context)
        let run = try ScriptedRun([""], interview: interview, resumeAt: Address("ve_date"))
        let review = try #require(run.output.components(separatedBy: "== Lezárás előtti ellenőrzés ==").last)
        #expect(review.contains("hh_size: A háztartás létszáma nem lehet kisebb"))
        #expect(review.contains("m_name[2], m_name[3]"))
        #expect(!run.recorder.answers.contains(.ended(outcome: 11)))
        // The cursor went to the first problem in route order.
        #expect(run.session.cursor == Address("hh_size"))
    }

    @Test func anUnconfirmedSoftCheckMustBeConfirmedBeforeClosing() throws {
        let names = (1...12).map { "N\($0)" }
        let interview = try Self.answered(hhSize: 12, names: names)
        let run = try ScriptedRun(["", "i nagycsalád"], interview: interview, resumeAt: Address("ve_date"))
        #expect(run.output.contains("Figyelmeztetés: Szokatlanul nagy háztartás. (hh_size)"))
        #expect(
            run.recorder.answers == [
                .warningConfirmed("chk_hh_size_2", rows: [], reason: "nagycsalád"), .ended(outcome: 11),
            ])
    }

    @Test func aDeclinedSoftCheckSendsTheInterviewerBackToCorrectIt() throws {
        let names = (1...12).map { "N\($0)" }
        let interview = try Self.answered(hhSize: 12, names: names)
        // Lowering the household from 12 to 3 asks which members go; Enter keeps the first three.
        let run = try ScriptedRun(["", "n", "3", ""], interview: interview, resumeAt: Address("ve_date"))
        #expect(run.output.contains("Háztartástagok: 12 helyett 3 sor lesz, 9 tagnak ki kell kerülnie."))
        #expect(run.recorder.answers == [.answered(Address("hh_size"), .value(.integer(3))), .ended(outcome: 11)])
        #expect(run.session.interview.openWarnings.isEmpty)
    }

    @Test func keepingADeclinedWarningAsksForConfirmationAgainWithoutLooping() throws {
        let names = (1...12).map { "N\($0)" }
        let interview = try Self.answered(hhSize: 12, names: names)
        let run = try ScriptedRun(["", "n", "", "i"], interview: interview, resumeAt: Address("ve_date"))
        #expect(run.recorder.answers == [.warningConfirmed("chk_hh_size_2", rows: [], reason: nil), .ended(outcome: 11)])
    }

    @Test func theCompleteOutcomeCodeIsCheckedButOtherOutcomesAreNot() throws {
        let interview = try Self.answered(hhSize: 1, names: ["Anna"])
        let complete = try ScriptedRun([".z 11", "i"], interview: interview)
        #expect(complete.output.contains("A látogatás lezárása ezzel az eredménnyel: 11 (Teljes). Lezárja?"))
        #expect(complete.output.contains("== Lezárás előtti ellenőrzés =="))
        #expect(complete.recorder.answers.isEmpty)
        let refusal = try ScriptedRun([".z 21", "i"], interview: interview)
        #expect(refusal.recorder.answers == [.answered(Address("outcome"), .value(.choice(21))), .ended(outcome: 21)])
    }

    @Test func closingMessagesFollowTheUILanguage() throws {
        let interview = try Self.answered(hhSize: 1, names: ["Anna"])
        let run = try ScriptedRun([""], uiLanguage: .en, interview: interview, resumeAt: Address("ve_date"))
        #expect(run.output.contains("== Check before closing =="))
        #expect(run.output.contains("The interview cannot be closed as complete yet."))
    }
}
