import Fieldwork
import InterviewEngine
import SurveyModel

/// A question the controller asked and waits an answer to, with what it is about.
struct Pending {
    enum Kind {
        /// Settling an answer (or `.z CODE`) before it is saved.
        case proposal(Proposal)
        /// An unconfirmed soft check found while closing the interview.
        case closingWarning(CheckFailure, then: Closing)
        /// Whether to add a row to the open roster the route reached; `next` if not.
        case addRow(RosterInstance, next: Address?)
        /// Whether to remove roster rows (`.st`, or a row chosen on the full screen).
        case removeRows(RowRemoval)
        /// Whether to leave the session (Ctrl-C on the full screen).
        case leave
    }

    var kind: Kind
    var prompt: SessionPrompt
}

/// An answer, or the end of the visit, waiting for the interviewer's decisions before it is saved.
struct Proposal {
    enum Action {
        case answer(Answer, at: Address)
        /// `.z CODE`: the outcome answered with `code` (when the outcome question is on route), then the visit ended.
        case endVisit(VisitEnd)
        /// Enter at an answer that already makes an end rule hold, the end not yet recorded (a
        /// reopened interview): go on, which ends the interview.
        case keep(at: Address)
    }

    /// One decision still to make, in order.
    enum Step {
        /// Confirm a soft check the answer makes fail.
        case warning(CheckFailure)
        /// Say which roster members to remove when the answer lowers a row count.
        case rows(RowRemoval)
        /// Confirm the end of the visit with an outcome.
        case endVisit
        /// Confirm an answer that makes an end rule end the interview with this outcome.
        case endRule(Int, label: String?)
    }

    var action: Action
    var steps: [Step]
    /// Confirmed soft checks with their reasons, saved right after the answer.
    var confirmations: [(CheckFailure, String?)] = []
    /// The rows the interviewer chose to remove, applied with the answer.
    var removal: RowRemoval?
    /// The interview as it will be once the answer is saved: messages show its values.
    var preview: Interview
}

/// Ending the visit with an outcome code (`.z CODE`).
struct VisitEnd {
    var code: Int
    var label: String?
    /// Whether the outcome question is on route, so the code is saved as its answer.
    var answersOutcome: Bool
    /// The note typed after the code (`.z 23 …`), recorded on the whole interview.
    var note: String? = nil
    var confirmations: [(CheckFailure, String?)] = []
}

/// What to do once the interview may be closed as complete.
enum Closing {
    /// The route is finished: close with the status the engine derives.
    case route
    /// `.z CODE` with the "complete" code.
    case visit(VisitEnd)
}

/// Rows to remove from one roster instance; the rows after them move up, so the removed
/// members' answers are replaced and the remaining members keep theirs.
struct RowRemoval {
    var instance: RosterInstance
    /// Rows before the removal.
    var count: Int
    /// How many rows go.
    var removing: Int
    /// The rows chosen (1-based, ascending); empty until chosen.
    var rows: [Int]
    /// Whether rows are given by a count question (else the interviewer adds them).
    var counted: Bool
    /// Whether rows other than the last ones may be chosen (no nested rosters to move).
    var movable: Bool
    /// The roster's title, and each row's label, for the messages.
    var title: String
    var labels: [Int: String]

    /// The default: the last rows.
    var lastRows: [Int] { Array((count - removing + 1)...count) }
}

/// A yes/no reply.
public enum YesNoReply: Hashable, Sendable {
    case yes(reason: String?)
    case no
    /// Neither: the question is asked again.
    case unclear
}

extension UIStrings {
    /// Reads a reply to a yes/no question: `i`/`igen`/`y`/`yes`/`ok` (a reason may follow),
    /// `n`/`nem`/`no`; anything else (Enter alone too) is unclear.
    public static func confirmation(_ reply: String) -> YesNoReply {
        let trimmed = reply.trimmingSpaces
        let word = trimmed.prefix { $0 != " " }.lowercased()
        if ["n", "nem", "no"].contains(word) { return trimmed.count == word.count ? .no : .unclear }
        guard ["i", "igen", "y", "yes", "ok"].contains(word) else { return .unclear }
        let reason = String(trimmed.dropFirst(word.count)).trimmingSpaces
        return .yes(reason: reason.isEmpty ? nil : reason)
    }
}
