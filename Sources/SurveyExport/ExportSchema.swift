import SurveyModel

/// The shape of an export: one table for the interview level and one per roster level.
///
/// Derived from a ``SurveyDefinition`` by ``ExportSchema/init(definition:options:)``; every
/// writer and the codebook read the same schema, so all formats agree on names, labels,
/// types and missing-value declarations.
public struct ExportSchema: Sendable {
    public var survey: SurveyID
    public var version: String
    /// The language labels were taken from.
    public var language: LanguageCode
    /// The survey title in that language.
    public var title: String
    public var specialCodes: SpecialCodes
    /// Interview level first, then rosters in questionnaire order (parents before children).
    public var tables: [ExportTable]
    /// Value-label sets by name, shared by the variables that use them.
    public var valueLabelSets: [String: ValueLabelSet]
    /// How direct personal data (`pii`) was treated.
    public var pii: PIITreatment
    /// Personal-data questions that were left out (``PIITreatment/dropped``).
    public var droppedPII: [VariableName]
    /// Maps a personal-data answer's text to its pseudonym (when any variable is pseudonymised).
    public var pseudonymise: (@Sendable (String) -> String)?
    /// The questionnaire versions merged into this schema, newest first (one for a single
    /// version); empty when derived by ``ExportSchema/init(definition:options:)``.
    public var versions: [ExportVersion] = []
    /// What merging the versions did (variables only in some versions, widened types, merged
    /// value labels, renamed variables), for the export log.
    public var versionNotes: [VersionNote] = []

    /// An answer of `variable` as the export log may show it: nothing of a personal-data
    /// variable left out of the export, a pseudonymised one's value as its pseudonym, a special
    /// answer as its short name and code (`dk (-8)`).
    public func logText(_ answer: Answer?, of variable: VariableName) -> String {
        if droppedPII.contains(variable) { return "(withheld: personal data left out of this export)" }
        switch answer {
        case nil: return "(no answer)"
        case .special(let s)?: return "\(s.rawValue) (\(specialCodes.code(for: s)))"
        case .value(let value)?:
            let pseudonymised = tables.contains { $0.variables.contains { $0.isPseudonym && $0.source.question == variable } }
            let text = RowBuilder.textForm(value)
            return pseudonymised ? (pseudonymise?(text) ?? "(withheld)") : text
        }
    }

    /// The table of a roster, or the interview table for nil.
    public func table(for roster: GroupID?) -> ExportTable? {
        tables.first { $0.roster == roster }
    }
}

/// One flat table: a file in CSV, SPSS and Stata.
public struct ExportTable: Hashable, Sendable {
    /// The table name, used for file names: `wellbeing`, `wellbeing_mem`.
    public var name: String
    /// The roster this table holds rows of; nil for the interview level.
    public var roster: GroupID?
    /// Enclosing rosters and this one, outermost first (empty for the interview level).
    public var rosterPath: [GroupID]
    /// The roster title (or survey title) in the export language.
    public var label: String
    /// Key columns first (`interview_id`, then one `<roster>_row` per level), then data.
    public var variables: [ExportVariable]

    public init(name: String, roster: GroupID?, rosterPath: [GroupID], label: String, variables: [ExportVariable]) {
        self.name = name
        self.roster = roster
        self.rosterPath = rosterPath
        self.label = label
        self.variables = variables
    }

    /// The number of key columns at the start of each row.
    public var keyCount: Int { 1 + rosterPath.count }

    /// The multiple-response sets of the table: the 0/1 indicators of each multiple-choice
    /// question (of each group of versions they were kept apart for), as SPSS `MRSETS`
    /// dichotomy groups counting the value 1, DDI `varGrp type="multipleResp"`.
    public var responseSets: [ResponseSet] {
        var sets: [ResponseSet] = []
        var index: [String: Int] = [:]
        for v in variables {
            guard case .indicator(let question, _) = v.source else { continue }
            let key = "\(question) \(v.versions.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "")"
            if let i = index[key] {
                sets[i].variables.append(v)
            } else {
                let taken = Set(sets.map(\.name))
                var name = "$\(question)", n = 2
                while taken.contains(name) { (name, n) = ("$\(question)_\(n)", n + 1) }
                index[key] = sets.count
                sets.append(ResponseSet(name: name, label: v.setLabel ?? question.rawValue, variables: [v]))
            }
        }
        return sets.filter { $0.variables.count >= 2 }
    }
}

