import SurveyDiagnostics
import SurveyModel

/// A name as written, with where.
struct Ident: Sendable {
    var text: String
    var range: SourceRange
}

/// One `LANG "text"` pair of a localised text; `language` is nil for a bare `"text"`.
struct TextEntry: Sendable {
    var language: Ident?
    var value: String
    /// The string token(s).
    var range: SourceRange
}

/// A localised text as written: `text hu "…" en "…"`, or the name of a `phrase`.
struct TextAST: Sendable {
    var entries: [TextEntry]
    var range: SourceRange
    /// `hint CARD_0_10`: the phrase that stands for the text (then `entries` is empty).
    var phrase: Ident? = nil
}

/// `phrase NAME LANG "…" …`: a text declared once and used by name wherever a text is expected.
struct PhraseDecl: Sendable {
    var name: Ident
    var text: TextAST?
}

/// An expression as written. Never recursive beyond ``Parser/maxDepth``.
struct ExprAST: Sendable {
    var kind: ExprKind
    var range: SourceRange
    /// Nesting depth of this tree (1 for a leaf).
    var depth: Int = 1
}

indirect enum ExprKind: Sendable {
    case integer(Int)
    case decimal(Double, places: Int)
    case string(String)
    case date(LocalDate)
    case time(TimeOfDay)
    case datetime(LocalDateTime)
    case name(String)
    case unary(UnaryOperator, ExprAST)
    case binary(BinaryOperator, ExprAST, ExprAST)
    case call(Ident, [ExprAST])
    /// `name[row]`
    case index(Ident, ExprAST)
    case list([ExprAST])
    /// A parse error already diagnosed; checks nothing further.
    case missing
}

/// A check as written: `error [NAME] if EXPR LANG "…"`.
struct CheckAST: Sendable {
    var severity: CheckSeverity
    var name: Ident?
    var condition: ExprAST
    var message: TextAST?
    var range: SourceRange
}

/// `other [NAME] [maxlength N] [text …]`.
struct OtherAST: Sendable {
    var name: Ident?
    var maxLength: Int?
    var text: TextAST?
    var range: SourceRange
}

/// A property of a question, grid, item, section or roster body.
enum PropertyKind: Sendable {
    case text(TextAST), hint(TextAST), label(TextAST), title(TextAST), rowLabel(TextAST)
    case when(ExprAST)
    case optional, nodk, interviewer, preload, randomize
    /// `pii` (direct personal data) or `pii pseudonym` (an identifier).
    case pii(PersonalData)
    case specials([Ident])
    case defaultValue(ExprAST, condition: ExprAST?)
    case min(Int), max(Int), maxLength(Int)
    case pattern(String)
    case filter(ExprAST)
    case other(OtherAST)
    case check(CheckAST)

    /// The keyword, for "not allowed here" and "given twice" messages.
    var keyword: String {
        switch self {
        case .text: "text"
        case .hint: "hint"
        case .label: "label"
        case .title: "title"
        case .rowLabel: "rowlabel"
        case .when: "when"
        case .optional: "optional"
        case .nodk: "nodk"
        case .pii: "pii"
        case .interviewer: "interviewer"
        case .preload: "preload"
        case .randomize: "randomize"
        case .specials: "specials"
        case .defaultValue: "default"
        case .min: "min"
        case .max: "max"
        case .maxLength: "maxlength"
        case .pattern: "pattern"
        case .filter: "filter"
        case .other: "other"
        case .check: "check"
        }
    }
}

struct Property: Sendable {
    var kind: PropertyKind
    /// From the keyword to the end of the property.
    var range: SourceRange
}

/// A range `LO..HI` of a question type; either side may be missing.
struct RangeAST: Sendable {
    var lower: ExprAST?
    var upper: ExprAST?
    var range: SourceRange
}

/// A question type as written.
enum TypeAST: Sendable {
    case single(Ident), multiple(Ident), yesno
    case integer(RangeAST?), decimal(RangeAST?)
    case scale(RangeAST?, labels: Ident?)
    case text, date(RangeAST?), time, datetime(RangeAST?)
}

struct QuestionDecl: Sendable {
    var name: Ident
    var type: TypeAST
    var typeRange: SourceRange
    var properties: [Property]
}

struct NoteDecl: Sendable {
    var name: Ident
    var properties: [Property]
}

struct CalculateDecl: Sendable {
    var name: Ident
    var expr: ExprAST
    var properties: [Property]
}

struct ItemDecl: Sendable {
    var name: Ident
    var text: TextAST?
    var properties: [Property]
}

struct GridDecl: Sendable {
    var name: Ident
    var type: TypeAST
    var typeRange: SourceRange
    var properties: [Property]
    var items: [ItemDecl]
}

struct SectionDecl: Sendable {
    var name: Ident
    var properties: [Property]
    var body: [Decl]
}

