import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("elapsed_minutes() is the time spent in the interview: its sessions summed")
struct DurationTests {
    static let form = Build.survey([
        Build.integer("q1", 0, 10),
        Build.integer("q2", 0, 10),
        Build.integer("q3", 0, 10),
        Build.integer("q4", 0, 10),
        Build.calc("duration_min", call(.elapsedMinutes)),
    ])

    @Test("a break until the next day is not counted")
    func resumedNextDay() throws {
        var s = Scenario(Self.form)
        s.at(minute: 2)
        s.answer("q1", 1)
        s.at(minute: 10)
        s.answer("q2", 2)
        #expect(s.value("duration_min") == .integer(10))
        s.at(minute: 24 * 60 + 10)  // resumed the next day
        s.apply(.shown(Address("q3")))
        #expect(s.value("duration_min") == .integer(10))
        s.at(minute: 24 * 60 + 16)
        s.answer("q3", 3)
        s.at(minute: 24 * 60 + 20)
        s.answer("q4", 4)
        #expect(s.value("duration_min") == .integer(20))
        #expect(s.status == .ended(outcome: nil))
        // A replay with the logged contexts gives the same value.
        #expect(try s.replayed().value(at: Address("duration_min")) == .integer(20))
    }

    @Test("pauses of up to 30 minutes are part of the session, longer ones are not")
    func gapRule() {
        var time = ActiveTime(startedAt: 1_000)
        time.record(.shown(Address("q1")), at: 1_000 + ActiveTime.sessionGap)
        #expect(time.milliseconds == ActiveTime.sessionGap)
        time.record(.shown(Address("q2")), at: 1_000 + 2 * ActiveTime.sessionGap + 1)
        #expect(time.milliseconds == ActiveTime.sessionGap)
        time.record(.shown(Address("q3")), at: 1_000 + 2 * ActiveTime.sessionGap + 60_001)
        #expect(time.minutes == 31)
    }

    @Test("training marks and events timestamped earlier add nothing")
    func marksAndClockSkew() {
        var time = ActiveTime(startedAt: 0)
        time.record(.shown(Address("q1")), at: 300_000)
        time.record(.trainingMarked(true), at: 900_000)
        time.record(.answered(Address("q1"), .value(.integer(1))), at: 1_200_000)
        #expect(time.milliseconds == 1_200_000)
        time.record(.shown(Address("q2")), at: 600_000)  // another device's slower clock
        #expect(time.milliseconds == 1_200_000 && time.latest == 1_200_000)
        time.record(.shown(Address("q3")), at: 1_260_000)
        #expect(time.minutes == 21)
    }
}
