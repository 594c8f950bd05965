import SurveyModel
import SurveyStore

/// What a supervisor asks `terep review` to record (docs/coordinator.md, "Review").
public enum ReviewRequest: Hashable, Sendable {
    /// Approve the interview (final: locked on the device), with an optional note.
    case approve(note: String?)
    /// Send it back to the interviewer with why.
    case reject(comment: String)
    /// Comment on one answer (`VAR` or `VAR[row]` for a roster's question).
    case comment(question: String, text: String)
}

/// What `terep review` recorded.
public struct ReviewReceipt: Hashable, Sendable {
    public var entry: FieldworkLogEntry
    /// Where the interview stands in the review loop after it.
    public var state: ReviewState
}

/// The supervisor's side of the review loop over a central dataset: approving, rejecting and
/// commenting on merged interviews. Each decision is a fieldwork-log entry with who and when,
/// naming the state of the interview it judged (its latest end), so the device and the central
/// dataset both tell a fix made after the rejection from the state that was rejected; it
/// travels to the device that holds the case in its next package.
public enum SupervisorReview {
    /// The longest comment or note accepted, in characters (it is shown on a laptop's screen).
    public static let maxText = 2_000

    /// Records one decision on the interview whose id is (or uniquely begins with) `typed`.
    /// Refused with why, changing nothing: an unknown or ambiguous id, a training interview, an
    /// approval or rejection of an interview in progress, an approval of one whose case its last
    /// outcome does not close yet (the questionnaire's `final` rules), an empty or over-long
    /// text, or a comment on a question the interview's questionnaire does not have.
    public static func record(
        _ request: ReviewRequest, interview typed: String, central: any CentralDataset, actor: String, at time: Int64
    ) throws(FieldworkError) -> ReviewReceipt {
        let interview = try find(typed, in: central)
        if interview.isTraining {
            throw .usage("interview \(interview.id) is marked as training: training interviews are not reviewed")
        }
        guard let hash = interview.definition else {
            throw .usage("interview \(interview.id) has no start here yet (merge the bundle with its beginning first)")
        }
        let compiled: CompiledSurvey
        let events: [InterviewEvent]
        do throws(StoreError) {
            guard let found = try central.definition(hash: hash) else { throw .unknownDefinition(hash) }
            compiled = found
            events = try central.events(interview: interview.id)
        } catch {
            throw .store(error)
        }
        let decision = try decision(for: request, interview: interview, definition: compiled.definition, events: events)
        do {
            let entry = try central.review(decision, interview: interview.id, actor: actor, at: time)
            let marks = try central.reviewsByInterview(survey: interview.survey)[interview.id]?.compactMap(\.reviewMark) ?? []
            let state = ReviewState.of(marks, latestEnd: interview.statusDevice, sequence: interview.statusSequence)
            return ReviewReceipt(entry: entry, state: state)
        } catch {
            throw .store(error)
        }
    }

    /// The interview whose id is `typed`, else the only one whose id begins with it.
    static func find(_ typed: String, in central: any CentralDataset) throws(FieldworkError) -> CentralInterview {
        let all: [CentralInterview]
        do { all = try central.interviews() } catch { throw .store(error) }
        if let exact = all.first(where: { $0.id.rawValue == typed }) { return exact }
        let matches = typed.isEmpty ? [] : all.filter { $0.id.rawValue.hasPrefix(typed) }
        switch matches.count {
        case 1: return matches[0]
        case 0:
            throw .usage(
                "--interview \(DisplayText.escaped(typed)): no interview in the central dataset has this id (see terep export or terep report)"
            )
        default:
            throw .usage("--interview \(DisplayText.escaped(typed)): \(matches.count) interviews begin with it; give more of the id")
        }
    }

    /// The store's decision for a request, checked against the interview.
    static func decision(
        for request: ReviewRequest, interview: CentralInterview, definition: SurveyDefinition, events: [InterviewEvent]
    ) throws(FieldworkError) -> ReviewDecision {
        switch request {
        case .approve(let note):
            let note = try text(note, what: "--comment", required: false)
            if interview.outcome != nil {
                let visits = VisitTracker.visits(of: events, completeCode: definition.outcome?.completeCode)
                let standing = definition.standing(of: visits)
                if !standing.isFinal, let code = standing.outcome {
                    throw .usage(
                        """
                        interview \(interview.id): its last visit ended with \(code), which does not close the case yet \
                        (the questionnaire's final rules; \(visits.count) visit\(visits.count == 1 ? "" : "s") so far); \
                        approve it once the case is final, or --reject it to have it fixed
                        """)
                }
            }
            return .approve(comment: note)
        case .reject(let comment):
            return .reject(comment: try text(comment, what: "--reject", required: true) ?? "")
        case .comment(let question, let comment):
            let address = try address(question, in: definition, interview: interview.id)
            return .comment(address, try text(comment, what: "--comment", required: true) ?? "")
        }
    }

    /// A comment's text, trimmed; refused when required and empty, or when too long or holding
    /// control characters other than line breaks.
    static func text(_ raw: String?, what: String, required: Bool) throws(FieldworkError) -> String? {
        let trimmed = raw?.trimmingSpaces ?? ""
        if trimmed.isEmpty {
            if required { throw .usage("\(what): say what is wrong (the interviewer sees this text)") }
            return nil
        }
        guard trimmed.count <= maxText else {
            throw .usage("\(what): \(trimmed.count) characters; at most \(maxText)")
        }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            throw .usage("\(what): control characters are not allowed (only line breaks)")
        }
        return trimmed
    }

    /// The answer a `--question` names: a question of the interview's questionnaire (not a
    /// note), with one row number per roster it is in.
    static func address(_ typed: String, in definition: SurveyDefinition, interview: InterviewID) throws(FieldworkError) -> Address {
        let shown = DisplayText.escaped(typed)
        guard let address = Address(parsing: typed) else {
            throw .usage("--question \(shown): write a question's name, with its row for a roster's question (e.g. m_age[2])")
        }
        let index = SurveyIndex(definition)
        guard let entry = index[address.variable], entry.question.kind != .note else {
            throw .usage(
                "--question \(shown): interview \(interview)'s questionnaire (\(definition.id) \(definition.version)) has no such question")
        }
        guard address.rows.count == entry.rosters.count else {
            let rows = entry.rosters.isEmpty ? "no row number" : "\(entry.rosters.count) row number\(entry.rosters.count == 1 ? "" : "s")"
            throw .usage(
                "--question \(shown): \(address.variable) takes \(rows) (e.g. \(address.variable)\(entry.rosters.isEmpty ? "" : "[1]"))")
        }
        return address
    }
}
