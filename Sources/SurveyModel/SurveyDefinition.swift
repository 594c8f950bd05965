/// A compiled survey definition: the questionnaire as data, independent of its source text.
///
/// Produced by `SurveyCompiler`, run by `InterviewEngine`, stored with every interview and
/// bundle, and read by exports. Its canonical JSON (``CompiledSurvey``) is hashed to give the
/// ``DefinitionHash`` that identifies this exact version everywhere.
public struct SurveyDefinition: Hashable, Sendable, Codable {
    /// The version of this JSON format; bumped on any incompatible change, including a change
    /// of what a definition means. 2: missing values follow three-valued logic in expressions
    /// and `if` takes an optional fourth argument (docs/language.md §8.4); the engine runs a
    /// format-1 definition with the old rule, so its interviews replay as they were. Format 2
    /// also no longer carries the compiler's dependency graph (the engine derives its own).
    public static let currentFormat = 2
    /// The formats this terep reads: format 1 files keep their `dependencies`, unread, so they
    /// keep their hash.
    public static let supportedFormats = 1...2

    public var format: Int
    public var id: SurveyID
    /// The methodologists' version label, e.g. `2026.1`.
    public var version: String
    public var title: LocalizedText
    /// Declared languages; the first is the default interview language.
    public var languages: [LanguageCode]
    /// Export codes of special answers.
    public var specialCodes: SpecialCodes
    /// The visit-outcome variable and the code a completed interview gets, if declared.
    public var outcome: OutcomeSpec?
    public var answerSets: [AnswerSet]
    /// The questionnaire tree in interview order.
    public var items: [Node]
    /// Format 1 only: the dependency graph the compiler used to ship. Nothing reads it; it is
    /// kept so that a format 1 definition re-encodes to the bytes it was hashed from (nil, and
    /// absent from the JSON, from format 2 on).
    public var dependencies: DependencyGraph?
    /// Fieldwork targets, quotas and outcome dispositions for monitoring (nil when the
    /// questionnaire declares none; then absent from the JSON, so older hashes are unchanged).
    public var targets: FieldworkTargets?

    public init(
        format: Int = SurveyDefinition.currentFormat, id: SurveyID, version: String,
        title: LocalizedText, languages: [LanguageCode], specialCodes: SpecialCodes = SpecialCodes(),
        outcome: OutcomeSpec? = nil, answerSets: [AnswerSet], items: [Node],
        dependencies: DependencyGraph? = nil, targets: FieldworkTargets? = nil
    ) {
        self.format = format
        self.id = id
        self.version = version
        self.title = title
        self.languages = languages
        self.specialCodes = specialCodes
        self.outcome = outcome
        self.answerSets = answerSets
        self.items = items
        self.dependencies = dependencies
        self.targets = targets
    }
}

/// Where the visit outcome is recorded, and which code means "complete".
public struct OutcomeSpec: Hashable, Sendable, Codable {
    /// A single-choice question (usually interviewer-only) holding the outcome code.
    public var variable: VariableName
    /// The code set automatically when the interview reaches its end, e.g. 11.
    public var completeCode: Int

    public init(variable: VariableName, completeCode: Int) {
        self.variable = variable
        self.completeCode = completeCode
    }
}

/// One text per language. Texts may pipe earlier answers with `{name}` (see ``TextTemplate``).
public struct LocalizedText: Hashable, Sendable, Codable {
    public var texts: [LanguageCode: String]

    public init(_ texts: [LanguageCode: String]) { self.texts = texts }

    /// The text in a language, falling back to the first of `fallbacks` that has one.
    public func text(in language: LanguageCode, fallbacks: [LanguageCode] = []) -> String? {
        if let t = texts[language] { return t }
        for f in fallbacks { if let t = texts[f] { return t } }
        return texts.keys.sorted().first.flatMap { texts[$0] }
    }

    public subscript(language: LanguageCode) -> String? { texts[language] }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: String].self)
        texts = Dictionary(uniqueKeysWithValues: raw.map { (LanguageCode($0.key), $0.value) })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Dictionary(uniqueKeysWithValues: texts.map { ($0.key.rawValue, $0.value) }))
    }
}

/// A reusable set of coded options with labels in every language.
public struct AnswerSet: Hashable, Sendable, Codable {
    public var id: AnswerSetID
    public var options: [Option]

    public init(id: AnswerSetID, options: [Option]) {
        self.id = id
        self.options = options
    }

    public func option(code: Int) -> Option? { options.first { $0.code == code } }
}

/// One coded option of an answer set.
public struct Option: Hashable, Sendable {
    public var code: Int
    public var label: LocalizedText
    /// Ticking it clears and forbids every other code (e.g. 97 "none").
    public var exclusive: Bool
    /// "Other, please specify": choosing it asks the question's `_oth` text follow-up.
    public var other: Bool
    /// Kept in place when options are randomised.
    public var fixed: Bool
    /// The "best" end of a scale (`best`): the codebook and the exports say which end of the
    /// answer set is the favourable one. At most one option of a set, at its lowest or highest code.
    public var best: Bool

