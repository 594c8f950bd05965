import SurveyModel
import Testing

/// SurveyModel's one visit rule (``VisitTracker``) and the final rules (``VisitRules``).
@Suite("Visits and final dispositions")
struct VisitTests {
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> LocalDateTime {
        LocalDateTime(date: LocalDate(year: 2026, month: 10, day: day), hour: hour, minute: minute)
    }

    static let started = InterviewEventKind.started(definition: "h", seed: 1, language: "hu", preload: [:])

    @Test func aVisitBeginsAtTheStartAtEachReopeningAndOnEachLaterDay() {
        var t = VisitTracker(completeCode: 11)
        t.record(Self.started, at: Self.at(5, 10))  // Monday 5 October 2026
        t.record(.shown(Address("x")), at: Self.at(5, 10, 5))
        t.record(.note(nil, "kutya az udvaron"), at: Self.at(5, 10, 6))
        t.record(.note(Address("x"), "on a question: not the visit's"), at: Self.at(5, 10, 6))
        t.record(.ended(outcome: 23), at: Self.at(5, 10, 7))
        t.record(.reopened(), at: Self.at(5, 18))  // the same day, in the evening: a visit of its own
        t.record(.ended(outcome: 25), at: Self.at(5, 18, 2))
        t.record(.trainingMarked(false), at: Self.at(9, 9))  // a label is no visit
        t.record(.assignedCase("W-1"), at: Self.at(9, 9))
        t.record(.reopened(), at: Self.at(7, 11))
        t.record(.answered(Address("x"), .value(.integer(1))), at: Self.at(8, 9))  // worked on again another day
        #expect(t.visits.map(\.number) == [1, 2, 3, 4])
        #expect(t.visits.map(\.start) == [Self.at(5, 10), Self.at(5, 18), Self.at(7, 11), Self.at(8, 9)])
        #expect(t.visits.map(\.outcome) == [23, 25, nil, nil])
        #expect(t.visits[0].note == "kutya az udvaron")
        #expect(t.visits[0].end == Self.at(5, 10, 7))
    }

    @Test func afterACompleteEndAReopeningIsAFixNotAVisit() {
        var t = VisitTracker(completeCode: 11)
        t.record(Self.started, at: Self.at(5, 10))
        t.record(.ended(outcome: 11), at: Self.at(5, 10, 30))
        t.record(.reopened(), at: Self.at(8, 9))
        t.record(.answered(Address("x"), .value(.integer(2))), at: Self.at(9, 9))
        t.record(.note(nil, "javítva: az életkor 71"), at: Self.at(9, 9, 4))
        t.record(.ended(outcome: 11), at: Self.at(9, 9, 5))
        #expect(t.visits.count == 1)
        #expect(t.isClosed)
        #expect(
            t.visits == [Visit(number: 1, start: Self.at(5, 10), end: Self.at(5, 10, 30), outcome: 11)],
            "the visit keeps its own end, and the fix's note is not the visit's")
    }

    /// A fix that ends with another code: the visit's code follows the interview's outcome (the
    /// `final` rules read it), its times stay; the store's tracker, continued from the stored
    /// visits, agrees with the whole log's.
    @Test func aFixEndingWithAnotherCodeChangesTheCodeNotTheTimes() {
        let log: [(InterviewEventKind, LocalDateTime)] = [
            (Self.started, Self.at(5, 10)), (.ended(outcome: 11), Self.at(5, 10, 30)), (.reopened(), Self.at(12, 9)),
            (.ended(outcome: 12), Self.at(12, 9, 5)),
        ]
        var whole = VisitTracker(completeCode: 11)
        for (kind, moment) in log { whole.record(kind, at: moment) }
        #expect(whole.visits == [Visit(number: 1, start: Self.at(5, 10), end: Self.at(5, 10, 30), outcome: 12)])
        var first = VisitTracker(completeCode: 11)
        for (kind, moment) in log.prefix(2) { first.record(kind, at: moment) }
        var continued = VisitTracker(completeCode: 11, visits: first.visits, isClosed: first.isClosed)
        for (kind, moment) in log.dropFirst(2) { continued.record(kind, at: moment) }
        #expect(continued == whole)
        #expect(Self.rule.standing(of: whole.visits) == .final(12))
    }

    static let rule = VisitRules(
        appointment: [25], revisit: [24],
        requirements: [
            VisitRequirement(
                codes: [23], visits: 3, differentDays: true, late: 1, eveningFrom: TimeOfDay(hour: 17, minute: 0), weekend: true)
        ])

    static func visits(_ items: [(LocalDateTime, Int?)]) -> [Visit] {
        items.enumerated().map { Visit(number: $0.offset + 1, start: $0.element.0, outcome: $0.element.1) }
    }

    @Test func nonContactIsFinalOnlyAfterThreeVisitsOnDifferentDaysOneLate() {
        #expect(Self.rule.standing(of: []) == .notVisited)
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), nil)])) == .visitOpen)
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 23)])) == .revisit(23))
        // Three visits but two on one day: not yet.
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 23), (Self.at(5, 18), 23), (Self.at(6, 10), 23)])) == .revisit(23))
        // Three days, none late: not yet.
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 23), (Self.at(6, 10), 23), (Self.at(7, 10), 23)])) == .revisit(23))
        // Three days, one in the evening: final.
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 23), (Self.at(6, 17), 23), (Self.at(7, 10), 23)])) == .final(23))
        // Three days, one on a Saturday morning (10 October 2026): final.
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 23), (Self.at(6, 10), 23), (Self.at(10, 10), 23)])) == .final(23))
    }

    @Test func appointmentsAndRevisitsKeepACaseOpenAndOtherCodesCloseIt() {
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 25)])) == .appointment(25))
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 24)])) == .revisit(24))
        #expect(Self.rule.standing(of: Self.visits([(Self.at(5, 10), 25), (Self.at(6, 10), 21)])) == .final(21))
        #expect(VisitRules().standing(of: Self.visits([(Self.at(5, 10), 23)])) == .final(23), "without rules every code is final")
    }
}
