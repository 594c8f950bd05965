import SurveyModel

/// Drives the real engine with random but valid answers, for tests, benchmarks, training data
/// and `terep simulate`.
///
/// It follows the route (so routing, rosters and end rules are respected), draws values inside
/// the evaluated ranges, matching text patterns and multiple-choice rules, records don't know /
/// refused at a realistic rate, retries other values when a hard check fails, and confirms most
/// soft checks (correcting the rest). All randomness comes from the injected generator.
public struct InterviewSimulator: Sendable {
    public var definition: SurveyDefinition
    /// Share of answers recorded as don't know / refused where the question allows it.
    public var dontKnowRate = 0.03
    public var refusedRate = 0.01
    /// Share of soft-check warnings confirmed (the rest are corrected with another value).
    public var confirmRate = 0.8
    /// Open rosters get between 0 and this many rows (capped by their maximum).
    public var maxOpenRows = 4
    /// Seconds between consecutive events.
    public var secondsPerEvent: ClosedRange<Int> = 4...40
    /// Record `.shown` events before answers (paradata).
    public var recordsShown = true

    public init(definition: SurveyDefinition) { self.definition = definition }

    /// An event the simulator produced, with its time and the context it was applied with.
    public struct TimedEvent: Hashable, Sendable {
        public var kind: InterviewEventKind
        /// Milliseconds since 1970-01-01T00:00:00Z.
        public var timestamp: Int64
        public var context: EngineContext
    }

    /// A finished simulated interview: the final state and the full event log (`.started` first).
    public struct Run: Sendable {
        public var interview: Interview
        public var events: [TimedEvent]
    }

    /// Simulates one interview from start to its end (or until `maxEvents`).
    public func run<G: RandomNumberGenerator>(
        seed: UInt64, context: EngineContext, startTimestamp: Int64 = 1_780_000_000_000,
        preload: [VariableName: Value] = [:], maxEvents: Int = 20_000, using rng: inout G
    ) -> Run {
        var driver = SimulationDriver(
            simulator: self, clock: SimulatedClock(start: context, timestamp: startTimestamp))
        let plan = EnginePlan(definition)
        let usable = preload.filter { plan.variables[$0.key].map { $0.rosters.isEmpty && !$0.isCalculated && !$0.isNote } ?? false }
        let language = definition.languages.first ?? "en"
        let started = InterviewEventKind.started(
            definition: DefinitionHash("simulated"), seed: seed, language: language, preload: usable)
        let interview = Interview(plan: plan, seed: seed, language: language, preload: usable, context: context)
        return driver.finish(interview, started: started, maxEvents: maxEvents, &rng)
    }

    /// Continues an interview already under way (a later visit to its case, after `reopened`)
    /// from its state to its end; the run's events are only the new ones.
    public func run<G: RandomNumberGenerator>(
        continuing interview: Interview, context: EngineContext, startTimestamp: Int64, maxEvents: Int = 20_000,
        using rng: inout G
    ) -> Run {
        var driver = SimulationDriver(
            simulator: self, clock: SimulatedClock(start: context, timestamp: startTimestamp))
        return driver.finish(interview, started: nil, maxEvents: maxEvents, &rng)
    }
}

/// A clock that advances by random steps from a start context.
struct SimulatedClock {
    var start: EngineContext
    var timestamp: Int64
    var elapsedSeconds = 0

    var context: EngineContext {
        var c = start
        let minutes = start.now.minutes + elapsedSeconds / 60
        c.today = start.today.adding(days: minutes / 1440)
        c.now = TimeOfDay(hour: (minutes % 1440) / 60, minute: minutes % 60)
        c.elapsedMinutes = start.elapsedMinutes + elapsedSeconds / 60
        return c
    }

    mutating func advance<G: RandomNumberGenerator>(_ range: ClosedRange<Int>, _ rng: inout G) {
        let s = Int.random(in: range, using: &rng)
        elapsedSeconds += s
        timestamp += Int64(s) * 1000
    }
}

struct SimulationDriver {
    let simulator: InterviewSimulator
    var clock: SimulatedClock
    var events: [InterviewSimulator.TimedEvent] = []
    var decidedRosters: Set<RosterInstance> = []
    var givenUp: Set<Address> = []

