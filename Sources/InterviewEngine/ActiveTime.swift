import SurveyModel

/// The time actually spent in an interview, from its events' timestamps: its sessions summed.
///
/// Events closer together than ``sessionGap`` belong to one session, and a session lasts from
/// its first event to its last; a longer pause (the interviewer quit and resumed the next day,
/// or reopened the interview a week later) starts a new session and is not counted. Training
/// marks are labels set at any time (often days later) and are left out, as they do not move
/// the engine's clock either. Timestamps are taken in the order given; one earlier than the
/// latest seen (another device's clock) adds nothing. This is `elapsed_minutes()` during the
/// interview and the export's `iv_minutes` afterwards (docs/engine.md).
public struct ActiveTime: Hashable, Sendable {
    /// The longest pause counted as part of a session: 30 minutes.
    public static let sessionGap: Int64 = 30 * 60_000

    /// Milliseconds spent so far.
    public private(set) var milliseconds: Int64 = 0
    /// The latest timestamp counted.
    public private(set) var latest: Int64

    /// Starts at the interview's `started` event.
    public init(startedAt: Int64) { latest = startedAt }

    /// Counts one more event of the interview.
    public mutating func record(_ kind: InterviewEventKind, at timestamp: Int64) {
        if kind.isLabel { return }
        let pause = timestamp - latest
        guard pause > 0 else { return }
        if pause <= Self.sessionGap { milliseconds += pause }
        latest = timestamp
    }

    /// Whole minutes spent so far (`elapsed_minutes()`).
    public var minutes: Int { Int(milliseconds / 60_000) }

    /// Counts an event applied at `moment` and returns its engine context: the one way the live
    /// session, the replay of a saved interview and the cleaner build contexts, so a replay sees
    /// exactly what the interviewer saw.
    public mutating func context(for kind: InterviewEventKind, at moment: Moment, interviewer: String) -> EngineContext {
        record(kind, at: moment.timestamp)
        return EngineContext(at: moment, elapsedMinutes: minutes, interviewer: interviewer)
    }

    /// Counts a saved event (replay, cleaning) and returns its context, in local time.
    public mutating func context(for event: InterviewEvent) -> EngineContext {
        context(for: event.kind, at: LocalClock.moment(at: event.timestamp), interviewer: event.interviewer)
    }
}
