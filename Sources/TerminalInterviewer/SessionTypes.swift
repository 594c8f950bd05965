import Fieldwork
import InterviewEngine
import SurveyModel

/// How a session ended; the caller turns it into a message and an exit code.
public enum SessionEnd: Hashable, Sendable {
    /// The interview reached its end (route complete, an end rule, or an outcome the
    /// interviewer recorded); the payload is the visit outcome.
    case ended(outcome: Int?)
    /// The interviewer saved and quit; the interview is resumable.
    case savedAndQuit
    /// Standard input closed before the interview ended; resumable.
    case endOfInput
    /// A signal (Ctrl-C, SIGTERM, SIGHUP) stopped the session; resumable.
    case interrupted(Int32)
    /// An event could not be saved; nothing after the last saved event was kept.
    case storageFailed(String)
}

/// Settings of a session that do not come from the interview itself.
public struct SessionOptions: Sendable {
    /// The UI language given with `--ui-lang`; nil follows the questionnaire's first language.
    public var uiLanguage: UILanguage?
    /// Who is interviewing (recorded by the engine with soft-check confirmations).
    public var interviewer: String
    /// The command that resumes this interview, shown when the session stops early.
    public var resumeCommand: String
    /// Where the last session stopped (the last question shown), to resume on it.
    public var resumeAt: Address?
    /// The supervisor's rejection and comments, when the interview was rejected: said when the
    /// session starts, and each comment when its question is shown.
    public var review: ReviewNotes?

    public init(
        uiLanguage: UILanguage? = nil, interviewer: String, resumeCommand: String, resumeAt: Address? = nil,
        review: ReviewNotes? = nil
    ) {
        self.uiLanguage = uiLanguage
        self.interviewer = interviewer
        self.resumeCommand = resumeCommand
        self.resumeAt = resumeAt
        self.review = review
    }
}

/// How a message is meant: plain information, an error, a warning, a success.
public enum MessageTone: Hashable, Sendable {
    case plain, error, warning, success
}

/// Something the controller tells the interviewer, in order; each view shows it its own way.
public enum SessionOutput: Hashable, Sendable {
    /// A message in the UI language.
    case notice(String, MessageTone)
    /// The command list (`?`).
    case help
    /// The review of the whole interview (`.a`).
    case review
    /// What blocks closing the interview as complete.
    case closingProblems(ClosingReport)
    /// The visit outcome codes, for `.z` without a valid code.
    case outcomeCodes([QuestionScreen.OptionLine])
}

/// A failing check as listed: where (an address, or the check's name) and its message.
public struct CheckLine: Hashable, Sendable {
    public var place: String
    public var message: String

    public init(place: String, message: String) {
        self.place = place
        self.message = message
    }
}

/// What blocks closing an interview as complete, rendered in the interview language.
public struct ClosingReport: Hashable, Sendable {
    public var errors: [CheckLine]
    public var missing: [Address]
    /// Answers an earlier change made invalid (they block completion like failing hard checks).
    public var stale: [CheckLine]
    public var warnings: [CheckLine]
}

/// A question the session asks before it goes on (confirm a warning, add a row…), as shown.
public struct SessionPrompt: Hashable, Sendable {
    /// What kind of reply is expected.
    public enum Reply: Hashable, Sendable {
        /// Yes or no (`i`/`n`).
        case yesNo
        /// Yes with an optional reason (`i indok`), or no.
        case yesWithReason
        /// Row numbers, or Enter for the suggested ones, or `n` to cancel.
        case rows
        /// One key, no Enter (the full screen's Ctrl-C question): `i`/`y` leaves, any other key stays.
        case leaveKey
    }

    /// The question, already said as a notice; the full screen shows it beside the input line.
    public var text: String
    public var tone: MessageTone
    public var reply: Reply
    /// Whether the line view writes the input marker (`Válasz> `) after it.
    public var marker: Bool
}
