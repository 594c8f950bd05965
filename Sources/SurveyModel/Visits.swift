/// One visit to a case, as the device recorded it from the interview's own events: when it
/// began, when and with which outcome code it ended, and the interviewer's notes on it.
public struct Visit: Hashable, Sendable, Codable {
    /// 1 for the first visit.
    public var number: Int
    /// Local date and time the visit began.
    public var start: LocalDateTime
    /// Local date and time of the `ended` event that closed it (nil while it is open).
    public var end: LocalDateTime?
    /// The outcome code it ended with (nil while it is open, or when it was left without one).
    public var outcome: Int?
    /// The notes on the whole interview (not on a question) made during the visit, joined
    /// with " | " (nil when there are none).
    public var note: String?

    public init(number: Int, start: LocalDateTime, end: LocalDateTime? = nil, outcome: Int? = nil, note: String? = nil) {
        self.number = number
        self.start = start
        self.end = end
        self.outcome = outcome
        self.note = note
    }

    /// Whether the visit began at or after `time`, or on a Saturday or Sunday.
    public func isEveningOrWeekend(from time: TimeOfDay) -> Bool {
        start.time >= time || start.date.isoWeekday >= 6
    }
}

/// The one rule that turns an interview's events into visits, shared by the engine
/// (`visits()`, `visit_start()`), the device's case list and the central dataset's reports and
/// exports. Feed it every event in order (``record(_:at:)``):
///
/// - `started` begins visit 1;
/// - `reopened` begins the next visit (the interviewer is back at the door);
/// - `ended(outcome:)` ends the open visit with its code;
/// - any other event on a later local day than the visit it belongs to begins a new visit (the
///   interview was opened again another day without a recorded end);
/// - labels (a training mark, the assigned case) are no work on the case and count for nothing;
/// - once a visit has ended with the questionnaire's "complete" code the visits are over: a
///   reopening after that is a fix (after review or a mistake), not a visit. The last visit
///   keeps its own start, end and note; only its code follows the fix's end, so that it stays
///   the interview's outcome (what `iv_outcome` exports and the `final` rules read).
public struct VisitTracker: Hashable, Sendable {
    /// The rule's version: raised whenever the rule changes, so that a store which keeps visits
    /// (the device's `visit` table) derives them again from the events. Version 2: a fix after
    /// a complete end keeps the last visit's end and note (version 1 moved them to the fix).
    public static let rule = 2

    public private(set) var visits: [Visit] = []
    /// The questionnaire's "complete" code (nil when it declares no outcome).
    public let completeCode: Int?
    /// Whether a visit ended complete: later events are fixes, not visits.
    public private(set) var isClosed = false

    public init(completeCode: Int?) { self.completeCode = completeCode }

    /// Continues from visits recorded earlier (a store keeps them between events).
    public init(completeCode: Int?, visits: [Visit], isClosed: Bool) {
        self.completeCode = completeCode
        self.visits = visits
        self.isClosed = isClosed
    }

    /// The visits of a whole log (in merge order), for readers that do not replay it.
    public static func visits(
        of events: [InterviewEvent], completeCode: Int?, moment: (Int64) -> LocalDateTime = { LocalClock.moment(at: $0).dateTime }
    ) -> [Visit] {
        var tracker = VisitTracker(completeCode: completeCode)
        for event in events { tracker.record(event.kind, at: moment(event.timestamp)) }
        return tracker.visits
    }

    /// Counts one more event, applied at local date and time `at`.
    public mutating func record(_ kind: InterviewEventKind, at moment: LocalDateTime) {
        guard !kind.isLabel else { return }
        switch kind {
        case .started:
            start(at: moment)
        case .reopened:
            if !isClosed { begin(at: moment) }
        case .ended(let outcome):
            guard !visits.isEmpty else { return }
            visits[visits.count - 1].outcome = outcome
            if !isClosed { visits[visits.count - 1].end = moment }  // a fix's end is not the visit's
            if outcome == completeCode { isClosed = true }
        default:
            if !isClosed, let last = visits.last, moment.date > last.start.date { begin(at: moment) }
            if case .note(nil, let text) = kind, !isClosed, !visits.isEmpty {
                let note = visits[visits.count - 1].note
                visits[visits.count - 1].note = note.map { $0 + " | " + text } ?? text
            }
        }
    }

    /// Begins the first visit (an interview's `started` event, at `moment`).
    public mutating func start(at moment: LocalDateTime) {
        if visits.isEmpty { begin(at: moment) }
    }

    private mutating func begin(at moment: LocalDateTime) {
        visits.append(Visit(number: visits.count + 1, start: moment))
    }
}