struct RosterDecl: Sendable {
    var name: Ident
    var count: ExprAST?
    var maxRows: Int?
    var maxRange: SourceRange?
    var properties: [Property]
    var body: [Decl]
}

struct EndDecl: Sendable {
    var outcome: Int
    var condition: ExprAST?
    var properties: [Property]
    var range: SourceRange
}

struct AnswerOptionAST: Sendable {
    var code: Int
    var codeRange: SourceRange
    var label: TextAST?
    var flags: [Ident]
}

struct AnswerSetDecl: Sendable {
    var name: Ident
    var options: [AnswerOptionAST]
}

struct IncludeDecl: Sendable {
    var path: String
    var range: SourceRange
    /// Filled in by the loader: the included file's declarations (nil when it could not be read
    /// or was already included).
    var unit: SourceUnit?
}

/// A declaration of a file or a group body.
indirect enum Decl: Sendable {
    case include(IncludeDecl)
    case answers(AnswerSetDecl)
    case phrase(PhraseDecl)
    case section(SectionDecl)
    case question(QuestionDecl)
    case grid(GridDecl)
    case roster(RosterDecl)
    case note(NoteDecl)
    case calculate(CalculateDecl)
    case end(EndDecl)
    case check(CheckAST)
    case targets(TargetsDecl)
}

/// The `survey NAME { … }` header of a main file.
struct SurveyHeader: Sendable {
    var name: Ident
    var title: TextAST?
    var version: String?
    var languages: [Ident]
    var outcomeVariable: Ident?
    var outcomeCode: Int?
    var specials: [Ident]?
    var range: SourceRange
}

/// One parsed file.
struct SourceUnit: Sendable {
    var file: SourceFile
    var header: SurveyHeader?
    var decls: [Decl]
}

/// A number as written, with where.
struct IntAST: Sendable {
    var value: Int
    var range: SourceRange
}

/// `targets { … }`: fieldwork period, totals, quotas and outcome dispositions.
struct TargetsDecl: Sendable {
    /// The `targets` keyword.
    var keyword: SourceRange
    var period: (first: LocalDate, last: LocalDate, range: SourceRange)?
    var total: IntAST?
    var speeder: IntAST?
    var hours: (from: TimeOfDay, to: TimeOfDay, range: SourceRange)?
    /// The `outcomes` keyword, when the block has one.
    var outcomesKeyword: SourceRange?
    var dispositions: [DispositionAST] = []
    var quotas: [QuotaAST] = []
    /// `where …`: only interviews for which it holds count in progress, quotas and rates.
    var scope: ScopeAST?
    /// `final { … }`: when a case's last outcome is final.
    var visitRules: VisitRulesAST?
    /// Lines given twice (keyword, where, first place), reported by the analyser.
    var repeated: [(keyword: String, range: SourceRange, first: SourceRange)] = []
}

/// `where CONDITION [else LANG "…" …]`: the interviews a targets block (or one quota) counts,
/// and what the report calls the ones it leaves out.
struct ScopeAST: Sendable {
    var condition: ExprAST
    /// The condition as written, for the report.
    var text: String
    var leftOut: TextAST?
    var range: SourceRange
}

/// `final { appointment 25  revisit 24  23 after 3 visits on different days, 1 from @17:00 or weekend }`.
struct VisitRulesAST: Sendable {
    /// The `final` keyword.
    var keyword: SourceRange
    var appointment: [IntAST] = []
    var revisit: [IntAST] = []
    var requirements: [VisitRequirementAST] = []
}

/// `CODE… after N visits [on different days] [, M from TIME [or weekend] | , M at weekend]`.
struct VisitRequirementAST: Sendable {
    var codes: [IntAST]
    var visits: IntAST
    var differentDays: Bool
    /// How many late visits, and what makes a visit late.
    var late: IntAST?
    var eveningFrom: TimeOfDay?
    var weekend: Bool
    var range: SourceRange
}

/// One `CLASS CODE…` line of `outcomes { … }`.
struct DispositionAST: Sendable {
    var disposition: Disposition
    var codes: [IntAST]
}

/// `quota VAR, VAR { cells }` or `monitor VAR, VAR [{ cells }]`.
struct QuotaAST: Sendable {
    var monitorOnly: Bool
    var keyword: SourceRange
    var variables: [Ident]
    var cells: [QuotaCellAST]
    var each: IntAST?
    /// `quota VAR where …` (on the quota's line): this quota counts only those interviews.
    var scope: ScopeAST? = nil
}

/// One cell: `VALUE… [= TARGET] [LANG "label" …]`.
struct QuotaCellAST: Sendable {
    var values: [QuotaValueAST]
    var target: IntAST?
    var label: TextAST?
    var range: SourceRange
}

/// A quota cell value: a code or a text (e.g. an interviewer id).
struct QuotaValueAST: Sendable {
    var value: QuotaValue
    var range: SourceRange
}
