import InterviewEngine
import SurveyModel

/// Rebuilds an interview from its saved log, to resume it where it stopped.
public struct InterviewReplay: Sendable {
    public var interview: Interview
    /// When the interview started (ms), from its `started` event.
    public var startedAt: Int64
    /// The time spent so far (sessions summed), which the resumed session continues.
    public var spent: ActiveTime
    /// The last question shown, where the fieldworker was when the session stopped.
    public var lastShown: Address?

    /// Replays `events` (the first must be `started`) through the engine, each with the clock
    /// of its own timestamp and its interviewer, so the state is exactly what was on screen.
    public init(definition: SurveyDefinition, events: [InterviewEvent]) throws(EngineError) {
        guard let first = events.first else { throw .notStarted }
        var interview = try Interview(
            definition: definition, started: first.kind, context: EngineContext(of: first))
        var spent = ActiveTime(startedAt: first.timestamp)
        var lastShown: Address?
        for event in events.dropFirst() {
            try interview.apply(event.kind, context: spent.context(for: event))
            if case .shown(let at) = event.kind { lastShown = at }
        }
        self.interview = interview
        self.startedAt = first.timestamp
        self.spent = spent
        self.lastShown = lastShown
    }
}