/// The indicators of one multiple-choice question as a multiple-response set.
public struct ResponseSet: Sendable {
    /// `$` and the question's name.
    public var name: String
    public var label: String
    public var variables: [ExportVariable]
}

/// What a variable holds and how writers store it.
public enum ExportType: Hashable, Sendable {
    /// Whole numbers within `range` (choice codes, counts, 0/1 indicators).
    case integer(ClosedRange<Int>)
    /// Any number, with `places` decimals shown.
    case decimal(places: Int)
    /// A calendar date; cells hold days since 1970-01-01.
    case date
    /// An instant; cells hold milliseconds since 1970-01-01T00:00:00Z.
    case datetime
    /// A local date and time without a time zone (a `datetime` answer); cells hold milliseconds
    /// since 1970-01-01T00:00:00 of the same local clock.
    case localDatetime
    /// UTF-8 text of at most `width` bytes.
    case string(width: Int)

    /// The whole numbers of an integer type.
    public var codeRange: ClosedRange<Int>? {
        if case .integer(let r) = self { r } else { nil }
    }

    /// A date or a date and time (SPSS counts them in seconds since 14 Oct 1582).
    public var isCalendar: Bool {
        switch self {
        case .date, .datetime, .localDatetime: true
        default: false
        }
    }

    public var isString: Bool {
        if case .string = self { return true }
        return false
    }
}

/// SPSS measurement level (also shown in the codebook).
public enum MeasureLevel: String, Hashable, Sendable {
    case nominal, ordinal, scale
}

/// Where a variable's cells come from.
public enum VariableSource: Hashable, Sendable {
    case interviewID
    /// The row number within the roster at this depth of the table's roster path.
    case rowNumber(depth: Int)
    case provenance(ProvenanceField)
    /// The answer of a question (choice codes, numbers, text, dates).
    case answer(VariableName)
    /// 1 when `code` was ticked in a multiple-choice answer, else 0.
    case indicator(VariableName, code: Int)
    /// The keyed pseudonym of the text form of another source's cell (a personal-data answer,
    /// the interviewer); special answers keep their codes.
    indirect case pseudonymised(VariableSource)
    /// 1 when the interviewer confirmed this soft check in the row, else 0.
    case checkConfirmed(CheckID)
    /// A roster variable exported wide: its value in one row of a top-level roster.
    indirect case wide(VariableSource, row: Int)

    /// The question behind this variable, if any.
    public var question: VariableName? {
        switch self {
        case .answer(let n), .indicator(let n, _): n
        case .wide(let inner, _), .pseudonymised(let inner): inner.question
        default: nil
        }
    }
}

/// The provenance columns of the interview table.
public enum ProvenanceField: String, Hashable, Sendable, CaseIterable {
    case definitionHash = "iv_def_hash"
    case surveyVersion = "iv_version"
    case device = "iv_device"
    case interviewer = "iv_interviewer"
    case startTime = "iv_start"
    case endTime = "iv_end"
    case durationMinutes = "iv_minutes"
    case outcome = "iv_outcome"
    case conflict = "iv_conflict"
    case visits = "iv_visits"
    case final = "iv_final"
    case review = "iv_review"
}

/// One exported variable (column).
public struct ExportVariable: Hashable, Sendable {
    /// The export name (≤ 32 ASCII characters, unique ignoring case within its table).
    public var name: String
    /// The full variable label in the export language (writers cut it to their limits).
    public var label: String
    public var type: ExportType
    public var measure: MeasureLevel
    /// The name of its value-label set in ``ExportSchema/valueLabelSets``.
    public var valueLabels: String?
    /// Whether special answers (-7/-8/-9) are declared missing for it (SPSS; on a string as
    /// the code texts).
    public var declaresSpecials: Bool
    public var source: VariableSource
    /// Personal data (kept or pseudonymised; dropped variables are not in the schema).
    public var pii: Bool
    /// The questionnaire versions whose interviews fill this variable; nil means every version.
    /// Interviews of other versions get an empty cell (the question was not in their version).
    public var versions: Set<DefinitionHash>?
    /// The question as read out, in the export language, pipes shown as `[label]` (SPSS
    /// attribute `Question`, Stata characteristic `question`, DDI `qstnLit`).
    public var question: String?
    /// The interviewer's instruction (the question's hint), likewise.
    public var instruction: String?
    /// For a multiple-choice indicator, the label of its question (the multiple-response set's label).
    public var setLabel: String?

