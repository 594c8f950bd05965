import SurveyDiagnostics
import SurveyModel

/// The static type of an expression during checking.
enum SemType: Equatable, Sendable, CustomStringConvertible {
    case value(ValueType)
    /// A parenthesised list `(1, 2)`, only valid on the right of `in`.
    case list
    /// An error was already reported; accepted everywhere to avoid follow-on errors.
    case unknown

    static let integer = SemType.value(.integer), decimal = SemType.value(.decimal), text = SemType.value(.text)
    static let boolean = SemType.value(.boolean), date = SemType.value(.date), time = SemType.value(.time)
    static let datetime = SemType.value(.datetime)
    static let choice = SemType.value(.choice), choices = SemType.value(.choices)

    var description: String {
        switch self {
        case .value(.choice): "a single choice"
        case .value(.choices): "a multiple choice"
        case .value(.datetime): "a date and time"
        case .value(let t): t.rawValue
        case .list: "a list"
        case .unknown: "unknown"
        }
    }

    /// Integers, decimals and choice codes take part in arithmetic and numeric comparisons.
    var isNumeric: Bool { self == .integer || self == .decimal || self == .choice || self == .unknown }
}

/// Where an expression appears: which roster rows are current and whether `option` is bound.
struct ExprScope: Sendable {
    var rosters: [String]
    var allowsOption = false

    static let topLevel = ExprScope(rosters: [])
}

/// The rule being lowered, and the variables its expressions and texts read.
struct RuleReads {
    var refs: [(name: String, range: SourceRange)] = []
}

/// A roster counting its rows with a variable: `roster mem count hh_size max 15`.
struct RosterCountUse {
    var roster: String
    var variable: Ident
    /// The roster's `max`, and where it was written (nil: the default).
    var maxRows: Int
    var maxRange: SourceRange?
    var rosterRange: SourceRange
}

/// Semantic analysis and lowering of the expanded declarations into a ``SurveyDefinition``.
///
/// Name resolution lives in side tables (``variables``, ``groups``, ``answerSets``); the AST is
/// never annotated. Every problem becomes a diagnostic; analysis goes on after errors.
struct Analyzer {
    var diagnostics: [Diagnostic] = []
    var languages: [LanguageCode] = []
    var defaultSpecials: [SpecialAnswer] = []

    var variables: [String: VariableSymbol] = [:]
    var variableOrder: [String] = []
    var foldedNames: [String: String] = [:]
    var groups: [String: GroupSymbol] = [:]
    var answerSets: [String: AnswerSetSymbol] = [:]
    var answerSetOrder: [String] = []
    var phrases: [String: PhraseSymbol] = [:]
    var phraseOrder: [String] = []
    var yesNoUsed = false
    /// Variables inside each group (nested too), for `complete(SECTION)` dependencies.
    var groupMembers: [String: [String]] = [:]
    /// Names read by each roster's row count and condition, for aggregate dependencies.
    var rosterRouteNames: [String: [String]] = [:]

    /// Inferred calculation types, and calculations whose type is being inferred.
    var calcTypes: [String: SemType] = [:]
    var inferring: Set<String> = []
    /// When > 0, diagnostics are discarded (type inference ahead of the real check).
    var silent = 0

    /// Reads of the rule currently being lowered (for the cycle edges).
    var reads = RuleReads()
    /// Variable → (read variable, where) for cycle detection: calculations and route conditions.
    var edges: [String: [(name: String, range: SourceRange)]] = [:]
    /// Reads of the conditions of the enclosing groups (they gate every variable inside).
    var routeReads: [[(name: String, range: SourceRange)]] = []
    var checkIDs: [String: SourceRange] = [:]
    /// Top-level `targets` blocks, lowered after the questionnaire (only one is allowed).
    var targetDecls: [TargetsDecl] = []
    /// Types of list items by start offset (for checking `x in (…)`).
    var listItemTypes: [Int: SemType] = [:]
    /// Reads of another row (`m_age[1]`): dependencies, but not cycle edges.
    var otherRowReads: Set<String> = []
    var suggestionsMade = 0
    /// Rosters whose row count is a plain variable, checked against it once everything is lowered.
    var rosterCounts: [RosterCountUse] = []

    init() {}

    mutating func report(_ d: Diagnostic) {
        if silent == 0 { diagnostics.append(d) }
    }

    /// Records a read of `name` for the current rule.
    mutating func noteRead(_ name: String, at range: SourceRange) {
        if silent == 0 { reads.refs.append((name, range)) }
    }

    /// Starts collecting reads for a new rule; returns the previous ones to restore.
    mutating func beginRule() -> RuleReads {
        let saved = reads
        reads = RuleReads()
        return saved
    }

    /// Ends a rule's collection of reads and restores the enclosing rule's.
    mutating func endRule(restoring saved: RuleReads) {
        reads = saved
    }

    /// The built-in yes/no answer set, in the survey's languages.
    func yesNoSet() -> AnswerSet {
        func label(_ hu: String, _ en: String) -> LocalizedText {
            LocalizedText(Dictionary(uniqueKeysWithValues: languages.map { ($0, $0.rawValue == "hu" ? hu : en) }))
        }
        return AnswerSet(
            id: "YESNO",
            options: [
                Option(code: 1, label: label("igen", "yes")), Option(code: 0, label: label("nem", "no")),
            ])
    }
}
