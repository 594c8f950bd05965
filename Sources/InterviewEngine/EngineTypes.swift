import SurveyModel

/// What the caller passes with every event: the clock and who is working. The engine never
/// reads a clock itself, so replaying a log with the same contexts gives the same state.
public struct EngineContext: Hashable, Sendable {
    /// The interview's local date (`today()`).
    public var today: LocalDate
    /// The local time of day (`now_time()`).
    public var now: TimeOfDay
    /// Whole minutes since the interview started (`elapsed_minutes()`).
    public var elapsedMinutes: Int
    /// Who applied the event (recorded with soft-check confirmations).
    public var interviewer: String

    public init(today: LocalDate, now: TimeOfDay, elapsedMinutes: Int = 0, interviewer: String) {
        self.today = today
        self.now = now
        self.elapsedMinutes = elapsedMinutes
        self.interviewer = interviewer
    }

    /// The context of an event at `moment`: its local date and time, the whole minutes spent in
    /// the interview so far, and who applied it. Every caller (the interviewer, the replay of a
    /// saved interview, the cleaner) gets the minutes from ``ActiveTime/context(for:at:interviewer:)``;
    /// a `started` event has spent none.
    public init(at moment: Moment, elapsedMinutes: Int = 0, interviewer: String) {
        self.init(today: moment.date, now: moment.time, elapsedMinutes: elapsedMinutes, interviewer: interviewer)
    }

    /// The context of a saved event, at its timestamp's local date and time (the machine's
    /// time zone, through ``LocalClock``) and with its interviewer.
    public init(of event: InterviewEvent, elapsedMinutes: Int = 0) {
        self.init(at: LocalClock.moment(at: event.timestamp), elapsedMinutes: elapsedMinutes, interviewer: event.interviewer)
    }
}

/// Why the engine refused an event.
public enum EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first event of an interview must be `.started`; later `.started` events are refused.
    case notStarted
    case alreadyStarted
    /// No question, calculation or roster of that name exists.
    case unknownVariable(VariableName)
    case unknownRoster(GroupID)
    case unknownCheck(CheckID)
    /// The address names rows that do not match the variable's rosters or do not exist.
    case noSuchRow(Address)
    /// Notes and calculations cannot be answered.
    case notAnswerable(Address)
    /// The question is not on the current route.
    case offRoute(Address)
    /// The answer breaks a rule of the question (type, range, options, length, pattern…).
    case invalidAnswer(Address, [ValidationIssue])
    /// Adding a row would exceed the roster's maximum, or the roster is not open-ended.
    case rosterFull(GroupID, maxRows: Int)
    case notOpenRoster(GroupID)
    case noRowToRemove(GroupID)
    /// A warning was confirmed that is not currently failing at those rows.
    case nothingToConfirm(CheckID, rows: [Int])
    /// The interview has ended; reopen it before changing answers.
    case interviewEnded
    /// Only an ended interview can be reopened.
    case notEnded

    public var description: String {
        switch self {
        case .notStarted: "the interview log must begin with a 'started' event"
        case .alreadyStarted: "the interview has already started; a second 'started' event is not allowed"
        case .unknownVariable(let n): "'\(n)' is not a variable of this questionnaire"
        case .unknownRoster(let g): "'\(g)' is not a roster of this questionnaire"
        case .unknownCheck(let c): "'\(c)' is not a check of this questionnaire"
        case .noSuchRow(let a): "\(a) names a roster row that does not exist"
        case .notAnswerable(let a): "\(a) is a note or calculation and cannot be answered"
        case .offRoute(let a): "\(a) is not on the current route"
        case .invalidAnswer(let a, let issues):
            "invalid answer for \(a): " + issues.map(\.description).joined(separator: "; ")
        case .rosterFull(let g, let m): "roster '\(g)' already has its maximum of \(m) rows"
        case .notOpenRoster(let g): "roster '\(g)' gets its rows from a count; rows cannot be added or removed"
        case .noRowToRemove(let g): "roster '\(g)' has no row to remove"
        case .nothingToConfirm(let c, let rows):
            "check '\(c)'\(rows.isEmpty ? "" : " at rows \(rows)") is not failing; there is nothing to confirm"
        case .interviewEnded: "the interview has ended; reopen it to change answers"
        case .notEnded: "the interview has not ended; there is nothing to reopen"
        }
    }
}

