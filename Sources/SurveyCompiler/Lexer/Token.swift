import SurveyModel

/// The kinds of tokens of the questionnaire language.
enum TokenKind: Hashable, Sendable {
    case identifier
    case integer
    case decimal
    case string
    case date
    case time
    case datetime
    case lbrace, rbrace, lparen, rparen, lbracket, rbracket
    case comma, dotdot, assign
    case eq, ne, lt, le, gt, ge
    case plus, minus, star, slash, percent
    /// A character that starts no token (already diagnosed by the lexer).
    case invalid
    case eof

    /// How the token is named in "expected …, found …" messages.
    var display: String {
        switch self {
        case .identifier: "a name"
        case .integer: "a whole number"
        case .decimal: "a decimal number"
        case .string: "a string"
        case .date: "a date"
        case .time: "a time"
        case .datetime: "a date and time"
        case .lbrace: "'{'"
        case .rbrace: "'}'"
        case .lparen: "'('"
        case .rparen: "')'"
        case .lbracket: "'['"
        case .rbracket: "']'"
        case .comma: "','"
        case .dotdot: "'..'"
        case .assign: "'='"
        case .eq: "'=='"
        case .ne: "'!='"
        case .lt: "'<'"
        case .le: "'<='"
        case .gt: "'>'"
        case .ge: "'>='"
        case .plus: "'+'"
        case .minus: "'-'"
        case .star: "'*'"
        case .slash: "'/'"
        case .percent: "'%'"
        case .invalid: "an invalid character"
        case .eof: "the end of the file"
        }
    }
}

/// A token: its kind, byte range and decoded payload.
///
/// The literal value is one enum payload rather than one field per literal kind, which keeps
/// the stride at 72 bytes instead of 112: a 10,000-question form has 420,000 tokens, and the
/// smaller array stays under glibc's 32 MB mmap threshold (see docs/performance.md).
struct Token: Sendable {
    /// The decoded value of a literal token.
    enum Literal: Sendable {
        case none
        case integer(Int)
        /// The value and the digits after the decimal point as written (`10.50` → 2).
        case decimal(Double, places: Int)
        case date(LocalDate)
        case time(TimeOfDay)
        case datetime(LocalDateTime)
    }

    var kind: TokenKind
    var start: Int
    var end: Int
    /// Identifier text, or the decoded value of a string literal.
    var text: String = ""
    var literal: Literal = .none

    init(kind: TokenKind, start: Int, end: Int, text: String = "", literal: Literal = .none) {
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
        self.literal = literal
    }

    var intValue: Int {
        if case .integer(let v) = literal { v } else { 0 }
    }

    var decimalValue: Double {
        if case .decimal(let v, _) = literal { v } else { 0 }
    }

    /// Digits after the decimal point as written (`10.50` → 2).
    var places: Int {
        if case .decimal(_, let p) = literal { p } else { 0 }
    }

    var dateValue: LocalDate? {
        if case .date(let d) = literal { d } else { nil }
    }

    var timeValue: TimeOfDay? {
        if case .time(let t) = literal { t } else { nil }
    }

    var dateTimeValue: LocalDateTime? {
        if case .datetime(let t) = literal { t } else { nil }
    }
}
