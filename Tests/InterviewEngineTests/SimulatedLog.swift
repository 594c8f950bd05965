import InterviewEngine
import SurveyModel
import SurveyTestSupport

/// A simulated interview's log and the interview rebuilt from it, for the tests that check a
/// replay (or a shared plan, or a full recompute) gives the live interview's state.
enum SimulatedLog {
    /// `form` simulated from `seed` in the scenarios' default context: the live interview and its events.
    static func run(_ form: SurveyDefinition, seed: UInt64) -> (Interview, [InterviewSimulator.TimedEvent]) {
        var rng = SplitMix64(seed: seed)
        let run = InterviewSimulator(definition: form).run(seed: seed, context: Scenario.defaultContext, using: &rng)
        return (run.interview, run.events)
    }

    /// The interview started from the log's first event on `definition`, then every other event applied.
    static func replay(_ events: [InterviewSimulator.TimedEvent], definition: SurveyDefinition) throws -> Interview {
        try replay(events) { try Interview(definition: definition, started: $0, context: $1) }
    }

    /// The same, started on a plan shared by many replays (as exports do).
    static func replay(_ events: [InterviewSimulator.TimedEvent], plan: InterviewPlan) throws -> Interview {
        try replay(events) { try Interview(plan: plan, started: $0, context: $1) }
    }

    private static func replay(
        _ events: [InterviewSimulator.TimedEvent], start: (InterviewEventKind, EngineContext) throws -> Interview
    ) throws -> Interview {
        var interview = try start(events[0].kind, events[0].context)
        for e in events.dropFirst() { try interview.apply(e.kind, context: e.context) }
        return interview
    }
}
