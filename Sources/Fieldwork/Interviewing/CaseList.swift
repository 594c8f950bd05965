import Foundation
import SurveyModel
import SurveyStore

/// Where a case stands for the fieldworker (`terep cases`, the case list of `terep interview`).
public enum CaseStatus: Hashable, Sendable {
    /// Assigned, never visited.
    case new
    /// Visited this many times; the last visit's code keeps the case open for another one.
    case visited(Int)
    /// The last visit ended with an appointment code.
    case appointment
    /// A visit has begun and has not ended: the interview is in progress.
    case inProgress
    /// Ended with the questionnaire's complete code (and not rejected).
    case completed
    /// The supervisor rejected the interview and it was not changed since: fix it.
    case rejected
    /// The last visit's code is final by the questionnaire's `final` rules: nothing more to do.
    case final
    /// Moved to another device: hand it back (sync what was recorded).
    case moved
    /// Taken out of the sample.
    case withdrawn

    /// The word `--format json` and the tests use.
    public var word: String {
        switch self {
        case .new: "new"
        case .visited: "visited"
        case .appointment: "appointment"
        case .inProgress: "in_progress"
        case .completed: "completed"
        case .rejected: "rejected"
        case .final: "final"
        case .moved: "moved"
        case .withdrawn: "withdrawn"
        }
    }
}

/// What the fieldworker does next with a case.
public enum NextAction: String, Hashable, Sendable {
    /// The first visit.
    case firstVisit = "first_visit"
    /// Another visit (after a non-contact, or anything else that keeps the case open).
    case visitAgain = "visit_again"
    /// The appointment that was made.
    case keepAppointment = "keep_appointment"
    /// Continue the interview in progress.
    case continueInterview = "continue"
    /// Fix the rejected interview (the supervisor's comments are at their questions).
    case fix
    /// Wait for the supervisor's review.
    case awaitReview = "await_review"
    /// Sync, so the case can go to the device it was moved to.
    case handBack = "hand_back"
    /// Nothing: the case is done (approved, final or withdrawn).
    case none
}

/// One line of a device's case list.
public struct CaseListEntry: Hashable, Sendable {
    public var deviceCase: DeviceCase
    public var status: CaseStatus
    public var next: NextAction
    /// The case's interview on this device (the latest started, when there are several).
    public var interview: InterviewID?
    /// Its visits, in order.
    public var visits: [Visit]
    /// Where the interview stands in the supervisor's review loop.
    public var review: ReviewState
    /// The rejection's reason, while the case is to be fixed.
    public var rejection: String?

    public var lastVisit: Visit? { visits.last }

    public init(
        deviceCase: DeviceCase, status: CaseStatus, next: NextAction, interview: InterviewID? = nil, visits: [Visit] = [],
        review: ReviewState = .notReviewed, rejection: String? = nil
    ) {
        self.deviceCase = deviceCase
        self.status = status
        self.next = next
        self.interview = interview
        self.visits = visits
        self.review = review
        self.rejection = rejection
    }
}

/// The device's case list: every case its newest package gave it, with where each stands from
/// the device's own interviews, visits and the supervisor's decisions. Read from the device
/// store's kept visits and summaries; no interview is replayed.
public enum CaseList {
    /// The list, in the package's order (survey, case id), assigned cases first.
    public static func load(store: DeviceStore) throws(StoreError) -> [CaseListEntry] {
        let cases = try store.assignedCases()
        guard !cases.isEmpty else { return [] }
        let interviews = try store.interviews()
        let visits = try store.visits()
        let marks = try store.reviewMarks()
        var latest: [CaseKey: DeviceInterview] = [:]
        for record in interviews {
            guard let id = record.caseID else { continue }
            let key = CaseKey(survey: record.survey, id: id)
            if let known = latest[key], known.startedAt > record.startedAt { continue }
            latest[key] = record
        }
        var rules: [DefinitionHash: SurveyDefinition] = [:]
        var out: [CaseListEntry] = []
        out.reserveCapacity(cases.count)
        for c in cases {
            guard let record = latest[CaseKey(survey: c.survey, id: c.id)] else {
                out.append(entry(c, interview: nil, visits: [], marks: [], standing: .notVisited, device: store.deviceID))
                continue
            }
            if rules[record.definition] == nil {
                guard let compiled = try store.definition(hash: record.definition) else {
                    throw StoreError.unknownDefinition(record.definition)
                }
                rules[record.definition] = compiled.definition
            }
            let done = visits[record.id] ?? []
            let standing = rules[record.definition]?.standing(of: done) ?? .notVisited
            out.append(
                entry(
                    c, interview: record, visits: done, marks: marks[record.id] ?? [], standing: standing, device: store.deviceID))
        }
        return out.sorted {
            ($0.deviceCase.state != .assigned ? 1 : 0, $0.deviceCase.survey, $0.deviceCase.id)
                < ($1.deviceCase.state != .assigned ? 1 : 0, $1.deviceCase.survey, $1.deviceCase.id)
        }
    }

