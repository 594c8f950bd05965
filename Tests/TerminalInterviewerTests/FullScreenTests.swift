import Fieldwork
import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@testable import TerminalInterviewer

/// The full screen over the fixture, on a screen in memory: what is saved, what is shown.
struct FullScreenTests {
    /// hh_n16, consent, life_sat, nb_prob, hh_size 3, three names.
    static let toRoster = ["2", "1", "7", "1 3", "3", "Anna", "Béla"]

    @Test func aRosterIsATableWithEveryMemberOnScreenAtOnce() throws {
        let run = try ScreenRun(KeyEvent.lines(Self.toRoster))
        let lines = run.lines
        let header = try #require(lines.firstIndex { $0.contains("#  m_name") }, "\(run.text)")
        #expect(lines[header + 1].hasPrefix(" 1  Anna"))
        #expect(lines[header + 2].hasPrefix(" 2  Béla"))
        #expect(lines[header + 3].trimmingCharacters(in: .whitespaces) == "3")
        // The row being answered (the third) is highlighted, its cell bold and underlined.
        let grid = try #require(run.screen.painted)
        #expect(grid[header + 3, 1].style.attributes.contains(.reverse))
        #expect(!grid[header + 2, 1].style.attributes.contains(.reverse))
        #expect(run.session.controller.cursor == Address("m_name", rows: [3]))
    }

    @Test func everyAnswerIsSavedAsInTheLineView() throws {
        let run = try ScreenRun(KeyEvent.lines(SessionTests.happyPath))
        #expect(run.end == .ended(outcome: 11))
        #expect(run.recorder.answers.contains(.answered(Address("m_name", rows: [3]), .value(.text("Cili")))))
        #expect(run.recorder.answers.last == .ended(outcome: 11))
        #expect(run.session.farewell.contains { $0.text == "Az interjú véget ért (eredmény: 11). Köszönjük!" })
        #expect(run.screen.closed)
    }

    /// While the session is up, a crash would say in the interview's UI language (the
    /// questionnaire's first language unless --ui-lang says otherwise) that every confirmed
    /// answer is saved and how to resume; nothing once the session is over.
    @Test(arguments: [
        (UILanguage?.none, "A program váratlan hibával leállt. Minden megerősített válasz mentve. Folytatás: x"),
        (.en, "The program stopped on an unexpected error. Every confirmed answer is saved. To resume: x"),
    ])
    func aCrashWouldSayHowToResumeInTheInterviewsLanguage(_ ui: UILanguage?, _ said: String) throws {
        var during: String?
        let screen = MemoryScreen(keys: [.text("2")])
        screen.onRead = { _ in during = screen.crashNotice }
        let controller = InterviewController(
            interview: try Fixture.interview(), spent: ActiveTime(startedAt: Fixture.start.timestamp),
            recorder: MemoryRecorder(), clock: .stepping(from: Fixture.start),
            options: SessionOptions(uiLanguage: ui, interviewer: "anna", resumeCommand: "x"))
        #expect(FullScreenSession(controller: controller, device: screen, interviewID: "7e0b6db1", cases: []).run() == .endOfInput)
        #expect(during?.hasPrefix(said) == true, "\(during ?? "nothing")")
        #expect(screen.crashNotice == nil)
    }

    @Test func aQuestionComesUpWithItsAnswerWhichTypingReplacesAndEnterKeeps() throws {
        // Back to life_sat (7): Enter keeps it without saving again; typing replaces it.
        let keys = KeyEvent.lines(["2", "1", "7", "1 3"]) + [.up, .up] + [.enter] + [.up] + KeyEvent.line("9")
        let run = try ScreenRun(keys)
        let sat = run.recorder.answers.filter { if case .answered(Address("life_sat"), _) = $0 { true } else { false } }
        #expect(sat == [.answered(Address("life_sat"), .value(.integer(7))), .answered(Address("life_sat"), .value(.integer(9)))])
    }