    public init(
        code: Int, label: LocalizedText, exclusive: Bool = false, other: Bool = false, fixed: Bool = false, best: Bool = false
    ) {
        self.code = code
        self.label = label
        self.exclusive = exclusive
        self.other = other
        self.fixed = fixed
        self.best = best
    }
}

extension Option: Codable {
    private enum Key: String, CodingKey { case code, label, exclusive, other, fixed, best }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(
            code: try c.decode(Int.self, forKey: .code), label: try c.decode(LocalizedText.self, forKey: .label),
            exclusive: try c.decode(Bool.self, forKey: .exclusive), other: try c.decode(Bool.self, forKey: .other),
            fixed: try c.decode(Bool.self, forKey: .fixed), best: try c.decodeIfPresent(Bool.self, forKey: .best) ?? false)
    }

    /// `best` only when set, so definitions without it keep their JSON and hash.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(code, forKey: .code)
        try c.encode(label, forKey: .label)
        try c.encode(exclusive, forKey: .exclusive)
        try c.encode(other, forKey: .other)
        try c.encode(fixed, forKey: .fixed)
        if best { try c.encode(true, forKey: .best) }
    }
}

/// A node of the questionnaire tree.
public enum Node: Hashable, Sendable {
    case group(Group)
    case question(Question)
    /// Ends the interview with an outcome when reached and its condition holds.
    case end(EndRule)
}

/// A section, grid or roster: a named group of nodes with an optional condition.
public struct Group: Hashable, Sendable, Codable {
    public var id: GroupID
    public var kind: GroupKind
    public var title: LocalizedText?
    /// For grids: the stem text shown above the rows.
    public var text: LocalizedText?
    /// The group and everything in it is on route only when this holds.
    public var condition: Expr?
    /// Checks over several questions of the group, evaluated when any of them changes.
    public var checks: [Check]
    public var children: [Node]

    public init(
        id: GroupID, kind: GroupKind, title: LocalizedText? = nil, text: LocalizedText? = nil,
        condition: Expr? = nil, checks: [Check] = [], children: [Node]
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.text = text
        self.condition = condition
        self.checks = checks
        self.children = children
    }
}

public enum GroupKind: Hashable, Sendable {
    case section
    /// Several questions on one answer set, shown as a table.
    case grid
    /// A repeat group.
    case roster(RosterSpec)
}

/// How many rows a roster has.
public struct RosterSpec: Hashable, Sendable, Codable {
    /// An integer expression giving the row count; nil means open-ended (rows added on demand).
    public var count: Expr?
    /// The most rows allowed (a hard limit for open rosters and a check on counts).
    public var maxRows: Int
    /// A label for a row, e.g. `{m_name}`; piped per row.
    public var rowLabel: LocalizedText?

    public init(count: Expr?, maxRows: Int, rowLabel: LocalizedText? = nil) {
        self.count = count
        self.maxRows = maxRows
        self.rowLabel = rowLabel
    }
}

/// A question, a display-only note, or a hidden calculation: anything with a variable name.
public struct Question: Hashable, Sendable, Codable {
    public var name: VariableName
    public var kind: QuestionKind
    /// The question text (piped); empty for calculations.
    public var text: LocalizedText
    public var hint: LocalizedText?
    /// The variable label for exports and the codebook.
    public var label: LocalizedText?
    /// On route only when this holds (and every enclosing group's condition holds).
    public var condition: Expr?
    /// An on-route required question must be answered (a value or an allowed special answer).
    public var required: Bool
    /// The special answers the interviewer may record: don't know and/or refused.
    public var specials: [SpecialAnswer]
    /// Personal data, and how exports treat it by default.
    public var pii: PersonalData
    /// Filled in by the interviewer, not read out (visit outcome, observations).
    public var interviewerOnly: Bool
    /// Supplied when the interview starts (case identifiers, sample data); still editable.
    public var preload: Bool
    /// A proposed value the interviewer confirms.
    public var defaultValue: DefaultRule?
    /// When this is the "other, specify" text of a choice question: that question.
    public var otherOf: VariableName?
    public var checks: [Check]

    public init(
        name: VariableName, kind: QuestionKind, text: LocalizedText = LocalizedText([:]),
        hint: LocalizedText? = nil, label: LocalizedText? = nil, condition: Expr? = nil,
        required: Bool = true, specials: [SpecialAnswer] = [.dontKnow, .refused], pii: PersonalData = .notPersonal,
        interviewerOnly: Bool = false, preload: Bool = false, defaultValue: DefaultRule? = nil,
        otherOf: VariableName? = nil, checks: [Check] = []
    ) {
        self.name = name
        self.kind = kind
        self.text = text
        self.hint = hint
        self.label = label
        self.condition = condition
        self.required = required
        self.specials = specials
        self.pii = pii
        self.interviewerOnly = interviewerOnly
        self.preload = preload
        self.defaultValue = defaultValue
        self.otherOf = otherOf
        self.checks = checks
    }
}

