import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

/// The `datetime` type, `now()` and the date/time functions on it, visits recorded from the
/// clock of the events, article pipes and phrases (docs/language.md §5.1, §8.3, §2).
@Suite("Date-times, visits and article pipes")
struct DateTimeVisitTests {
    static let header = """
        survey t {
          title hu "Teszt" en "Test"
          version "1"
          languages hu en
          outcome outcome complete 11
        }
        answers OUT { 11 hu "Teljes" en "Complete" 23 hu "Nem elérés" en "Non-contact" }

        """

    static func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int) -> EngineContext {
        EngineContext(today: LocalDate(year: y, month: m, day: d), now: TimeOfDay(hour: h, minute: min), interviewer: "tester")
    }

    static func dt(_ text: String) -> Value {
        guard let t = LocalDateTime(iso: text) else { fatalError("bad date-time \(text)") }
        return .datetime(t)
    }

    @Test func aDateTimeQuestionTakesBoundsAndItsFunctionsReadItsParts() {
        var s = Scenario(
            source: Self.header + """
                question appt datetime @2026-01-01T00:00..now() { text hu "Mikor?" en "When?" }
                calculate appt_day = date(appt)
                calculate appt_time = time(appt)
                calculate appt_hour = hour(appt) * 100 + minute(appt)
                calculate appt_wd = weekday(appt)
                calculate since = minutes_between(appt, now())
                calculate days = days_between(appt, today())
                calculate later = appt > datetime(date(2026, 5, 1), @08:00)
                question outcome single OUT { interviewer optional nodk text hu "Kimenet" en "Outcome" }
                """)
        // 2026-05-04 10:00 is now; a time after it is out of range.
        #expect(!s.validate("appt", Self.dt("2026-05-04T10:01")).isAcceptable)
        #expect(!s.validate("appt", Self.dt("2025-12-31T23:59")).isAcceptable)
        let answered = s.answer("appt", Self.dt("2026-05-02T08:30:15"))
        #expect(answered)
        #expect(s.value("appt_day") == .date(LocalDate(year: 2026, month: 5, day: 2)))
        #expect(s.value("appt_time") == .time(TimeOfDay(hour: 8, minute: 30)))
        #expect(s.value("appt_hour") == .integer(830))
        #expect(s.value("appt_wd") == .integer(6), "2026-05-02 is a Saturday")
        #expect(s.value("since") == .integer(2 * 24 * 60 + 89), "08:30:15 to 10:00:00 on the second day after")
        #expect(s.value("days") == .integer(2))
        #expect(s.value("later") == .boolean(true))
        let text = s.answer("appt", .text("2026-05-02"))
        #expect(!text, "a text is not a date and time")
    }

    @Test func nowMovesWithTheClockOfEachEvent() {
        var s = Scenario(
            source: Self.header + """
                question x integer 0..9 { text hu "X" en "X" }
                calculate stamp = now()
                question outcome single OUT { interviewer optional nodk text hu "Kimenet" en "Outcome" }
                """)
        #expect(s.value("stamp") == Self.dt("2026-05-04T10:00"))
        s.context = Self.at(2026, 5, 4, 10, 17)
        s.answer("x", 1)
        #expect(s.value("stamp") == Self.dt("2026-05-04T10:17"))
    }

    static let visitSource =
        header + """
            question x integer 0..9 { text hu "X" en "X" }
            calculate visit_no = visits()
            calculate visit_ts = visit_start()
            calculate late = evening_or_weekend_visits(@17:00)
            question outcome single OUT {
              interviewer optional nodk text hu "Kimenet" en "Outcome"
              error if outcome == 23 and (visits() < 3 or evening_or_weekend_visits(@17:00) == 0)
                hu "Csak 3 látogatás után." en "Only after 3 visits."
            }
            """

    @Test func visitsAreTheDaysTheInterviewWasWorkedOnFromTheStart() throws {
        var s = Scenario(source: Self.visitSource)
        #expect(s.value("visit_no") == .integer(1))
        #expect(s.value("visit_ts") == Self.dt("2026-05-04T10:00"))
        #expect(s.value("late") == .integer(0))
        // Later the same day: still the first visit.
        s.context = Self.at(2026, 5, 4, 16, 0)
        s.apply(.shown(Address("x")))
        #expect(s.value("visit_no") == .integer(1))
        // The next day at 18:00: the second visit, an evening one.
        s.context = Self.at(2026, 5, 5, 18, 0)
        s.apply(.shown(Address("x")))
        #expect(s.value("visit_no") == .integer(2))
        #expect(s.value("visit_ts") == Self.dt("2026-05-05T18:00"))
        #expect(s.value("late") == .integer(1))
        // A training mark set days later is no visit.
        s.context = Self.at(2026, 5, 20, 9, 0)
        s.apply(.trainingMarked(false))
        #expect(s.value("visit_no") == .integer(2))
        // Non-contact after two visits is refused, after three (one in the evening) accepted.
        #expect(!s.validate("outcome", .choice(23)).isAcceptable)
        s.context = Self.at(2026, 5, 7, 11, 0)
        s.apply(.shown(Address("x")))
        #expect(s.value("visit_no") == .integer(3))
        #expect(s.validate("outcome", .choice(23)).isAcceptable)
        // The same log replayed gives the same visits.
        let replayed = try s.replayed()
        #expect(replayed.visitStarts == s.interview.visitStarts)
    }

    @Test func reopeningAfterAVisitEndedWithACodeIsTheNextVisitTheSameDay() throws {
        var s = Scenario(source: Self.visitSource)
        s.context = Self.at(2026, 5, 4, 10, 30)
        s.apply(.ended(outcome: 23))
        s.context = Self.at(2026, 5, 4, 18, 0)
        s.apply(.reopened())
        #expect(s.value("visit_no") == .integer(2))
        #expect(s.value("visit_ts") == Self.dt("2026-05-04T18:00"))
        #expect(s.value("late") == .integer(1))
        #expect(s.interview.visits.map(\.outcome) == [23, nil])
        let replayed = try s.replayed()
        #expect(replayed.visits == s.interview.visits)
    }

    @Test func threeDaytimeWeekdayVisitsAreNotEnoughForNonContact() {
        var s = Scenario(source: Self.visitSource)
        for day in 5...6 {
            s.context = Self.at(2026, 5, day, 11, 0)
            s.apply(.shown(Address("x")))
        }
        #expect(s.value("visit_no") == .integer(3))
        #expect(s.value("late") == .integer(0))
        #expect(!s.validate("outcome", .choice(23)).isAcceptable)
        // A Saturday morning visit counts as a weekend one.
        s.context = Self.at(2026, 5, 9, 10, 0)
        s.apply(.shown(Address("x")))
        #expect(s.value("late") == .integer(1))
        #expect(s.validate("outcome", .choice(23)).isAcceptable)
    }

    @Test func anArticlePipeAgreesWithThePipedWord() {
        var s = Scenario(
            source: Self.header + """
                answers DIST { 1 hu "Belváros" en "Belváros" 2 hu "Avas" en "Avas" 3 hu "Győri kapu" en "Győri kapu" }
                question district single DIST { text hu "Városrész" en "District" }
                question years integer 0..99 {
                  text hu "Hány éve lakik {a:district} városrészben? {A:district} szép." en "How long in {district}?"
                }
                question outcome single OUT { interviewer optional nodk text hu "Kimenet" en "Outcome" }
                """)
        let text = { (s: Scenario) in s.interview.render(s.interview.question("years")!.text, at: Address("years")) }
        #expect(text(s) == "Hány éve lakik  városrészben?  szép.", "a missing answer pipes nothing, article included")
        s.answer("district", 2)
        #expect(text(s) == "Hány éve lakik az Avas városrészben? Az Avas szép.")
        s.answer("district", 1)
        #expect(text(s) == "Hány éve lakik a Belváros városrészben? A Belváros szép.")
        #expect(
            s.interview.render(s.interview.question("years")!.text, at: Address("years"), language: "en")
                == "How long in Belváros?")
    }

    @Test(arguments: [
        ("Avas", "az"), ("Belváros", "a"), ("Újdiósgyőr", "az"), ("Őrs", "az"), ("„Egyéb”", "az"), ("MIHŐ", "a"),
        ("1", "az"), ("5.", "az"), ("10", "a"), ("17", "a"), ("50", "az"), ("100", "a"), ("500", "az"),
        ("1000", "az"), ("1956-os", "az"), ("2026", "a"), ("5000", "az"), ("15000", "a"), ("1000000", "az"), ("0", "a"),
    ])
    func theHungarianArticleFollowsPronunciation(word: String, article: String) {
        #expect(HungarianArticle.article(before: word) == article, "\(word)")
    }

    @Test func aConditionOnEndedAnswersUsesTheEngineRulesForMissingValues() {
        let definition = Scenario.compile(
            source: Self.header + """
                answers SRC { 1 hu "Cím" en "Address" 2 hu "Rendezvény" en "Event" }
                question sample_source single SRC { preload interviewer nodk text hu "Forrás" en "Source" }
                question age integer 16..99 { text hu "Kor" en "Age" }
                calculate older = age >= 65
                question outcome single OUT { interviewer optional nodk text hu "Kimenet" en "Outcome" }
                """)
        let plan = InterviewPlan(definition)
        let address = Expr.binary(.equal, .variable("sample_source"), .literal(.integer(1)))
        let condition = AnswerCondition(address, plan: plan)
        #expect(condition.holds { $0 == "sample_source" ? .value(.choice(1)) : nil })
        #expect(!condition.holds { $0 == "sample_source" ? .value(.choice(2)) : nil })
        #expect(!condition.holds { _ in nil }, "missing: the comparison is false")
        let notOlder = AnswerCondition(.unary(.not, .variable("older")), plan: plan)
        #expect(notOlder.holds { $0 == "older" ? .value(.boolean(false)) : nil })
        #expect(!notOlder.holds { $0 == "older" ? .value(.boolean(true)) : nil })
        let dk = AnswerCondition(.call(.isDontKnow, [.variable("age")]), plan: plan)
        #expect(dk.holds { $0 == "age" ? .special(.dontKnow) : nil })
    }
}