    @Test func arrowsMoveBetweenFieldsButNotAwayFromUnsavedTyping() throws {
        let run = try ScreenRun(KeyEvent.lines(["2", "1"]) + [.text("8"), .up])
        #expect(run.session.controller.cursor == Address("life_sat"))
        #expect(run.text.contains("A beírt választ előbb rögzítse (Enter) vagy vesse el (Esc)."))
        let moved = try ScreenRun(KeyEvent.lines(["2", "1"]) + [.text("8"), .escape, .up])
        #expect(moved.session.controller.cursor == Address("consent"))
        #expect(moved.recorder.events.contains(.shown(Address("consent"))))
    }

    @Test func pageKeysGoFromSectionToSection() throws {
        let run = try ScreenRun(KeyEvent.lines(["2", "1"]) + [.pageUp])
        #expect(run.session.controller.cursor == Address("hh_n16"))
        let down = try ScreenRun(KeyEvent.lines(["2", "1"]) + [.pageUp, .pageDown])
        #expect(down.session.controller.cursor == Address("life_sat"))
    }

    @Test func theSectionMenuShowsCompletionAndJumps() throws {
        let run = try ScreenRun(KeyEvent.lines(["2", "1", "7"]) + [.function(2)])
        #expect(run.text.contains("A. Szűrés"))
        #expect(run.text.contains("kész (2)"))
        #expect(run.text.contains("1/4 kész"))
        // A section with no question on the route yet is not said to be done.
        #expect(UIStrings(.hu).sectionProgress(0, of: 0) == "még nincs kérdés")
        #expect(UIStrings(.en).sectionProgress(0, of: 0) == "no questions yet")
        let jumped = try ScreenRun(KeyEvent.lines(["2", "1", "7"]) + [.function(2), .up, .enter])
        #expect(jumped.session.controller.cursor == Address("hh_n16"))
    }

    @Test func theReviewListsEverythingAndEnterJumpsToALine() throws {
        let keys = KeyEvent.lines(["2", "1", "7", ".m kutya az udvaron"]) + [.control("r")]
        let run = try ScreenRun(keys, height: 40)
        #expect(run.text.contains("Válaszok (3)"))
        #expect(run.text.contains("hh_n16    2"), "the names in a column")
        #expect(run.text.contains("consent   1 igen"))
        #expect(run.text.contains("Megjegyzések (1)"))
        #expect(run.text.contains("nb_prob  kutya az udvaron (anna)"))
        #expect(run.text.contains("Megválaszolatlan kötelező kérdések"))
        let jumped = try ScreenRun(keys + [.down, .enter])
        #expect(jumped.session.controller.cursor == Address("consent"))
    }

    /// Ctrl-C asks, and one key answers, no Enter: `i` (or `y`) leaves; `n`, Esc, Enter or any
    /// other key stays (nothing is typed into the answer); a second Ctrl-C leaves at once.
    @Test func ctrlCAsksAndOneKeyAnswers() throws {
        let asked = try ScreenRun(KeyEvent.lines(["2"]) + [.interrupt])
        #expect(asked.text.contains("Kilép? Minden megerősített válasz mentve van"))
        #expect(asked.text.contains("Egy billentyű: i = kilépés, bármely más (n, Esc) = maradok"))
        #expect(asked.lines.last?.hasPrefix(" i kilépés  n/Esc maradok") == true, "\(asked.lines.last ?? "")")
        for key in [KeyEvent.text("i"), .text("I"), .text("y")] {
            let leave = try ScreenRun(KeyEvent.lines(["2"]) + [.interrupt, key])
            #expect(leave.end == .interrupted(2), "\(key) leaves without Enter")
            #expect(leave.screen.closed)
            #expect(leave.recorder.answers == [.answered(Address("hh_n16"), .value(.integer(2)))])
        }
        for key in [KeyEvent.text("n"), .escape, .enter, .text("x"), .down, .function(2)] {
            let stay = try ScreenRun(KeyEvent.lines(["2"]) + [.interrupt, key])
            #expect(stay.end == .endOfInput, "\(key) stays")
            #expect(stay.session.controller.prompt == nil && stay.session.state.editor.text.isEmpty, "\(key) is not typed")
            #expect(stay.text.contains("Folytatja az interjút."))
            #expect(stay.session.controller.cursor == Address("consent"))
        }
        // What was typed before Ctrl-C comes back after staying; the interview goes on.
        let typed = try ScreenRun(KeyEvent.lines(["2"]) + [.text("1"), .interrupt, .text("n"), .enter])
        #expect(typed.recorder.answers.contains(.answered(Address("consent"), .value(.choice(1)))))
        let twice = try ScreenRun(KeyEvent.lines(["2"]) + [.interrupt, .interrupt])
        #expect(twice.end == .interrupted(2))
        #expect(twice.screen.closed)
        let resized = try ScreenRun(KeyEvent.lines(["2"]) + [.interrupt, .resize, .text("i")])
        #expect(resized.end == .interrupted(2), "a resize is not an answer")
        let english = try ScreenRun(KeyEvent.lines(["2"]) + [.interrupt], uiLanguage: .en)
        #expect(english.text.contains("One key: y = leave, any other (n, Esc) = stay"))
        #expect(english.lines.last?.hasPrefix(" y leave  n/Esc stay") == true)
    }

