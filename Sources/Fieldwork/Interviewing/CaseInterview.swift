import InterviewEngine
import SurveyModel
import SurveyStore

/// Why an assigned case's interview cannot be started or continued; each says what to do.
public enum CaseInterviewError: Error, Sendable, CustomStringConvertible {
    /// No case of the device's packages has this id.
    case unknownCase(CaseID, known: Int)
    /// The case was moved to another device or withdrawn.
    case notAssigned(CaseID, DeviceCase.State)
    /// The case is done: final, or completed and approved.
    case done(CaseID, CaseStatus)
    /// Completed and waiting for the supervisor's review.
    case awaitingReview(CaseID)
    case start(InterviewStartError)

    public var description: String {
        switch self {
        case .unknownCase(let id, let known):
            known == 0
                ? "case \(id): this device has no cases; receive the coordinator's package first (terep device receive FILE)"
                : "case \(id) is not one of this device's \(known) cases; see them with terep cases"
        case .notAssigned(let id, .reassigned):
            "case \(id) was moved to another device: sync what was recorded (terep sync or terep bundle create) and leave it"
        case .notAssigned(let id, _): "case \(id) was withdrawn from the sample: do not visit it"
        case .done(let id, .completed): "case \(id) is completed and approved: it is locked"
        case .done(let id, _): "case \(id) is final: nothing more to do"
        case .awaitingReview(let id): "case \(id) is completed and waits for the supervisor's review"
        case .start(let error): error.description
        }
    }
}

/// What `terep interview --case CASE` did with the case.
public enum CaseInterviewStart: Sendable {
    /// A new interview of the case, its preloads filled in from the sample.
    case began(PreparedInterview)
    /// The case's interview in progress, resumed.
    case resumed(PreparedInterview)
    /// The case's ended interview, reopened for the next visit.
    case reopened(PreparedInterview, visit: Int)
    /// The case's interview the supervisor rejected, reopened for the fix (no new visit).
    case fixing(PreparedInterview)

    public var prepared: PreparedInterview {
        switch self {
        case .began(let p), .resumed(let p), .reopened(let p, _), .fixing(let p): p
        }
    }
}

extension InterviewStart {
    /// Starts or continues the interview of an assigned case, by where the case list says it
    /// stands: a new case begins an interview on the case's questionnaire with the sample's
    /// values as its preloads (answers the interviewer does not type; the engine shows them
    /// answered) and the case as its label; an interview in progress is resumed; a case visited
    /// before, with an appointment, or rejected is reopened — the next visit continues the same
    /// interview. A final, approved, moved or withdrawn case is refused with why.
    public static func forCase(
        _ id: CaseID, store: DeviceStore, options: InterviewStartOptions, clock: InterviewClock = .system
    ) throws(CaseInterviewError) -> CaseInterviewStart {
        let list: [CaseListEntry]
        do { list = try CaseList.load(store: store) } catch { throw .start(.store(error)) }
        guard let line = list.first(where: { $0.deviceCase.id == id }) else { throw .unknownCase(id, known: list.count) }
        guard line.deviceCase.state == .assigned else { throw .notAssigned(id, line.deviceCase.state) }
        switch line.status {
        case .completed where line.next == .awaitReview: throw .awaitingReview(id)
        case .completed, .final, .moved, .withdrawn: throw .done(id, line.status)
        case .new, .visited, .appointment, .inProgress, .rejected: break
        }
        do throws(InterviewStartError) {
            guard let interview = line.interview, line.status != .new else {
                return .began(try beginCase(line.deviceCase, store: store, options: options, clock: clock))
            }
            switch line.status {
            case .inProgress: return .resumed(try resume(interview, store: store))
            case .rejected:
                let reason = "fix after review" + (line.rejection.map { ": " + $0 } ?? "")
                return .fixing(try reopen(interview, reason: reason, store: store, clock: clock).prepared)
            default:
                let next = line.visits.count + 1
                return .reopened(try reopen(interview, reason: "visit \(next)", store: store, clock: clock).prepared, visit: next)
            }
        } catch {
            throw .start(error)
        }
    }

    /// A new interview of a case: its questionnaire from the package, its sample values as
    /// preloads (with the automatic visit fields), and the `assignedCase` label.
    static func beginCase(
        _ c: DeviceCase, store: DeviceStore, options: InterviewStartOptions, clock: InterviewClock
    ) throws(InterviewStartError) -> PreparedInterview {
        let compiled = try storing { () throws(StoreError) in
            guard let compiled = try store.definition(hash: c.definition) else { throw StoreError.unknownDefinition(c.definition) }
            return compiled
        }
        return try begin(compiled, store: store, options: options, preload: c.values, assignedCase: c.id, clock: clock)
    }
}
