import SurveyModel

/// The kinds of tokens of the questionnaire language.
enum TokenKind: Hashable, Sendable {
    case identifier
    case integer
    case decimal
    case string
    case date
    case time
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
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int
    /// Identifier text, or the decoded value of a string literal.
    var text: String = ""
    var intValue: Int = 0
    var decimalValue: Double = 0
    /// Digits after the decimal point as written (`10.50` → 2).
    var places: Int = 0
    var dateValue: LocalDate? = nil
    var timeValue: TimeOfDay? = nil
}