    @Test func aTextLimitIsCountedAndCannotBeTypedPast() throws {
        let run = try ScreenRun(KeyEvent.lines(Self.toRoster) + [.text(String(repeating: "x", count: 25))])
        #expect(run.text.contains("20/20"))
        #expect(run.text.contains("Elérte a legfeljebb 20 karaktert; több nem írható."))
        #expect(run.session.state.editor.count == 20)
    }

    @Test func aSoftCheckIsAskedBesideTheInputAndOnlyItsKeysAnswerIt() throws {
        let keys = KeyEvent.lines(["2", "1", "7", "1", "12", "", "x"])
        let run = try ScreenRun(keys)
        #expect(run.text.contains("Figyelmeztetés: Szokatlanul nagy háztartás."))
        #expect(run.text.contains("Kérem, i (igen) vagy n (nem) betűvel válaszoljon."))
        // The reply is a line (a reason may follow the yes): the key line says Enter.
        #expect(run.lines.last?.hasPrefix(" i+Enter igen  n+Enter nem  Esc mégsem") == true, "\(run.lines.last ?? "")")
        let english = try ScreenRun(keys, uiLanguage: .en)
        #expect(english.lines.last?.hasPrefix(" y+Enter yes  n+Enter no  Esc cancel") == true, "\(english.lines.last ?? "")")
        // The key alone does nothing yet: the question stays until Enter.
        let typed = try ScreenRun(KeyEvent.lines(["2", "1", "7", "1", "12"]) + [.text("i")])
        #expect(typed.session.controller.prompt != nil && typed.session.state.editor.text == "i")
        #expect(!run.recorder.answers.contains { if case .answered(Address("hh_size"), _) = $0 { true } else { false } })
        // "n" brings back what was typed, ready to be replaced.
        let corrected = try ScreenRun(keys + KeyEvent.lines(["n", "3"]))
        #expect(corrected.recorder.answers.contains(.answered(Address("hh_size"), .value(.integer(3)))), "\(corrected.text)")
    }

    @Test func progressNeverGoesBackWhenRoutingOpensQuestions() throws {
        let screen = MemoryScreen(keys: [])
        let controller = InterviewController(
            interview: try Fixture.interview(), spent: ActiveTime(startedAt: Fixture.start.timestamp), recorder: MemoryRecorder(),
            clock: .stepping(from: Fixture.start), options: SessionOptions(interviewer: "anna", resumeCommand: "x"))
        let session = FullScreenSession(controller: controller, device: screen, interviewID: "x", cases: [])
        controller.start()
        session.absorb()
        var shown: [Int] = []
        for line in ["2", "1", "7", "1 3", "12", "i", "A", "B", "C", "D"] {
            controller.enter(line)
            session.absorb()
            shown.append(session.model().header.percent)
        }
        // hh_size 12 opens twelve name questions: the share answered drops, the percentage shown does not.
        #expect(shown == shown.sorted(), "\(shown)")
        #expect(session.model().header.remaining > 5)
    }