    public init(
        name: String, label: String, type: ExportType, measure: MeasureLevel, valueLabels: String? = nil,
        declaresSpecials: Bool = false, source: VariableSource, pii: Bool = false, setLabel: String? = nil
    ) {
        self.name = name
        self.label = label
        self.type = type
        self.measure = measure
        self.valueLabels = valueLabels
        self.declaresSpecials = declaresSpecials
        self.source = source
        self.pii = pii
        self.setLabel = setLabel
    }

    /// Whether the variable holds keyed pseudonyms instead of the collected values.
    public var isPseudonym: Bool {
        if case .pseudonymised = source { true } else { false }
    }

    /// Whether interviews of the version `hash` fill this variable.
    public func holds(_ hash: DefinitionHash) -> Bool { versions?.contains(hash) ?? true }
}

/// A labelled value: a code, or a special answer (written as its code or Stata `.a/.b/.c`).
public enum LabelledValue: Hashable, Sendable, Comparable {
    case code(Int)
    case special(SpecialAnswer)

    public static func < (a: LabelledValue, b: LabelledValue) -> Bool {
        switch (a, b) {
        case (.code(let x), .code(let y)): x < y
        case (.code, .special): true
        case (.special, .code): false
        case (.special(let x), .special(let y)): StataMissing.letter(x) < StataMissing.letter(y)
        }
    }
}

/// A named set of value labels.
public struct ValueLabelSet: Hashable, Sendable {
    /// Unique among the schema's sets; valid as a Stata label name.
    public var name: String
    /// Codes in answer-set order, then the special answers.
    public var labels: [(value: LabelledValue, label: String)]
    /// The code of the scale's favourable end, when the answer set declares one (`best`).
    public var best: Int?

    public init(name: String, labels: [(value: LabelledValue, label: String)], best: Int? = nil) {
        self.name = name
        self.labels = labels
        self.best = best
    }

    public static func == (a: ValueLabelSet, b: ValueLabelSet) -> Bool {
        a.name == b.name && a.best == b.best && a.labels.elementsEqual(b.labels) { $0.value == $1.value && $0.label == $1.label }
    }

    /// Which end of `range` (the variable's codes) is best, in words: `10 (Completely
    /// satisfied), the high end`; nil when the set declares none.
    public func bestEnd(of range: ClosedRange<Int>?) -> String? {
        guard let best else { return nil }
        let label = self.label(for: .code(best)).map { " (\($0))" } ?? ""
        let codes = labels.compactMap { if case .code(let c) = $0.value { c } else { nil } }
        let low = range?.lowerBound ?? codes.min() ?? best, high = range?.upperBound ?? codes.max() ?? best
        let end = best == high && best != low ? "the high end" : best == low && best != high ? "the low end" : "one end"
        return "\(best)\(label), \(end)"
    }

    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(best)
        for l in labels {
            h.combine(l.value)
            h.combine(l.label)
        }
    }

    /// The label of a value, if it has one.
    public func label(for value: LabelledValue) -> String? { labels.first { $0.value == value }?.label }
}

/// How the schema treated variables marked `pii`.
public enum PIITreatment: String, Hashable, Sendable {
    case dropped, pseudonymised, kept
}

/// The fixed mapping of special answers to Stata's extended missing values.
public enum StataMissing {
    /// `.a` = not applicable (off route), `.b` = don't know, `.c` = refused.
    public static func letter(_ special: SpecialAnswer) -> Character {
        switch special {
        case .notApplicable: "a"
        case .dontKnow: "b"
        case .refused: "c"
        }
    }

    /// The index after `.` (1 = `.a`).
    static func index(_ special: SpecialAnswer) -> Int {
        switch special {
        case .notApplicable: 1
        case .dontKnow: 2
        case .refused: 3
        }
    }
}
