import SurveyModel

/// One cleaned interview, as Fieldwork's cleaner (`InterviewCleaner`) hands it to the exporter.
///
/// `answers` holds only what should be exported: on-route confirmed answers, with off-route
/// questions given as `.special(.notApplicable)` (exported as -7) and unanswered questions
/// simply absent (system missing).
public struct InterviewRecord: Sendable {
    public var id: InterviewID
    public var definition: DefinitionHash
    public var surveyVersion: String
    public var device: DeviceID
    public var interviewer: String
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var startedAt: Int64?
    public var endedAt: Int64?
    /// Milliseconds actually spent in the interview: its sessions summed, pauses over 30
    /// minutes left out (InterviewEngine's `ActiveTime`); nil when not known.
    public var timeSpent: Int64?
    public var outcome: Int?
    /// The central merge resolved a conflict in this interview.
    public var hadConflict: Bool
    public var answers: [Address: Answer]
    /// Row counts of rosters by their enclosing rows; rosters not listed get as many rows as the
    /// highest row number any of their answers uses.
    public var rosterRows: [RosterInstance: Int]
    /// Soft checks the interviewer confirmed, with the roster rows they failed in.
    public var confirmedChecks: Set<ConfirmedCheck>
    /// Every event as paradata, in merge order (`<survey>_paradata.csv`).
    public var paradata: [ParadataEvent] = []
    /// The interviewer's notes and confirmation reasons (`<survey>_comments.csv`).
    public var comments: [InterviewComment] = []
    /// Its visits to the case, from its events in merge order (SurveyModel's `VisitTracker`):
    /// the `visits` table, `iv_visits`, and whether its outcome is final under the
    /// questionnaire's `final` rules.
    public var visits: [Visit] = []
    /// The sample's case it was started for (its `assignedCase` label), if any.
    public var caseID: CaseID?
    /// Whether its last outcome closes the case under its questionnaire's `final` rules
    /// (`iv_final`); nil while it is in progress. Set by whoever hands the record over.
    public var isFinal: Bool?
    /// Where it stands in the supervisor's review loop (`iv_review`).
    public var review: ReviewState = .notReviewed

    public init(
        id: InterviewID, definition: DefinitionHash, surveyVersion: String, device: DeviceID, interviewer: String,
        startedAt: Int64? = nil, endedAt: Int64? = nil, timeSpent: Int64? = nil, outcome: Int? = nil, hadConflict: Bool = false,
        answers: [Address: Answer], rosterRows: [RosterInstance: Int] = [:], confirmedChecks: Set<ConfirmedCheck> = []
    ) {
        self.id = id
        self.definition = definition
        self.surveyVersion = surveyVersion
        self.device = device
        self.interviewer = interviewer
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.timeSpent = timeSpent
        self.outcome = outcome
        self.hadConflict = hadConflict
        self.answers = answers
        self.rosterRows = rosterRows
        self.confirmedChecks = confirmedChecks
    }

    /// Minutes actually spent in an ended interview (``timeSpent``), rounded to 0.1: the export's
    /// `iv_minutes`; nil while it has not ended or the time spent is unknown.
    public var durationMinutes: Double? {
        guard endedAt != nil, let spent = timeSpent else { return nil }
        return (Double(spent) / 6_000).rounded() / 10
    }
}

/// A confirmed soft check at its rows.
public struct ConfirmedCheck: Hashable, Sendable {
    public var check: CheckID
    public var rows: [Int]

    public init(_ check: CheckID, rows: [Int] = []) {
        self.check = check
        self.rows = rows
    }
}

/// One cell of a row. Dates are days since 1970-01-01 and datetimes milliseconds since the
/// epoch, stored as numbers; the variable's ``ExportType`` says how to write them.
public enum Cell: Hashable, Sendable {
    /// System missing: unanswered (or no value at all).
    case empty
    /// A special answer, written as its code (CSV, SPSS) or `.a/.b/.c` (Stata).
    case special(SpecialAnswer)
    case number(Double)
    case text(String)
}

/// One row of a table: cells in the order of ``ExportTable/variables``.
public typealias ExportRow = [Cell]