    init(simulator: InterviewSimulator, clock: SimulatedClock) {
        self.simulator = simulator
        self.clock = clock
    }

    mutating func finish<G: RandomNumberGenerator>(
        _ start: Interview, started: InterviewEventKind?, maxEvents: Int, _ rng: inout G
    ) -> InterviewSimulator.Run {
        var interview = start
        if let started { events.append(.init(kind: started, timestamp: clock.timestamp, context: clock.context)) }
        while events.count < maxEvents {
            addOpenRosterRows(&interview, &rng)
            if case .ended(let outcome) = interview.status {
                if let outcome { record(.ended(outcome: outcome), &interview, &rng) }
                break
            }
            let outcome = interview.definition.outcome?.variable
            guard
                let next = interview.route.first(where: { address in
                    interview.answer(at: address) == nil && !givenUp.contains(address) && address.variable != outcome
                        && interview.question(address.variable)?.kind != .note
                })
            else { break }
            answer(next, &interview, &rng)
        }
        return InterviewSimulator.Run(interview: interview, events: events)
    }

    @discardableResult
    mutating func record<G: RandomNumberGenerator>(_ kind: InterviewEventKind, _ interview: inout Interview, _ rng: inout G) -> Bool {
        clock.advance(simulator.secondsPerEvent, &rng)
        let context = clock.context
        guard (try? interview.apply(kind, context: context)) != nil else { return false }
        events.append(.init(kind: kind, timestamp: clock.timestamp, context: context))
        return true
    }

    mutating func addOpenRosterRows<G: RandomNumberGenerator>(_ interview: inout Interview, _ rng: inout G) {
        for instance in interview.openRosters where decidedRosters.insert(instance).inserted {
            let maxRows = interview.definition.maxRows(of: instance.roster)
            let rows = Int.random(in: 0...max(0, min(simulator.maxOpenRows, maxRows)), using: &rng)
            for _ in 0..<rows { record(.rowAdded(instance.roster, parentRows: instance.parentRows), &interview, &rng) }
        }
    }

    mutating func answer<G: RandomNumberGenerator>(_ at: Address, _ interview: inout Interview, _ rng: inout G) {
        guard let q = interview.question(at.variable) else { return }
        if simulator.recordsShown { record(.shown(at), &interview, &rng) }
        let roll = Double.random(in: 0..<1, using: &rng)
        if roll < simulator.dontKnowRate, q.specials.contains(.dontKnow) {
            if record(.answered(at, .special(.dontKnow)), &interview, &rng) { return }
        } else if roll < simulator.dontKnowRate + simulator.refusedRate, q.specials.contains(.refused) {
            if record(.answered(at, .special(.refused)), &interview, &rng) { return }
        }
        for attempt in 0..<20 {
            guard let value = ValueDrawer.draw(q, at: at, in: interview, &rng) else { break }
            let validation = interview.validate(.value(value), at: at)
            guard validation.isAcceptable else { continue }
            let lastTry = attempt >= 15
            if !validation.warnings.isEmpty, !lastTry, Double.random(in: 0..<1, using: &rng) >= simulator.confirmRate {
                continue  // the interviewer corrects the answer instead of confirming
            }
            guard record(.answered(at, .value(value)), &interview, &rng) else { continue }
            for w in interview.openWarnings {
                record(.warningConfirmed(w.check, rows: w.rows, reason: "confirmed with respondent"), &interview, &rng)
            }
            return
        }
        for special in [SpecialAnswer.dontKnow, .refused] where q.specials.contains(special) {
            if record(.answered(at, .special(special)), &interview, &rng) { return }
        }
        givenUp.insert(at)
    }
}

extension SurveyDefinition {
    /// The maximum rows of a roster (0 when unknown).
    func maxRows(of roster: GroupID) -> Int {
        func find(_ nodes: [Node]) -> Int? {
            for case .group(let g) in nodes {
                if g.id == roster, case .roster(let spec) = g.kind { return spec.maxRows }
                if let found = find(g.children) { return found }
            }
            return nil
        }
        return find(items) ?? 0
    }
}
