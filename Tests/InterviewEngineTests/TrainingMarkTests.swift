import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("A training mark is a label, not a step of the interview")
struct TrainingMarkTests {
    static let form = Build.survey([
        Build.integer("years", 0, 100),
        Build.calc("duration", call(.elapsedMinutes)),
        Build.calc("late", call(.elapsedMinutes) > 30, .boolean),
    ])

    @Test("a mark set days later leaves elapsed_minutes() and the calculations that read it as they were")
    func lateMarkKeepsTheClock() {
        var s = Scenario(Self.form)
        s.context.elapsedMinutes = 12
        s.answer("years", 4)
        #expect(s.value("duration") == .integer(12))
        s.context.elapsedMinutes = 3 * 24 * 60
        s.context.today = LocalDate(year: 2026, month: 6, day: 1)
        let applied1 = s.apply(.trainingMarked(true))
        #expect(applied1)
        #expect(s.interview.isTraining)
        #expect(s.value("duration") == .integer(12))
        #expect(s.value("late") == .boolean(false))
        let applied2 = s.apply(.trainingMarked(false))
        #expect(applied2)
        #expect(!s.interview.isTraining)
        #expect(s.value("duration") == .integer(12))
    }

    @Test("an ordinary event after the mark still moves the clock")
    func laterEventsMoveTheClock() {
        var s = Scenario(Self.form)
        s.context.elapsedMinutes = 40
        let applied3 = s.apply(.trainingMarked(true))
        #expect(applied3)
        #expect(s.value("late") == .boolean(false))
        let applied4 = s.apply(.shown(Address("years")))
        #expect(applied4)
        #expect(s.value("late") == .boolean(true))
        #expect(s.value("duration") == .integer(40))
    }

    @Test("a mark is accepted on an ended interview and does not reopen it")
    func markOnEndedInterview() {
        var s = Scenario(Self.form)
        let applied5 = s.apply(.ended(outcome: 11))
        #expect(applied5)
        let applied6 = s.apply(.trainingMarked(true))
        #expect(applied6)
        #expect(s.interview.isTraining && s.interview.recordedOutcome == 11)
    }
}