/// Whether a question holds personal data, and how exports treat it by default.
///
/// Coded as `false`, `true` (`pii`) or `"pseudonym"`, so definitions without `pii pseudonym`
/// keep their JSON and hash. A Boolean literal converts (`pii: true` is `.direct`).
public enum PersonalData: Hashable, Sendable, ExpressibleByBooleanLiteral {
    case notPersonal
    /// `pii`: direct personal data (names, phone numbers, GPS), left out of exports by default.
    case direct
    /// `pii pseudonym`: an identifier (an interviewer's login, an address key), replaced by a
    /// keyed pseudonym by default so that rows can still be linked.
    case pseudonym

    public init(booleanLiteral value: Bool) { self = value ? .direct : .notPersonal }

    /// Personal data of either kind.
    public var isPersonal: Bool { self != .notPersonal }
}

extension PersonalData: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let flag = try? c.decode(Bool.self) {
            self = flag ? .direct : .notPersonal
        } else if try c.decode(String.self) == "pseudonym" {
            self = .pseudonym
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "pii is false, true or \"pseudonym\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .notPersonal: try c.encode(false)
        case .direct: try c.encode(true)
        case .pseudonym: try c.encode("pseudonym")
        }
    }
}

/// A default proposed for a question, optionally only when a condition holds.
public struct DefaultRule: Hashable, Sendable, Codable {
    public var value: Expr
    public var condition: Expr?

    public init(value: Expr, condition: Expr? = nil) {
        self.value = value
        self.condition = condition
    }
}

/// What kind of answer a question takes.
public enum QuestionKind: Hashable, Sendable {
    /// One code of an answer set (yes/no compiles to this with the built-in `YESNO` set).
    case singleChoice(ChoiceSpec)
    /// Several codes of an answer set; `min`/`max` bound how many may be ticked.
    case multipleChoice(ChoiceSpec, min: Int?, max: Int?)
    /// A whole number; bounds are integer expressions (usually constants).
    case integer(min: Expr?, max: Expr?)
    /// A decimal number with at most `places` decimal places.
    case decimal(min: Expr?, max: Expr?, places: Int)
    case text(maxLength: Int, pattern: String?)
    case date(min: Expr?, max: Expr?)
    case time
    /// A local date and time (ISO 8601), optionally bounded.
    case datetime(min: Expr?, max: Expr?)
    /// An integer rating from `min` to `max`; labels for some points come from an answer set.
    case scale(min: Int, max: Int, labels: AnswerSetID?)
    /// Display only; records nothing.
    case note
    /// A hidden value computed from other answers.
    case calculated(Expr, ValueType)

    /// The type of the recorded value; nil for notes.
    public var valueType: ValueType? {
        switch self {
        case .singleChoice: .choice
        case .multipleChoice: .choices
        case .integer, .scale: .integer
        case .decimal: .decimal
        case .text: .text
        case .date: .date
        case .time: .time
        case .datetime: .datetime
        case .note: nil
        case .calculated(_, let t): t
        }
    }
}

/// The options of a choice question.
public struct ChoiceSpec: Hashable, Sendable, Codable {
    public var answerSet: AnswerSetID
    /// Only options for which this holds (with `option` bound to the code) are offered.
    public var filter: Expr?
    /// Shuffle non-fixed options with the interview's seed; the order shown is recorded.
    public var randomize: Bool

    public init(answerSet: AnswerSetID, filter: Expr? = nil, randomize: Bool = false) {
        self.answerSet = answerSet
        self.filter = filter
        self.randomize = randomize
    }
}

/// A consistency check: it *fails* when its condition is true (`error if …`, `warn if …`).
public struct Check: Hashable, Sendable, Codable {
    public var id: CheckID
    public var severity: CheckSeverity
    /// The failure condition.
    public var condition: Expr
    public var message: LocalizedText

    public init(id: CheckID, severity: CheckSeverity, condition: Expr, message: LocalizedText) {
        self.id = id
        self.severity = severity
        self.condition = condition
        self.message = message
    }
}

public enum CheckSeverity: String, Hashable, Sendable, Codable {
    /// Must be corrected before going on (Blaise CHECK).
    case error
    /// The interviewer may confirm and go on; the confirmation is recorded (Blaise SIGNAL).
    case warning
}

/// Ends the interview with an outcome code, e.g. `end outcome 42 if hh_n16 == 0`.
public struct EndRule: Hashable, Sendable, Codable {
    public var condition: Expr?
    public var outcome: Int
    public var message: LocalizedText?

    public init(condition: Expr?, outcome: Int, message: LocalizedText? = nil) {
        self.condition = condition
        self.outcome = outcome
        self.message = message
    }
}
