import InterviewEngine
import SurveyModel

/// The engine context of each event of an interview, in the order they are applied: the local
/// date and time of its timestamp, the time spent so far (``ActiveTime``, sessions summed) and
/// who applied it. The live session, resuming and the cleaner all build contexts here, so a
/// replay sees exactly what the interviewer saw.
public struct InterviewTimeline: Hashable, Sendable {
    public private(set) var spent: ActiveTime

    /// Starts at the timestamp of the interview's `started` event.
    public init(startedAt: Int64) { spent = ActiveTime(startedAt: startedAt) }

    /// The context for an event at a moment of the session's clock (its own date and time).
    public mutating func context(for kind: InterviewEventKind, at moment: Moment, interviewer: String) -> EngineContext {
        spent.record(kind, at: moment.timestamp)
        return EngineContext(today: moment.date, now: moment.time, elapsedMinutes: spent.minutes, interviewer: interviewer)
    }

    /// The context for a logged event (replay and cleaning): local time of its timestamp.
    public mutating func context(for event: InterviewEvent) -> EngineContext {
        context(for: event.kind, at: InterviewClock.moment(at: event.timestamp), interviewer: event.interviewer)
    }

    /// The context of the `started` event itself (nothing spent yet).
    public static func startContext(_ event: InterviewEvent) -> EngineContext {
        let moment = InterviewClock.moment(at: event.timestamp)
        return EngineContext(today: moment.date, now: moment.time, interviewer: event.interviewer)
    }
}
