/// What a study plans for its fieldwork: period, sample targets, quotas and the AAPOR class of
/// each visit outcome, as declared in the questionnaire's `targets { … }` block.
///
/// Nothing in the interview depends on it: `terep report` compares the central dataset with it.
/// Absent (nil in ``SurveyDefinition/targets``) when a questionnaire declares no targets, so
/// definitions without targets keep their canonical JSON and hash.
public struct FieldworkTargets: Hashable, Sendable, Codable {
    /// The first and last day of fieldwork, when declared (progress lines run between them).
    public var period: DateRange?
    /// Completed interviews wanted in total.
    public var total: Int?
    /// Quotas and monitored breakdowns, in declaration order.
    public var quotas: [Quota]
    /// The AAPOR disposition class of each visit-outcome code.
    public var dispositions: [OutcomeDisposition]
    /// Interviews shorter than this many minutes are flagged as speeders (nil: the report's
    /// default rule, a third of the median duration).
    public var speederMinutes: Int?
    /// The working day; interviews started outside it are flagged (nil: the report's default,
    /// 07:00–21:00).
    public var workingHours: TimeRange?
    /// `where …`: only interviews for which the condition holds count in the progress, the
    /// quotas and the response rates; the report counts the others on a line of their own
    /// (nil: every interview counts).
    public var scope: TargetScope?
    /// `final { … }`: which outcome codes keep a case open and which are final only after
    /// enough visits (nil: every outcome code is final).
    public var visitRules: VisitRules?

    public init(
        period: DateRange? = nil, total: Int? = nil, quotas: [Quota] = [], dispositions: [OutcomeDisposition] = [],
        speederMinutes: Int? = nil, workingHours: TimeRange? = nil, scope: TargetScope? = nil, visitRules: VisitRules? = nil
    ) {
        self.period = period
        self.total = total
        self.quotas = quotas
        self.dispositions = dispositions
        self.speederMinutes = speederMinutes
        self.workingHours = workingHours
        self.scope = scope
        self.visitRules = visitRules
    }

    /// The disposition class of an outcome code, if declared.
    public func disposition(of code: Int) -> Disposition? {
        dispositions.first { $0.code == code }?.disposition
    }
}

/// The interviews targets count: `where sample_source == 1 else hu "…" en "…"`.
public struct TargetScope: Hashable, Sendable, Codable {
    /// A boolean condition over top-level answers (no rosters, clock or visits).
    public var condition: Expr
    /// The condition as written in the questionnaire, for the report.
    public var text: String
    /// What the report calls the interviews the condition leaves out (e.g. the event booster).
    public var leftOut: LocalizedText?

    public init(condition: Expr, text: String, leftOut: LocalizedText? = nil) {
        self.condition = condition
        self.text = text
        self.leftOut = leftOut
    }
}

/// A closed range of calendar days.
public struct DateRange: Hashable, Sendable, Codable {
    public var first: LocalDate
    public var last: LocalDate

    public init(first: LocalDate, last: LocalDate) {
        self.first = first
        self.last = last
    }
}

/// A span of the day, `from` inclusive, `to` exclusive.
public struct TimeRange: Hashable, Sendable, Codable {
    public var from: TimeOfDay
    public var to: TimeOfDay

    public init(from: TimeOfDay, to: TimeOfDay) {
        self.from = from
        self.to = to
    }

    /// Whether a time of day falls inside the span.
    public func contains(_ time: TimeOfDay) -> Bool { from <= time && time < to }
}

/// A quota: completed interviews wanted per cell of one or more categorical variables.
///
/// `quota district { 1 100  2 100 }` has one variable; `quota sex, age_grp { 1 1 40 … }` has
/// cells of two. `each N` gives every cell not listed (including values seen only in the data,
/// e.g. interviewer ids) the target N. A quota with no targets at all (`monitor`) is a
/// breakdown the report shows without targets.
public struct Quota: Hashable, Sendable, Codable {
    /// The quota's name in reports (the variables joined with " × " unless named).
    public var name: String
    /// Top-level variables (questions or calculations) whose values form the cells.
    public var variables: [VariableName]
    /// Cells with their own targets, in declaration order.
    public var cells: [QuotaCell]
    /// The target of every cell not listed, when declared.
    public var each: Int?
    /// `quota x where …`: this quota counts only the completes for which it holds (within the
    /// targets' own scope).
    public var scope: TargetScope?

    public init(name: String, variables: [VariableName], cells: [QuotaCell] = [], each: Int? = nil, scope: TargetScope? = nil) {
        self.name = name
        self.variables = variables
        self.cells = cells
        self.each = each
        self.scope = scope
    }

    /// Whether the quota has any target (otherwise it is only monitored).
    public var hasTargets: Bool { each != nil || cells.contains { $0.target != nil } }

    /// The target of a cell given by its values (one per variable).
    public func target(of values: [QuotaValue]) -> Int? {
        if let cell = cells.first(where: { $0.values == values }) { return cell.target ?? each }
        return each
    }
}

/// One value of a quota variable: an answer code or number, or a text (e.g. an interviewer id).
public enum QuotaValue: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    case code(Int)
    case text(String)

    public var description: String {
        switch self {
        case .code(let c): "\(c)"
        case .text(let t): t
        }
    }

    public static func < (lhs: QuotaValue, rhs: QuotaValue) -> Bool {
        switch (lhs, rhs) {
        case (.code(let a), .code(let b)): a < b
        case (.text(let a), .text(let b)): a < b
        case (.code, .text): true
        case (.text, .code): false
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let code = try? c.decode(Int.self) { self = .code(code) } else { self = .text(try c.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .code(let code): try c.encode(code)
        case .text(let text): try c.encode(text)
        }
    }
}

/// One declared quota cell: a value per quota variable and its target (nil: monitored only).
public struct QuotaCell: Hashable, Sendable, Codable {
    public var values: [QuotaValue]
    public var target: Int?
    /// The cell's name in reports, when declared (otherwise the values' answer labels).
    public var label: LocalizedText?

    public init(values: [QuotaValue], target: Int?, label: LocalizedText? = nil) {
        self.values = values
        self.target = target
        self.label = label
    }
}

/// The AAPOR class an outcome code counts in for response, refusal and contact rates.
public struct OutcomeDisposition: Hashable, Sendable, Codable {
    public var code: Int
    public var disposition: Disposition

    public init(code: Int, disposition: Disposition) {
        self.code = code
        self.disposition = disposition
    }
}

/// AAPOR final disposition classes (Standard Definitions): the letters of the rate formulas.
public enum Disposition: String, Hashable, Sendable, Codable, CaseIterable {
    /// I — complete interview (1.1).
    case complete
    /// P — partial interview (1.2).
    case partial
    /// R — refusal and break-off (2.1x).
    case refusal
    /// NC — non-contact (2.2x).
    case noncontact
    /// O — other eligible non-interview (2.3x).
    case other
    /// UH/UO — eligibility unknown (3.x).
    case unknown
    /// Not eligible (4.x): outside every rate's denominator.
    case ineligible
}