    @Test(arguments: [(80, 24), (60, 20), (40, 16), (120, 40)])
    func nothingRunsPastTheRightEdge(_ size: (Int, Int)) throws {
        let run = try ScreenRun(KeyEvent.lines(Self.toRoster), width: size.0, height: size.1)
        #expect(run.lines.count == size.1)
        for line in run.lines { #expect(TextLayout.width(line) <= size.0, "\(line)") }
        #expect(run.text.contains("Keresztneve?"))
    }

    @Test func withoutColourOnlyAttributesAreUsed() throws {
        let plain = try ScreenRun(KeyEvent.lines(["16"]), colour: false)
        let cells = try #require(plain.screen.painted).cells
        #expect(cells.allSatisfy { $0.style.colour == .plain })
        #expect(cells.contains { $0.style.attributes.contains(.bold) })
        let coloured = try ScreenRun(KeyEvent.lines(["16"]), colour: true)
        #expect(try #require(coloured.screen.painted).cells.contains { $0.style.colour == .red })
    }

    @Test func englishInterfaceOnEnglishQuestions() throws {
        let run = try ScreenRun(KeyEvent.lines(["2"]), interview: try Fixture.interview(language: "en"), uiLanguage: .en)
        #expect(run.text.contains("Do you agree to start?"))
        #expect(run.text.contains("Answer>"))
        #expect(run.text.contains("Enter save"))
        #expect(run.text.contains("A. Screening (section 1/2) · 1 done, about 5 to go"))
    }
}

/// The input line: whole characters as the reader sees them.
struct LineEditorTests {
    @Test func backspaceRemovesAWholeHungarianLetterPrecomposedOrNot() {
        var editor = LineEditor()
        editor.insert("ő")
        editor.insert("o")
        editor.insert("\u{30B}")  // combining double acute: joins the o
        #expect(editor.count == 2)
        #expect(editor.text == "őo\u{30B}")
        editor.backspace()
        #expect(editor.text == "ő")
        editor.backspace()
        #expect(editor.isEmpty)
    }

    @Test func wideCharactersMoveTheCaretTwoColumns() {
        var editor = LineEditor("漢字ab")
        #expect(editor.caretColumn == 6)
        editor.home()
        editor.right()
        #expect(editor.caretColumn == 2)
        editor.delete()
        #expect(editor.text == "漢ab")
    }

    @Test func ctrlUAndCtrlKCutAtTheCaret() {
        var editor = LineEditor("Kiss Anna")
        editor.home()
        for _ in 0..<5 { editor.right() }
        editor.killToEnd()
        #expect(editor.text == "Kiss ")
        editor.insert("Béla")
        editor.left()
        editor.killToStart()
        #expect(editor.text == "a")
    }

    @Test func aFreshLineIsReplacedByTypingAndKeptByMoving() {
        var typed = LineEditor("12", fresh: true)
        typed.insert("3")
        #expect(typed.text == "3")
        var moved = LineEditor("12", fresh: true)
        moved.left()
        moved.insert("5")
        #expect(moved.text == "152")
        var cleared = LineEditor("12", fresh: true)
        cleared.backspace()
        #expect(cleared.isEmpty)
    }

    @Test func controlCharactersNeverGetIn() {
        var editor = LineEditor("ab")
        #expect(editor.insert("\u{1B}[D") == .refused)
        #expect(editor.insert("\t") == .refused)
        #expect(editor.text == "ab")
    }

    @Test func theLimitRefusesInsteadOfCutting() {
        var editor = LineEditor("abc", limit: 4)
        #expect(editor.insert("d") == .changed)
        #expect(editor.insert("e") == .full)
        #expect(editor.text == "abcd")
    }
}
