import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

@Suite("An answer that an earlier change makes invalid is flagged, blocks the end and is not exported")
struct StaleAnswerTests {
    static let source = """
        survey stale {
          title en "Stale"
          version "1"
          languages en
        }
        answers PROG {
          1 en "one"
          2 en "two"
          4 en "four"
          97 en "none" exclusive
        }
        section A {
          title en "A"
          question aware multiple PROG { text en "Aware?" }
          question part multiple PROG {
            when not (97 in aware)
            filter option in aware or option == 97
            text en "Took part?"
          }
          question ve_date date @2020-01-01.. {
            when 4 in part
            text en "When?"
          }
          question hh_size integer 1..15 { text en "Household size?" }
          question resp_line integer 1..hh_size { text en "Which member is the respondent?" }
          roster mem count hh_size max 15 {
            title en "Members"
            question m_age integer 0..110 { text en "Age?" }
            question m_child integer 0..count(mem) { text en "Children in the household?" }
          }
          question last text { text en "Anything else?" }
        }
        """

    @Test("a choice filter: the ticked code that is no longer offered makes the answer stale")
    func filterChange() throws {
        var s = Scenario(source: Self.source)
        s.tick("aware", 1, 4)
        #expect(s.lastError == nil)
        s.tick("part", 1, 4)
        #expect(s.lastError == nil)
        #expect(s.isOnRoute("ve_date"))
        s.answer("ve_date", .date(LocalDate(year: 2025, month: 5, day: 1)))
        #expect(s.lastError == nil)
        s.tick("aware", 1, 2)  // back at aware: 4 no longer known
        #expect(s.lastError == nil)
        #expect(s.lastEffects.contains(.answerNoLongerFits(Address("part"), [.notAnOption(4)])))
        #expect(s.interview.staleIssues(at: Address("part")) == [.notAnOption(4)])
        #expect(s.stored("part") == .value(.choices([1, 4])), "the answer is kept")
        #expect(s.value("part") == nil, "a stale answer is missing for expressions")
        #expect(!s.isOnRoute("ve_date"), "nothing downstream follows from it")
        #expect(s.next() == Address("part"), "the route stands at the stale answer")
        #expect(s.interview.exportableAnswers[Address("part")] == nil)
        #expect(s.interview.staleAnswers.map(\.address) == [Address("part")])

        s.tick("part", 1)  // corrected

        #expect(s.lastError == nil)
        #expect(s.interview.staleAnswers.isEmpty)
        #expect(s.value("part") == .choices([1]))
        #expect(try s.replayed().staleAnswers.isEmpty)
    }

    @Test("a change back makes the stale answer fit again")
    func filterChangedBack() {
        var s = Scenario(source: Self.source)
        s.tick("aware", 1, 4)
        s.tick("part", 4)
        s.tick("aware", 1)
        #expect(s.interview.staleIssues(at: Address("part")) != nil)
        s.tick("aware", 4)
        #expect(s.lastEffects.contains(.answerFitsAgain(Address("part"))))
        #expect(s.value("part") == .choices([4]))
        #expect(s.isOnRoute("ve_date"))
    }

    @Test("a bound that reads an earlier answer: integer 1..hh_size")
    func boundChange() throws {
        var s = Scenario(source: Self.source)
        s.tick("aware", 97)
        s.answer("hh_size", 5)
        s.answer("resp_line", 4)
        #expect(s.lastError == nil)
        s.answer("hh_size", 3)
        #expect(s.lastError == nil)
        #expect(s.interview.staleIssues(at: Address("resp_line")) == [.outOfRange(min: .integer(1), max: .integer(3))])
        #expect(s.next() == Address("resp_line"))
        #expect(s.interview.exportableAnswers[Address("resp_line")] == nil)
        s.answer("hh_size", 4)
        #expect(s.interview.staleIssues(at: Address("resp_line")) == nil)
        #expect(s.value("resp_line") == .integer(4))
        // The replay of the log gives the same state, and a full recomputation changes nothing.
        var replayed = try s.replayed()
        #expect(replayed.staleAnswers == s.interview.staleAnswers)
        #expect(replayed.recomputeAll().isEmpty)
    }

