import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("Hard and soft checks, validation")
struct ChecksTests {
    static let form = Build.survey([
        Build.integer("hh_n16", 0, 15),
        Build.integer("hh_size", 1, 15, checks: [Build.error("chk_hh_size", v("hh_size") < v("hh_n16"))]),
        Build.integer("rooms", 1, 20, checks: [Build.warn("chk_rooms", v("rooms") > 10)]),
        Build.calc("per_room", v("hh_size") + v("rooms")),
    ])

    @Test func hardCheckFailureIsReportedBeforeCommitting() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 4)
        let validation = s.validate("hh_size", .integer(2))
        #expect(!validation.isAcceptable)
        #expect(validation.errors.contains { if case .checkFailed(let f) = $0 { f.check == "chk_hh_size" } else { false } })
        #expect(s.stored("hh_size") == nil)
        #expect(s.validate("hh_size", .integer(5)).isAcceptable)
    }

    @Test func changingAnEarlierAnswerCanMakeACheckFailLater() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 2)
        s.answer("hh_size", 3)
        #expect(s.interview.failingChecks.isEmpty)
        s.answer("hh_n16", 5)
        #expect(s.interview.failingChecks.map(\.check) == ["chk_hh_size"])
        #expect(s.lastEffects.contains { if case .checkFailed(let f) = $0 { f.check == "chk_hh_size" } else { false } })
    }

    @Test func softCheckIsConfirmedWithWhoWhenAndWhy() {
        var s = Scenario(Self.form)
        #expect(s.validate("rooms", .integer(12)).warnings.map(\.check) == ["chk_rooms"])
        s.answer("rooms", 12)
        #expect(s.interview.openWarnings.map(\.check) == ["chk_rooms"])
        let accepted = s.confirm("chk_rooms", reason: "large villa")
        #expect(accepted)
        #expect(s.interview.openWarnings.isEmpty)
        let confirmation = s.interview.failingChecks.first?.confirmation
        #expect(confirmation?.interviewer == "tester")
        #expect(confirmation?.reason == "large villa")
        #expect(confirmation?.date == Scenario.defaultContext.today)
    }

    @Test func confirmingAPassingCheckIsRefused() {
        var s = Scenario(Self.form)
        s.answer("rooms", 3)
        let accepted = s.confirm("chk_rooms")
        #expect(!accepted)
        #expect(s.lastError == .nothingToConfirm("chk_rooms", rows: []))
    }

    @Test(arguments: [
        (Value.integer(0), ValidationIssue.outOfRange(min: .integer(1), max: .integer(15))),
        (Value.integer(16), ValidationIssue.outOfRange(min: .integer(1), max: .integer(15))),
        (Value.text("x"), ValidationIssue.wrongType(expected: .integer, got: .text)),
    ])
    func invalidValuesAreRejectedWithAReason(value: Value, issue: ValidationIssue) {
        var s = Scenario(Self.form)
        #expect(s.validate("hh_size", value).errors == [issue])
        let accepted = s.answer("hh_size", value)
        #expect(!accepted)
        #expect(s.stored("hh_size") == nil)
    }

    @Test func rangeBoundsAreExpressions() {
        let form = Build.survey([
            Build.integer("hh_size", 1, 15),
            Build.question("hh_n16", .integer(min: lit(0), max: v("hh_size"))),
            Build.question("born", .date(min: nil, max: call(.today))),
        ])
        var s = Scenario(form)
        s.answer("hh_size", 3)
        #expect(!s.validate("hh_n16", .integer(4)).isAcceptable)
        #expect(s.validate("hh_n16", .integer(3)).isAcceptable)
        #expect(!s.validate("born", .date(LocalDate(year: 2030, month: 1, day: 1))).isAcceptable)
        #expect(s.validate("born", .date(LocalDate(year: 1990, month: 1, day: 1))).isAcceptable)
    }

    @Test func textLengthPatternAndDecimalPlaces() {
        let form = Build.survey([
            Build.question("phone", .text(maxLength: 12, pattern: "(\\+36|06)[0-9]{8,9}")),
            Build.question("floor", .decimal(min: lit(10), max: lit(500), places: 1)),
        ])
        let s = Scenario(form)
        #expect(s.validate("phone", .text("+36301234567")).isAcceptable)
        #expect(s.validate("phone", .text("12345")).errors == [.patternMismatch(pattern: "(\\+36|06)[0-9]{8,9}")])
        #expect(s.validate("phone", .text("+3630123456789")).errors.contains(.tooLong(maxLength: 12)))
        #expect(s.validate("floor", .decimal(55.5)).isAcceptable)
        #expect(s.validate("floor", .decimal(55.55)).errors == [.tooManyDecimals(places: 1)])
        #expect(s.validate("floor", .integer(60)).isAcceptable)
    }
}

@Suite("What blocks completing an interview")
struct ClosingQueryTests {
    static let form = Build.survey([
        Build.integer("hh_n16", 0, 15),
        Build.integer("hh_size", 1, 15, checks: [Build.error("chk_hh_size", v("hh_size") < v("hh_n16"))]),
        Build.roster("mem", count: v("hh_size"), [Build.integer("m_age", 0, 120)]),
    ])

    @Test func unansweredRequiredListsOnRouteQuestionsInRouteOrder() {
        var s = Scenario(Self.form)
        #expect(s.interview.unansweredRequired == [Address("hh_n16"), Address("hh_size")])
        s.answer("hh_n16", 1)
        s.answer("hh_size", 2)
        #expect(s.interview.unansweredRequired == [Address("m_age", rows: [1]), Address("m_age", rows: [2])])
        s.answer("m_age", row: 2, 30)
        #expect(s.interview.unansweredRequired == [Address("m_age", rows: [1])])
    }

    @Test func aFailingHardCheckIsListedEvenWhenEverythingIsAnswered() {
        var s = Scenario(Self.form)
        s.answer("hh_n16", 1)
        s.answer("hh_size", 1)
        s.answer("m_age", row: 1, 40)
        s.answer("hh_n16", 3)  // apply does not refuse a failing check; validate does
        #expect(s.interview.unansweredRequired.isEmpty)
        #expect(s.interview.failingChecks.filter { $0.severity == .error }.map(\.check) == ["chk_hh_size"])
    }
}
