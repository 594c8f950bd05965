import InterviewEngine
import SurveyModel
import SurveyTestSupport
import Testing

/// Hand-rolled property tests over seeded random interviews driven by the simulator.
@Suite("Properties of random interviews")
struct PropertyTests {
    static let form = Build.survey(
        [
            Build.integer("hh_size", 1, 6),
            Build.yesno("consent"),
            .end(EndRule(condition: v("consent") == 0, outcome: 21)),
            Build.roster(
                "mem", count: v("hh_size"), max: 6,
                [
                    Build.integer("m_age", 0, 100),
                    Build.integer("m_work", 0, 60, when: v("m_age") >= 16),
                ]),
            Build.calc("n_adult", .aggregate(.count, roster: "mem", body: v("m_age") >= 18)),
            Build.section(
                "S", when: v("n_adult") > 1,
                [
                    Build.integer("rooms", 1, 20, checks: [Build.warn("chk_rooms", v("rooms") > 8)]),
                    Build.question("phone", .text(maxLength: 12, pattern: "(\\+36|06)[0-9]{8,9}")),
                ]),
            Build.roster("trips", count: nil, max: 4, [Build.integer("km", 0, 500)]),
        ], outcome: OutcomeSpec(variable: "outcome", completeCode: 11))

    static func simulate(seed: UInt64) -> (Interview, [InterviewSimulator.TimedEvent]) {
        SimulatedLog.run(form, seed: seed)
    }

    @Test(arguments: 0..<20)
    func replayingTheLogGivesTheSameState(seed: Int) throws {
        let (live, events) = Self.simulate(seed: UInt64(seed))
        let replay = try SimulatedLog.replay(events, definition: Self.form)
        #expect(replay.route == live.route)
        #expect(replay.exportableAnswers == live.exportableAnswers)
        #expect(replay.status == live.status)
        #expect(replay.failingChecks == live.failingChecks)
    }

    /// One plan shared by many replays (as exports do) gives each the state of its own log.
    @Test func interviewsStartedFromOneSharedPlanReplayLikeFreshOnes() throws {
        let plan = InterviewPlan(Self.form)
        for seed in 0..<10 as Range<UInt64> {
            let (live, events) = Self.simulate(seed: seed)
            let replay = try SimulatedLog.replay(events, plan: plan)
            #expect(replay.route == live.route)
            #expect(replay.exportableAnswers == live.exportableAnswers)
            #expect(replay.status == live.status)
        }
    }

    @Test(arguments: 0..<20)
    func incrementalStateEqualsAFullRecomputation(seed: Int) {
        let (live, _) = Self.simulate(seed: UInt64(seed))
        var full = live
        let effects = full.recomputeAll()
        #expect(effects.isEmpty)
        #expect(full.exportableAnswers == live.exportableAnswers)
        #expect(full.failingChecks == live.failingChecks)
    }

    @Test(arguments: 0..<10)
    func sameSeedGivesTheSameInterview(seed: Int) {
        let a = Self.simulate(seed: UInt64(seed))
        let b = Self.simulate(seed: UInt64(seed))
        #expect(a.1 == b.1)
        #expect(a.0.exportableAnswers == b.0.exportableAnswers)
    }

    @Test(arguments: 0..<20)
    func simulatedInterviewsFinishWithValidAnswers(seed: Int) {
        let (live, _) = Self.simulate(seed: UInt64(seed))
        #expect(live.status != .inProgress)
        for (address, answer) in live.exportableAnswers where live.question(address.variable)?.kind.isCalculated == false {
            guard case .value(let value) = answer, address.variable != "outcome" else { continue }
            let staticErrors = live.validate(.value(value), at: address).errors.filter {
                if case .checkFailed = $0 { false } else { true }
            }
            #expect(staticErrors.isEmpty, "\(address) = \(value)")
        }
    }

    @Test(arguments: 0..<20)
    func reroutingNeverLosesAnswers(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 1000)
        var (interview, _) = Self.simulate(seed: UInt64(seed))
        let ctx = Scenario.defaultContext
        try interview.apply(.reopened(), context: ctx)
        let stored = interview.exportableAnswers.filter { interview.question($0.key.variable)?.kind.isCalculated == false }
        let before = interview.exportableAnswers
        guard case .value(let originalSize)? = stored[Address("hh_size")] else { return }
        // Flip a routing answer back and forth; every stored answer must survive.
        for _ in 0..<10 {
            let size = Int.random(in: 1...6, using: &rng)
            try interview.apply(.answered(Address("hh_size"), .value(.integer(size))), context: ctx)
            for (address, answer) in stored where address.variable != "hh_size" {
                #expect(interview.answer(at: address) == answer)
            }
        }
        try interview.apply(.answered(Address("hh_size"), .value(originalSize)), context: ctx)
        #expect(interview.exportableAnswers == before)
    }
}

extension QuestionKind {
    var isCalculated: Bool {
        if case .calculated = self { return true }
        return false
    }
}

@Suite("Simulator behaviour")
struct SimulatorTests {
    @Test func specialAnswersAndConfirmationsAppearAtRealisticRates() {
        var answers = 0, dk = 0, rf = 0, confirmations = 0
        for seed in UInt64(0)..<60 {
            var rng = SplitMix64(seed: seed)
            let run = InterviewSimulator(definition: PropertyTests.form).run(seed: seed, context: Scenario.defaultContext, using: &rng)
            for e in run.events {
                switch e.kind {
                case .answered(_, .special(.dontKnow)): answers += 1; dk += 1
                case .answered(_, .special(.refused)): answers += 1; rf += 1
                case .answered: answers += 1
                case .warningConfirmed: confirmations += 1
                default: break
                }
            }
            #expect(run.events.map(\.timestamp) == run.events.map(\.timestamp).sorted())
        }
        let dkRate = Double(dk) / Double(answers), rfRate = Double(rf) / Double(answers)
        #expect(dkRate > 0.01 && dkRate < 0.06, "dk rate \(dkRate)")
        #expect(rfRate > 0.001 && rfRate < 0.03, "rf rate \(rfRate)")
        #expect(confirmations > 0)
    }
}
