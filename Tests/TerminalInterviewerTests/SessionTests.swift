import InterviewEngine
import SurveyModel
import Testing

@testable import TerminalInterviewer

/// Scripted sessions over the fixture questionnaire: what is stored, what is shown.
struct SessionTests {
    /// hh_n16 (the engine starts past the outcome variable), consent, life_sat, nb_prob, hh_size, 3 names.
    static let happyPath = ["2", "1", "7", "1 3", "3", "Anna", "Béla", "Cili", ""]

    @Test func completeInterviewStoresEveryAnswerAndEnds() throws {
        let run = try ScriptedRun(Self.happyPath)
        #expect(run.end == .ended(outcome: 11))
        #expect(
            run.recorder.answers == [
                .answered(Address("hh_n16"), .value(.integer(2))),
                .answered(Address("consent"), .value(.choice(1))),
                .answered(Address("life_sat"), .value(.integer(7))),
                .answered(Address("nb_prob"), .value(.choices([1, 3]))),
                .answered(Address("hh_size"), .value(.integer(3))),
                .answered(Address("m_name", rows: [1]), .value(.text("Anna"))),
                .answered(Address("m_name", rows: [2]), .value(.text("Béla"))),
                .answered(Address("m_name", rows: [3]), .value(.text("Cili"))),
                .ended(outcome: 11),
            ])
        #expect(run.output.contains("Hány 16 éves vagy idősebb személy lakik itt állandóan?"))
        #expect(run.output.contains("Az interjú véget ért (eredmény: 11). Köszönjük!"))
    }

    @Test func everyShownQuestionIsLoggedOnceAsParadata() throws {
        let run = try ScriptedRun(Self.happyPath)
        let shown = run.recorder.events.compactMap { if case .shown(let a) = $0 { a } else { nil } }
        #expect(shown.first == Address("hh_n16"))
        #expect(shown.contains(Address("m_name", rows: [3])))
        #expect(Set(shown).count == shown.count)
    }

    @Test func outOfRangeAnswerIsRejectedWithAHungarianMessageAndNotStored() throws {
        let run = try ScriptedRun(["16", "2"])
        #expect(run.output.contains("Érvénytelen válasz: 0 és 15 közötti egész számot adjon meg."))
        #expect(run.recorder.answers == [.answered(Address("hh_n16"), .value(.integer(2)))])
        #expect(run.end == .endOfInput)
    }

    @Test func uiLanguageOverrideGivesEnglishMessages() throws {
        let run = try ScriptedRun(["tizenhat"], uiLanguage: .en)
        #expect(run.output.contains("Invalid answer: enter a whole number."))
        #expect(run.output.contains("Answer> "))
        // The questionnaire language stays Hungarian.
        #expect(run.output.contains("Hány 16 éves"))
    }

    @Test func hardCheckBlocksTheAnswerAndPipesTheValue() throws {
        let run = try ScriptedRun(["3", "1", "7", "1", "2"])
        #expect(run.output.contains("Hiba: A háztartás létszáma nem lehet kisebb a 16 év felettiek számánál (3)."))
        #expect(!run.recorder.answers.contains(.answered(Address("hh_size"), .value(.integer(2)))))
    }

    @Test func softCheckCanBeRefusedThenConfirmedWithAReason() throws {
        let run = try ScriptedRun(["2", "1", "7", "1", "12", "n", "12", "i nagycsalád"])
        #expect(run.output.contains("Figyelmeztetés: Szokatlanul nagy háztartás."))
        let stored = run.recorder.answers.filter { if case .answered(Address("hh_size"), _) = $0 { true } else { false } }
        #expect(stored == [.answered(Address("hh_size"), .value(.integer(12)))])
        #expect(run.recorder.answers.contains(.warningConfirmed("chk_hh_size_2", rows: [], reason: "nagycsalád")))
        #expect(run.session.interview.openWarnings.isEmpty)
    }

    @Test func exclusiveAndTooManyChoicesAreRejected() throws {
        let run = try ScriptedRun(["2", "1", "7", "1 97", "1 2 3 96", "97"])
        #expect(run.output.contains("Érvénytelen válasz: a(z) 97 kód nem jelölhető más válasszal együtt."))
        #expect(run.output.contains("Érvénytelen válasz: legfeljebb 3 választ jelölhet meg."))
        #expect(run.recorder.answers.last == .answered(Address("nb_prob"), .value(.choices([97]))))
    }

    @Test func specialAnswersAreRecordedOnlyWhereAllowed() throws {
        let run = try ScriptedRun(["2", ".nt", "1", ".nv"])
        #expect(run.output.contains("Ennél a kérdésnél a(z) „nem tudja” nem rögzíthető."))
        #expect(run.recorder.answers.contains(.answered(Address("life_sat"), .special(.refused))))
        #expect(!run.recorder.answers.contains(.answered(Address("consent"), .special(.dontKnow))))
    }

    @Test func endRuleEndsTheInterviewWithItsOutcomeOnceConfirmed() throws {
        let run = try ScriptedRun(["0", "i"], width: 200)
        #expect(
            run.output.contains(
                "Ez a válasz lezárja az interjút ezzel az eredménnyel: 42 (Nincs 16+ lakos). Rögzíti és lezárja?"))
        #expect(run.end == .ended(outcome: 42))
        #expect(run.recorder.answers == [.answered(Address("hh_n16"), .value(.integer(0))), .ended(outcome: 42)])
        #expect(run.output.contains("Nincs megkérdezhető személy."))
    }

    /// A mistyped 0 that would end the interview as ineligible is caught before it is saved.
    @Test func anEndRuleNotConfirmedLeavesTheAnswerUnsaved() throws {
        let run = try ScriptedRun(["0", "n", "2", "1"], width: 200)
        #expect(run.output.contains("A válasz nincs rögzítve, az interjú folytatódik; javítsa a választ."))
        #expect(
            run.recorder.answers == [
                .answered(Address("hh_n16"), .value(.integer(2))), .answered(Address("consent"), .value(.choice(1))),
            ])
        #expect(run.end == .endOfInput)
    }

    /// Reopened after hh_n16 = 0 ended it: Enter keeps the 0, which ends it again, so the
    /// interviewer is asked first; "n" keeps it open at the question, a new answer goes on.
    @Test func enterAtAReopenedEndAsksBeforeItEndsAgain() throws {
        var interview = try Fixture.interview()
        for kind: InterviewEventKind in [
            .answered(Address("hh_n16"), .value(.integer(0))), .ended(outcome: 42), .reopened(reason: "elgépelve"),
        ] {
            try interview.apply(kind, context: Fixture.context)
        }
        let declined = try ScriptedRun(["", "n", "0", "n", "2", "1"], width: 200, interview: interview, resumeAt: Address("hh_n16"))
        #expect(declined.output.contains("A válaszok alapján az interjú ezzel az eredménnyel zárul: 42 (Nincs 16+ lakos)."))
        #expect(declined.output.contains("Az interjú nem zárult le; ha a válasz hibás, javítsa."))
        #expect(declined.output.contains("A válasz nincs rögzítve, az interjú folytatódik; javítsa a választ."))
        #expect(
            declined.recorder.answers == [
                .answered(Address("hh_n16"), .value(.integer(2))), .answered(Address("consent"), .value(.choice(1))),
            ])
        let kept = try ScriptedRun(["", "i"], width: 200, interview: interview, resumeAt: Address("hh_n16"))
        #expect(kept.output.contains("A válaszok alapján az interjú ezzel az eredménnyel zárul: 42 (Nincs 16+ lakos). Lezárja?"))
        #expect(kept.recorder.answers == [.ended(outcome: 42)])
        #expect(kept.end == .ended(outcome: 42))
    }

    @Test func backJumpAndForwardMoveTheCursor() throws {
        // Answer two, go back to hh_n16, change it, jump to ve_date, then forward to the first unanswered (life_sat).
        let run = try ScriptedRun(["2", "1", ".v", ".v", "3", ".u ve_date", ".e"])
        #expect(run.recorder.answers.contains(.answered(Address("hh_n16"), .value(.integer(3)))))
        #expect(run.session.cursor == Address("life_sat"))
        #expect(run.output.contains("Jelenlegi válasz: 1 igen (Enter = megtartja)"))
    }

    @Test func jumpToAnUnknownOrOffRouteQuestionExplainsWhy() throws {
        let run = try ScriptedRun([".u nincs_ilyen", ".u m_name", ".u"])
        #expect(run.output.contains("Nincs ilyen kérdés: nincs_ilyen"))
        #expect(run.output.contains("A(z) m_name kérdés most nincs az útvonalon"))
        #expect(run.output.contains("Adja meg a kérdés nevét: .u kérdésnév"))
    }

    @Test func languageSwitchChangesQuestionTextsAndIsLogged() throws {
        let run = try ScriptedRun([".en", ".de"])
        #expect(run.recorder.answers == [.languageChanged("en")])
        #expect(run.output.contains("How many people aged 16+ live here permanently?"))
        #expect(run.output.contains("A kérdőív nyelvei: hu, en. Nincs „de” nyelv."))
    }

    @Test func reviewShowsAnswersWarningsAndMissingQuestions() throws {
        let run = try ScriptedRun(["2", "1", "7", "1", "12", "i", ".a"])
        let review = try #require(run.output.components(separatedBy: "== Áttekintés ==").last)
        #expect(review.contains("hh_n16"))
        #expect(review.contains("1 igen"))
        #expect(review.contains("Megválaszolatlan kötelező kérdések"))
        #expect(review.contains("m_name[1]"))
    }

    @Test func helpListsTheCommandsInTheUILanguage() throws {
        let hu = try ScriptedRun(["?"])
        #expect(hu.output.contains("vissza az előző kérdésre"))
        let en = try ScriptedRun(["?"], uiLanguage: .en)
        #expect(en.output.contains("back to the previous question"))
    }

    @Test func noteAndOutcomeCommandsAreRecorded() throws {
        let run = try ScriptedRun([".m kutya az udvaron", ".z 99", ".z 21", "i"])
        #expect(
            run.recorder.answers == [
                .note(Address("hh_n16"), "kutya az udvaron"), .answered(Address("outcome"), .value(.choice(21))), .ended(outcome: 21),
            ])
        #expect(run.output.contains("Nincs ilyen eredménykód: 99."))
        #expect(run.end == .ended(outcome: 21))
    }

    @Test(arguments: [
        (TerminalInput.endOfInput, SessionEnd.endOfInput), (.interrupted(2), .interrupted(2)),
        (.interrupted(15), .interrupted(15)),
    ])
    func inputEndingOrSignalsStopCleanlyKeepingAnswers(_ ending: TerminalInput, _ expected: SessionEnd) throws {
        let run = try ScriptedRun(["2"], ending: ending)
        #expect(run.end == expected)
        #expect(run.recorder.answers == [.answered(Address("hh_n16"), .value(.integer(2)))])
    }

    /// At a terminal the line view asks before a Ctrl-C leaves, saying that the reply needs
    /// Enter; `n` stays, an unclear reply is asked again, a second Ctrl-C leaves at once. A
    /// script (not a terminal) is stopped at once, as above.
    @Test func ctrlCAtATerminalAsksWithEnterInTheQuestion() throws {
        let hu = try ScriptedRun(
            inputs: [.line("2"), .interrupted(2), .line("x"), .line("n"), .line("1"), .interrupted(2), .line("i")], interactive: true)
        #expect(hu.end == .interrupted(2))
        #expect(hu.output.contains("i és Enter = kilépés, n és Enter = maradok (újabb Ctrl-C: kilépés azonnal)"))
        #expect(hu.output.contains("Válasz> \nKilép?"), "the question starts a line of its own")
        #expect(hu.output.contains("Kérem, i (igen) vagy n (nem) betűvel válaszoljon."))
        #expect(hu.output.contains("Folytatja az interjút."))
        let stayed = try #require(hu.output.components(separatedBy: "Folytatja az interjút.").dropFirst().first)
        #expect(stayed.contains("Hozzájárul, hogy elkezdjük?"), "staying shows the question again: \(stayed)")
        #expect(
            hu.recorder.answers == [
                .answered(Address("hh_n16"), .value(.integer(2))), .answered(Address("consent"), .value(.choice(1))),
            ])
        let en = try ScriptedRun(inputs: [.line("2"), .interrupted(2), .line("y")], interactive: true, uiLanguage: .en)
        #expect(en.end == .interrupted(2))
        #expect(en.output.contains("y and Enter = leave, n and Enter = stay (Ctrl-C again leaves at once)"))
        let twice = try ScriptedRun(inputs: [.line("2"), .interrupted(2), .interrupted(2), .line("1")], interactive: true)
        #expect(twice.end == .interrupted(2))
        #expect(twice.terminal.unread == ["1"])
        let term = try ScriptedRun(inputs: [.line("2"), .interrupted(15), .line("1")], interactive: true)
        #expect(term.end == .interrupted(15), "SIGTERM never asks")
    }

    @Test func quitSavesAndStops() throws {
        let run = try ScriptedRun(["2", ".k", "1"])
        #expect(run.end == .savedAndQuit)
        #expect(run.terminal.unread == ["1"])
    }

    @Test func storageFailureStopsWithAClearMessageAndKeepsEarlierEvents() throws {
        // hh_n16 shown (1) and answered (2), consent shown (3): the 4th write fails.
        let run = try ScriptedRun(["2", "1", "7"], failAfter: 3)
        #expect(run.end == .storageFailed("the disk is full"))
        #expect(run.output.contains("MENTÉSI HIBA: megtelt a lemez."))
        #expect(run.output.contains("Részletek (a koordinátornak): the disk is full"))
        #expect(run.recorder.events.count == 3)
        // The state does not run ahead of what was saved.
        #expect(run.session.interview.answer(at: Address("consent")) == nil)
    }

    @Test func resumeLandsOnTheQuestionLastShown() throws {
        var interview = try Fixture.interview()
        try interview.apply(.answered(Address("hh_n16"), .value(.integer(2))), context: Fixture.context)
        let run = try ScriptedRun([], interview: interview, resumeAt: Address("hh_n16"))
        #expect(run.recorder.events.first == .shown(Address("hh_n16")))
        #expect(run.output.contains("Jelenlegi válasz: 2"))
    }
}
