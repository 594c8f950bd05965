import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Routing, ends and re-routing")
struct RoutingTests {
    static let form = Build.survey(
        [
            Build.integer("hh_n16", 0, 15),
            .end(EndRule(condition: v("hh_n16") == 0, outcome: 42)),
            Build.yesno("consent"),
            Build.section(
                "B", when: v("consent") == 1,
                [
                    Build.integer("age", 16, 110),
                    Build.integer("smoke_years", 0, 90, when: v("age") > 30),
                ]),
            Build.integer("last", 0, 10),
        ], outcome: OutcomeSpec(variable: "outcome", completeCode: 11))

    @Test func questionConditionPutsQuestionOnRouteOnlyWhenTrue() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        s.answer("consent", 1)
        #expect(!s.isOnRoute("smoke_years"))
        s.answer("age", 40)
        #expect(s.isOnRoute("smoke_years"))
        s.answer("age", 20)
        #expect(!s.isOnRoute("smoke_years"))
    }

    @Test func sectionConditionAppliesToEverythingInside() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        s.answer("consent", 0)
        #expect(!s.isOnRoute("age"))
        #expect(s.route == ["hh_n16", "consent", "last"])
    }

    @Test func answersFallingOffRouteAreKeptAndComeBack() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        s.answer("consent", 1)
        s.answer("age", 44)
        s.answer("smoke_years", 20)
        s.answer("consent", 0)
        #expect(s.value("age") == nil)
        #expect(s.stored("age") == .value(.integer(44)))
        #expect(s.interview.offRouteAnswers[Address("smoke_years")] == .value(.integer(20)))
        #expect(s.interview.exportableAnswers[Address("age")] == nil)
        s.answer("consent", 1)
        #expect(s.value("age") == .integer(44))
        #expect(s.value("smoke_years") == .integer(20))
    }

    @Test func endRuleEndsTheInterviewWithItsOutcomeAndCutsTheRoute() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 0)
        #expect(s.status == .ended(outcome: 42))
        #expect(s.route == ["hh_n16"])
        #expect(s.interview.exportableAnswers[Address("outcome")] == .value(.choice(42)))
        s.answer("hh_n16", 1)
        #expect(s.status == .inProgress)
        #expect(s.isOnRoute("consent"))
    }

    /// `endRuleHolds` (asked after every answer, without walking the route) says whether an end
    /// rule's condition holds: always when `endReason` is an end rule, also before the questions
    /// ahead of the rule are all answered, and no longer once the answer changes back.
    @Test func endRuleHoldsIsTheQuickSignOfAnEndRule() {
        let early = Build.survey(
            [
                Build.integer("first", 0, 9),
                Build.integer("hh_n16", 0, 15),
                .end(EndRule(condition: v("hh_n16") == 0, outcome: 42)),
                Build.integer("last", 0, 10),
            ], outcome: OutcomeSpec(variable: "outcome", completeCode: 11))
        var s = Scenario(early)
        #expect(!s.interview.endRuleHolds)
        s.answer("hh_n16", 0)
        #expect(s.interview.endRuleHolds)
        #expect(s.interview.endReason == nil)  // `first` is required and not answered yet
        s.answer("first", 3)
        #expect(s.interview.endRuleHolds)
        #expect(s.interview.endReason == .endRule(index: 0, message: nil))
        s.answer("hh_n16", 2)
        #expect(!s.interview.endRuleHolds)
        s.answer("last", 1)
        #expect(s.interview.endReason == .completed)
        #expect(!s.interview.endRuleHolds)
    }

    @Test func finishedRouteCompletesWithTheCompleteCode() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        s.answer("consent", 0)
        #expect(s.status == .inProgress)
        #expect(s.next() == Address("last"))
        s.answer("last", 3)
        #expect(s.status == .ended(outcome: 11))
        #expect(s.interview.endReason == .completed)
    }

    @Test func answeringAnOffRouteQuestionIsRefused() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        let accepted = s.answer("age", 30)
        #expect(!accepted)
        #expect(s.lastError == .offRoute(Address("age")))
        #expect(s.stored("age") == nil)
    }

    @Test func recordedOutcomeEndsAndReopenResumes() {
        var s = Scenario(Self.form)
        s.apply(.ended(outcome: 31))
        #expect(s.status == .ended(outcome: 31))
        let accepted = s.answer("hh_n16", 2)
        #expect(!accepted)
        #expect(s.lastError == .interviewEnded)
        s.apply(.reopened())
        let accepted2 = s.answer("hh_n16", 2)
        #expect(accepted2)
        #expect(s.status == .inProgress)
    }

    @Test func navigationWalksTheRoute() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        s.answer("consent", 1)
        #expect(s.interview.next(after: Address("consent")) == Address("age"))
        #expect(s.interview.previous(before: Address("age")) == Address("consent"))
        #expect(s.interview.nextUnanswered(after: Address("hh_n16")) == Address("age"))
    }
}

@Suite("Missing values")
struct MissingValueTests {
    static let form = Build.survey([
        Build.integer("a", 0, 10),
        Build.integer("b", 0, 10),
        Build.calc("total", v("a") + v("b")),
        Build.calc("either", call(.answered, v("a")), .boolean),
        Build.calc("a_dk", call(.isDontKnow, v("a")), .boolean),
        Build.calc("not_big", !(v("a") > 5), .boolean),
        Build.calc("pick", call(.if, v("a") > 5, lit(1), lit(2))),
    ])

    @Test func arithmeticWithAMissingOperandIsMissing() {
        var s = Scenario(Self.form)
        s.answer("a", 3)
        #expect(s.value("total") == nil)
        s.answer("b", 4)
        #expect(s.value("total") == .integer(7))
        s.dk("b")
        #expect(s.value("total") == nil)
    }

    @Test func comparisonWithMissingIsMissingAndSoIsNotOfIt() {
        var s = Scenario(Self.form)
        #expect(s.value("not_big") == nil)
        #expect(s.value("pick") == nil)
        s.dk("a")
        #expect(s.value("not_big") == nil)
        #expect(s.value("pick") == nil)
        s.answer("a", 7)
        #expect(s.value("not_big") == .boolean(false))
        #expect(s.value("pick") == .integer(1))
    }

    /// A definition compiled before the three-valued rule (format 1) is run by the old one, so
    /// its interviews replay as they were conducted.
    @Test func formatOneKeepsTheOldRule() {
        var legacy = Self.form
        legacy.format = 1
        var s = Scenario(legacy)
        #expect(s.value("not_big") == .boolean(true))
        #expect(s.value("pick") == .integer(2))
        s.answer("a", 7)
        #expect(s.value("not_big") == .boolean(false))
        #expect(s.value("pick") == .integer(1))
    }

    @Test func specialAnswerTestsSeeSpecialsButValuesDoNot() {
        var s = Scenario(Self.form)
        #expect(s.value("either") == .boolean(false))
        s.dk("a")
        #expect(s.value("either") == .boolean(true))
        #expect(s.value("a_dk") == .boolean(true))
        #expect(s.value("a") == nil)
    }

    @Test func specialNotAllowedIsRefused() {
        let form = Build.survey([Build.question("c", .integer(min: nil, max: nil), specials: [])])
        var s = Scenario(form)
        let accepted = s.dk("c")
        #expect(!accepted)
        #expect(s.lastError == .invalidAnswer(Address("c"), [.specialNotAllowed(.dontKnow)]))
    }
}