    /// One case's line from its interview (if any), visits, review marks and standing.
    static func entry(
        _ c: DeviceCase, interview: DeviceInterview?, visits: [Visit], marks: [ReviewMark], standing: CaseStanding,
        device: DeviceID
    ) -> CaseListEntry {
        let review = interview.map { ReviewState.of(marks, latestEnd: device, sequence: $0.endSequence) } ?? .notReviewed
        var line = CaseListEntry(
            deviceCase: c, status: .new, next: .firstVisit, interview: interview?.id, visits: visits, review: review)
        switch c.state {
        case .reassigned:
            (line.status, line.next) = (.moved, interview == nil ? .none : .handBack)
            return line
        case .withdrawn:
            (line.status, line.next) = (.withdrawn, .none)
            return line
        case .assigned: break
        }
        if review == .rejected, interview?.status != .inProgress {
            line.rejection = ReviewState.rejection(in: marks)?.rejection.text
            (line.status, line.next) = (.rejected, .fix)
            return line
        }
        let complete = interview?.status == .completed
        switch standing {
        case .notVisited: (line.status, line.next) = interview == nil ? (.new, .firstVisit) : (.inProgress, .continueInterview)
        case .visitOpen: (line.status, line.next) = (.inProgress, .continueInterview)
        case .appointment: (line.status, line.next) = (.appointment, .keepAppointment)
        case .revisit: (line.status, line.next) = (.visited(visits.count), .visitAgain)
        case .final:
            if complete {
                (line.status, line.next) = (.completed, review == .approved ? .none : .awaitReview)
            } else {
                (line.status, line.next) = (.final, .none)
            }
        }
        if interview?.status == .inProgress { (line.status, line.next) = (.inProgress, .continueInterview) }
        return line
    }

    private struct CaseKey: Hashable {
        var survey: SurveyID
        var id: CaseID
    }
}

/// `terep cases --format json`: one object per case, keys sorted (docs/interviewer.md).
public enum CaseListJSON {
    struct Row: Encodable {
        var caseID: String
        var survey: String
        var state: String
        var status: String
        var visits: Int
        var lastVisit: VisitRow?
        var nextAction: String
        var address: String?
        var note: String?
        var interviewID: String?
        var review: String
        var rejection: String?

        enum CodingKeys: String, CodingKey {
            case caseID = "case_id", survey, state, status, visits, lastVisit = "last_visit", nextAction = "next_action"
            case address, note, interviewID = "interview_id", review, rejection
        }
    }

    struct VisitRow: Encodable {
        var number: Int
        var start: String
        var end: String?
        var outcome: Int?
        /// The interviewer's note on the visit (`.z 23 …`).
        var note: String?
    }

    public static func encode(_ entries: [CaseListEntry]) throws -> String {
        let rows = entries.map { e in
            Row(
                caseID: e.deviceCase.id.rawValue, survey: e.deviceCase.survey.rawValue, state: e.deviceCase.state.rawValue,
                status: e.status.word, visits: e.visits.count,
                lastVisit: e.lastVisit.map {
                    VisitRow(
                        number: $0.number, start: $0.start.description, end: $0.end?.description, outcome: $0.outcome, note: $0.note)
                },
                nextAction: e.next.rawValue, address: e.deviceCase.address, note: e.deviceCase.note,
                interviewID: e.interview?.rawValue, review: reviewWord(e.review), rejection: e.rejection)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    static func reviewWord(_ state: ReviewState) -> String {
        switch state {
        case .notReviewed: "not_reviewed"
        case .approved: "approved"
        case .rejected: "rejected"
        case .fixed: "fixed"
        }
    }
}