    @Test("a roster count read by a bound inside the roster re-checks every row")
    func rosterCountChange() {
        var s = Scenario(source: Self.source)
        s.tick("aware", 97)
        s.answer("hh_size", 3)
        s.answer("resp_line", 1)
        for row in 1...3 {
            s.answer("m_age", row: row, 30)
            s.answer("m_child", row: row, 3)
        }
        s.answer("last", "-")
        #expect(s.status == .ended(outcome: nil))
        s.answer("hh_size", 2)  // a member left: "3 children" no longer fits a household of 2
        #expect(s.interview.staleAnswers.map(\.address) == [Address("m_child", rows: [1]), Address("m_child", rows: [2])])
        #expect(s.status == .inProgress, "stale answers block the end like a failing hard check")
        #expect(s.interview.endReason == nil)
        s.answer("m_child", row: 1, 1)
        s.answer("m_child", row: 2, 1)
        #expect(s.status == .ended(outcome: nil))
    }

    @Test("the well-being study: prog_aware 1 4, prog_part 1 4, then prog_aware 1 2")
    func wellbeingProgrammes() throws {
        let definition = Scenario.compile(repositoryFile: "questionnaires/wellbeing.survey")
        var interview = try Interview(
            definition: definition, started: .started(definition: "h", seed: 1, language: "hu", preload: [:]),
            context: Scenario.defaultContext)
        let ctx = Scenario.defaultContext
        // Answer only what is needed to reach the programme questions.
        var steps = 0
        while let at = interview.current, at.variable != "prog_aware", steps < 400 {
            steps += 1
            let answer = InterviewSimulatorAnswer.firstValid(interview, at: at)
            try interview.apply(.answered(at, answer), context: ctx)
        }
        try interview.apply(.answered(Address("prog_aware"), .value(.choices([1, 4]))), context: ctx)
        try interview.apply(.answered(Address("prog_part"), .value(.choices([1, 4]))), context: ctx)
        #expect(interview.isOnRoute(Address("ve_date")))
        try interview.apply(.answered(Address("prog_aware"), .value(.choices([1, 2]))), context: ctx)
        #expect(interview.staleIssues(at: Address("prog_part")) == [.notAnOption(4)])
        #expect(!interview.isOnRoute(Address("ve_date")) && !interview.isOnRoute(Address("ve_rating")))
        #expect(interview.current == Address("prog_part"))
        #expect(interview.exportableAnswers[Address("prog_part")] == nil)
    }
}

/// The first answer a question accepts now: a code offered, a number in range, a date, a text.
enum InterviewSimulatorAnswer {
    static func firstValid(_ interview: Interview, at: Address) -> Answer {
        guard let q = interview.question(at.variable) else { return .special(.dontKnow) }
        var candidates: [Value] = []
        switch q.kind {
        case .singleChoice: candidates = interview.options(at: at).map { .choice($0.code) }
        case .multipleChoice: candidates = interview.options(at: at).map { .choices([$0.code]) }
        case .integer, .scale:
            var lo = 0
            if case .integer(let bound)? = interview.range(at: at).min { lo = bound }
            candidates = [.integer(max(lo, 1)), .integer(lo), .integer(2)]
        case .decimal: candidates = [interview.range(at: at).min ?? .decimal(1)]
        case .date: candidates = [.date(Scenario.defaultContext.today)] + [interview.range(at: at).max].compactMap { $0 }
        case .time: candidates = [.time(TimeOfDay(hour: 10, minute: 0))]
        default: candidates = [.text("x"), .text("2026-05-04T10:00"), .text("K042")]
        }
        for value in candidates where interview.validate(.value(value), at: at).isAcceptable { return .value(value) }
        return .special(.dontKnow)
    }
}
