/// One supervisor's decision or comment on an interview, as the central dataset logs it and a
/// package carries it to the device (docs/package-format.md).
public struct ReviewMark: Hashable, Sendable, Codable {
    public enum Decision: String, Hashable, Sendable, Codable, CaseIterable {
        case approved, rejected, commented
    }

    /// The central fieldwork log's number of the decision (later decisions have higher ones).
    public var sequence: Int64
    public var interview: InterviewID
    public var decision: Decision
    /// The rejection's reason, the approval's note or the comment (nil: none given).
    public var text: String?
    /// The answer a comment is about.
    public var question: Address?
    /// The state judged: the interview's latest `ended` (or `reopened`) event, by device and
    /// sequence number, when the decision was made.
    public var reviewedDevice: DeviceID?
    public var reviewedSequence: Int64?
    /// When (milliseconds since 1970, the coordinator's clock) and by whom.
    public var at: Int64
    public var actor: String

    public init(
        sequence: Int64, interview: InterviewID, decision: Decision, text: String?, question: Address?,
        reviewedDevice: DeviceID?, reviewedSequence: Int64?, at: Int64, actor: String
    ) {
        self.sequence = sequence
        self.interview = interview
        self.decision = decision
        self.text = text
        self.question = question
        self.reviewedDevice = reviewedDevice
        self.reviewedSequence = reviewedSequence
        self.at = at
        self.actor = actor
    }

    /// Whether it judged the state the interview is in now (its latest end or reopening).
    public func judged(device: DeviceID?, sequence: Int64?) -> Bool {
        reviewedDevice == device && reviewedSequence == sequence
    }
}

/// Where an interview stands in the review loop (`iv_review` in exports).
public enum ReviewState: Int, Hashable, Sendable, Codable, CaseIterable {
    /// No approval or rejection yet.
    case notReviewed = 0
    /// Approved: final, locked on the device.
    case approved = 1
    /// Rejected and not changed since: the interviewer is to fix it.
    case rejected = 2
    /// Rejected, then changed on the device (reopened or ended again): waiting for review again.
    case fixed = 3

    /// The state from an interview's review marks (any order) and its latest end or reopening
    /// (device and sequence number of that event).
    public static func of(_ marks: [ReviewMark], latestEnd device: DeviceID?, sequence: Int64?) -> ReviewState {
        guard let decision = marks.filter({ $0.decision != .commented }).max(by: { $0.sequence < $1.sequence }) else {
            return .notReviewed
        }
        if decision.decision == .approved { return .approved }
        return decision.judged(device: device, sequence: sequence) ? .rejected : .fixed
    }

    /// The latest rejection and the comments made on the state it judged, for the interviewer.
    public static func rejection(in marks: [ReviewMark]) -> (rejection: ReviewMark, comments: [ReviewMark])? {
        guard let decision = marks.filter({ $0.decision != .commented }).max(by: { $0.sequence < $1.sequence }),
            decision.decision == .rejected
        else { return nil }
        let comments = marks.filter {
            $0.decision == .commented && $0.judged(device: decision.reviewedDevice, sequence: decision.reviewedSequence)
        }
        return (decision, comments.sorted { $0.sequence < $1.sequence })
    }
}