/// One reason an answer is not accepted as it is.
public enum ValidationIssue: Hashable, Sendable, CustomStringConvertible {
    /// The value is not of the question's type (e.g. text for an integer question).
    case wrongType(expected: ValueType, got: ValueType)
    /// Below `min` or above `max` (either may be nil when that bound is open or missing).
    case outOfRange(min: Value?, max: Value?)
    /// More decimal places than the question allows.
    case tooManyDecimals(places: Int)
    case tooLong(maxLength: Int)
    case patternMismatch(pattern: String)
    /// A code that is not among the (filtered) options.
    case notAnOption(Int)
    /// Fewer or more codes ticked than allowed.
    case tooFewChoices(min: Int)
    case tooManyChoices(max: Int)
    /// An exclusive option ticked together with another code.
    case exclusiveCombined(Int)
    /// This special answer is not allowed for the question.
    case specialNotAllowed(SpecialAnswer)
    /// A hard check fails with this answer.
    case checkFailed(CheckFailure)
    /// The address cannot take an answer now (unknown, a note, no such row, off route).
    indirect case unavailable(EngineError)

    public var description: String {
        switch self {
        case .wrongType(let e, let g): "expected a \(e) value, got \(g)"
        case .outOfRange(let lo, let hi):
            "out of range (\(lo.map(Interview.display) ?? "")..\(hi.map(Interview.display) ?? ""))"
        case .tooManyDecimals(let p): "at most \(p) decimal places"
        case .tooLong(let m): "longer than \(m) characters"
        case .patternMismatch(let p): "does not match the pattern \(p)"
        case .notAnOption(let c): "\(c) is not one of the offered options"
        case .tooFewChoices(let m): "tick at least \(m)"
        case .tooManyChoices(let m): "tick at most \(m)"
        case .exclusiveCombined(let c): "\(c) cannot be combined with other codes"
        case .specialNotAllowed(let s): "'\(s.rawValue)' is not allowed for this question"
        case .checkFailed(let f): "check \(f.check) fails"
        case .unavailable(let e): e.description
        }
    }
}

/// The outcome of validating an answer before it is committed.
public struct Validation: Hashable, Sendable {
    /// Problems that forbid storing the answer (including failing hard checks).
    public var errors: [ValidationIssue]
    /// Soft checks that would fail: the interviewer must confirm or correct.
    public var warnings: [CheckFailure]

    public init(errors: [ValidationIssue] = [], warnings: [CheckFailure] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    /// True when the answer may be committed (warnings still need confirming).
    public var isAcceptable: Bool { errors.isEmpty }
}

/// A check failing at some roster rows.
public struct CheckFailure: Hashable, Sendable {
    public var check: CheckID
    public var severity: CheckSeverity
    /// The roster rows of the failing instance (empty outside rosters).
    public var rows: [Int]
    public var message: LocalizedText
    /// The question the check belongs to, or nil for a group check.
    public var question: Address?
    /// Set once the interviewer confirmed this (soft) check.
    public var confirmation: WarningConfirmation?

    public init(
        check: CheckID, severity: CheckSeverity, rows: [Int], message: LocalizedText, question: Address?,
        confirmation: WarningConfirmation? = nil
    ) {
        self.check = check
        self.severity = severity
        self.rows = rows
        self.message = message
        self.question = question
        self.confirmation = confirmation
    }
}

/// Who confirmed a soft check, when, and why: recorded as data.
public struct WarningConfirmation: Hashable, Sendable {
    public var interviewer: String
    public var date: LocalDate
    public var time: TimeOfDay
    public var reason: String?

    public init(interviewer: String, date: LocalDate, time: TimeOfDay, reason: String?) {
        self.interviewer = interviewer
        self.date = date
        self.time = time
        self.reason = reason
    }
}

/// Something an applied event caused, for the front to react to.
public enum Effect: Hashable, Sendable {
    /// A check started failing (errors must be corrected, warnings confirmed).
    case checkFailed(CheckFailure)
    /// A check that was failing now passes.
    case checkPassed(CheckID, rows: [Int])
    /// A roster instance now has this many rows.
    case rosterResized(GroupID, parentRows: [Int], rows: Int)
    /// An end rule became active (the interview ends once the route before it is answered).
    case endRuleActivated(outcome: Int)
    /// A formerly active end rule no longer holds.
    case endRuleCleared(outcome: Int)
    /// A stored answer no longer fits its question (an earlier answer it depends on changed).
    case answerNoLongerFits(Address, [ValidationIssue])
    /// A stale answer fits again (the earlier answer changed back).
    case answerFitsAgain(Address)
}

/// Whether the interview is still going.
public enum InterviewProgress: Hashable, Sendable {
    case inProgress
    /// Ended with a visit-outcome code (nil only for a completed route without an `outcome` spec).
    case ended(outcome: Int?)
}

/// Why the interview ended.
public enum EndReason: Hashable, Sendable {
    /// The route was finished: every on-route required question is answered.
    case completed
    /// An `end` rule of the questionnaire was reached (its index in document order).
    case endRule(index: Int, message: LocalizedText?)
    /// The interviewer recorded an outcome with an `.ended` event.
    case recorded
}
