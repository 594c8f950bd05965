import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Events: clearing, languages, notes, effects, complete()")
struct EventTests {
    static let form = Build.survey([
        Build.section(
            "A",
            [
                Build.integer("a1", 0, 10),
                Build.integer("a2", 0, 10, required: false),
                Build.integer("a3", 0, 10, when: v("a1") > 5),
            ]),
        Build.calc("a_done", .call(.complete, [lit("A")]), .boolean),
        Build.roster("kids", count: nil, max: 3, [Build.integer("k_age", 0, 17)]),
        .end(EndRule(condition: v("a1") == 0, outcome: 42)),
        Build.integer("z", 0, 10),
    ])

    @Test func clearingAnAnswerMakesItMissingAgain() {
        var s = Scenario(Self.form)
        s.answer("a1", 7)
        #expect(s.isOnRoute("a3"))
        s.clear("a1")
        #expect(s.stored("a1") == nil)
        #expect(!s.isOnRoute("a3"))
    }

    @Test func completeCountsOnlyOnRouteRequiredQuestions() {
        var s = Scenario(Self.form)
        s.answer("a1", 3)
        #expect(s.value("a_done") == .boolean(true))
        s.answer("a1", 7)
        #expect(s.value("a_done") == .boolean(false))
        s.dk("a3")
        #expect(s.value("a_done") == .boolean(true))
    }

    @Test func endRuleActivationIsReportedAsAnEffect() {
        var s = Scenario(Self.form)
        s.answer("a1", 0)
        #expect(s.lastEffects.contains(.endRuleActivated(outcome: 42)))
        s.answer("a1", 1)
        #expect(s.lastEffects.contains(.endRuleCleared(outcome: 42)))
    }

    @Test func openRostersOnRouteAreListedAndResizeIsReported() {
        var s = Scenario(Self.form)
        #expect(s.interview.openRosters == [RosterInstance("kids", parentRows: [])])
        s.addRow("kids")
        #expect(s.lastEffects == [.rosterResized("kids", parentRows: [], rows: 1)])
        let removed = s.removeRow("kids")
        #expect(removed)
        let again = s.removeRow("kids")
        #expect(!again)
        #expect(s.lastError == .noRowToRemove("kids"))
    }

    @Test func languageAndNotesAreState() {
        var s = Scenario(Self.form)
        #expect(s.interview.language == "en")
        s.apply(.languageChanged("hu"))
        #expect(s.interview.language == "hu")
        s.apply(.note(Address("a1"), "respondent hesitated"))
        #expect(s.interview.notes.map(\.text) == ["respondent hesitated"])
        #expect(s.interview.notes.first?.interviewer == "tester")
    }

    @Test func rosterCountAboveTheMaximumIsRejectedOrClamped() {
        let form = Build.survey([
            Build.integer("n", 0, 50),
            Build.roster("r", count: v("n"), max: 5, [Build.integer("x", 0, 9)]),
        ])
        var s = Scenario(form)
        #expect(s.validate("n", .integer(40)).errors == [.outOfRange(min: .integer(0), max: .integer(5))])
        s.answer("n", 5)
        #expect(s.interview.rowCount(of: "r") == 5)
        let clamped = Build.survey([
            Build.integer("n", 0, 50),
            Build.roster("r", count: v("n") + lit(0), max: 5, [Build.integer("x", 0, 9)]),
        ])
        var c = Scenario(clamped)
        c.answer("n", 40)
        #expect(c.interview.rowCount(of: "r") == 5)
    }

    @Test func startingWithoutAStartedEventIsRefused() {
        #expect(throws: EngineError.notStarted) {
            try Interview(definition: Self.form, started: .reopened(), context: Scenario.defaultContext)
        }
        var s = Scenario(Self.form)
        let again = s.apply(.started(definition: "x", seed: 1, language: "en", preload: [:]))
        #expect(!again)
        #expect(s.lastError == .alreadyStarted)
    }

    @Test func preloadedValuesAreAnswersAndRememberedForPreloaded() {
        let form = Build.survey(
            [
                Build.single("district", "D"),
                Build.calc("moved", .binary(.notEqual, v("district"), .call(.preloaded, [v("district")])), .boolean),
            ], answerSets: [Build.set("D", [1, 2, 3])])
        var s = Scenario(form, preload: ["district": .choice(2)])
        #expect(s.value("district") == .choice(2))
        #expect(s.value("moved") == .boolean(false))
        s.answer("district", 3)
        #expect(s.value("moved") == .boolean(true))
    }
}
