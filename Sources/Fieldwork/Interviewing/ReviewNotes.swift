import SurveyModel
import SurveyStore

/// The supervisor's rejection of an interview and the comments made at its questions, as the
/// device's newest package carries them: what the interviewer sees when fixing a rejected
/// interview ("rejected — to fix"), in the line view and on the full screen.
public struct ReviewNotes: Hashable, Sendable {
    /// The rejection in force (the latest decision on the interview).
    public var rejection: ReviewMark
    /// The comments on answers made on the state the rejection judged, oldest first.
    public var comments: [ReviewMark]
    /// Whether the interview was changed on the device since (reopened or ended again): the
    /// fix waits for review.
    public var isFixed: Bool

    /// The comments at one answer (a question and its roster rows), oldest first.
    public func comments(at address: Address) -> [ReviewMark] {
        comments.filter { $0.question == address }
    }

    /// The notes of a rejected (or rejected and since fixed) interview from its review marks and
    /// its latest end or reopening; nil when it is not reviewed or is approved.
    public static func of(_ marks: [ReviewMark], latestEnd device: DeviceID?, sequence: Int64?) -> ReviewNotes? {
        let state = ReviewState.of(marks, latestEnd: device, sequence: sequence)
        guard state == .rejected || state == .fixed, let found = ReviewState.rejection(in: marks) else { return nil }
        return ReviewNotes(rejection: found.rejection, comments: found.comments, isFixed: state == .fixed)
    }

    /// The notes of an interview on this device (its review marks from the newest package
    /// received, against its own latest end or reopening).
    public static func load(_ id: InterviewID, store: DeviceStore) throws(StoreError) -> ReviewNotes? {
        guard let marks = try store.reviewMarks()[id], !marks.isEmpty else { return nil }
        let end = latestEnd(of: try store.events(interview: id))
        return of(marks, latestEnd: end?.device, sequence: end?.sequence)
    }

    /// The latest end or reopening in an interview's log: what the review state is judged against.
    public static func latestEnd(of events: [InterviewEvent]) -> InterviewEvent? {
        events.last {
            switch $0.kind {
            case .ended, .reopened: true
            default: false
            }
        }
    }
}
