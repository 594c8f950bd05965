import SurveyDiagnostics
import SurveyModel

/// Splits a source file into tokens. Never fails: problems become diagnostics and the lexer
/// carries on with the next character.
struct Lexer {
    let file: SourceFile
    private let bytes: [UInt8]
    private var i = 0
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// The decoded bytes of the string literal being read, kept between literals (emptied, its
    /// room kept) so that a literal does not grow a new buffer byte by byte.
    private var stringBytes: [UInt8] = []

    init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    /// Lexes the whole file; the last token is always `.eof`.
    static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        lexer.checkUTF8()
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    private func range(_ s: Int, _ e: Int) -> SourceRange { SourceRange(file: file, start: s, end: e) }

    /// Reports the first invalid UTF-8 sequence (and how many there are).
    private mutating func checkUTF8() {
        var offsets: [Int] = []
        var j = 0
        while j < bytes.count {
            let b = bytes[j]
            if b < 0x80 { j += 1; continue }
            let len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0
            var ok = len > 0 && j + len <= bytes.count
            if ok { for k in 1..<len where bytes[j + k] & 0xC0 != 0x80 { ok = false } }
            if ok, String(validating: bytes[j..<(j + len)], as: UTF8.self) == nil { ok = false }
            if ok { j += len } else { offsets.append(j); j += 1 }
        }
        guard let first = offsets.first else { return }
        let more = offsets.count > 1 ? " (and \(offsets.count - 1) more invalid bytes)" : ""
        diagnostics.append(Messages.invalidUTF8(range(first, first + 1), more: more))
    }

    private mutating func run() {
        // About one token per 8 bytes of typical source; reserving avoids re-copying the
        // array as it doubles (a 10,000-question form has 420,000 tokens).
        tokens.reserveCapacity(bytes.count / 8 + 16)
        while true {
            skipTrivia()
            guard i < bytes.count else { break }
            lexToken()
        }
        tokens.append(Token(kind: .eof, start: bytes.count, end: bytes.count))
    }

    private mutating func skipTrivia() {
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                i += 1
            } else if b == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else if b == 0xEF, i == 0, bytes.count >= 3, bytes[1] == 0xBB, bytes[2] == 0xBF {
                i = 3  // byte-order mark
            } else {
                break
            }
        }
    }

    private static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }

    private mutating func lexToken() {
        let start = i
        let b = bytes[i]
        if Lexer.isIdentStart(b) {
            while i < bytes.count, Lexer.isIdentPart(bytes[i]) { i += 1 }
            tokens.append(Token(kind: .identifier, start: start, end: i, text: file.text(in: start..<i)))
            return
        }
        if Lexer.isDigit(b) { return lexNumber() }
        if b == UInt8(ascii: "\"") { return lexString() }
        if b == UInt8(ascii: "@") { return lexDateTime() }
        if let (kind, len) = punctuation(b) {
            i += len
            tokens.append(Token(kind: kind, start: start, end: i))
            return
        }
        // Skip one whole UTF-8 scalar (or one invalid byte); a run of them is one diagnostic.
        i += 1
        while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
        if let last = tokens.last, last.kind == .invalid, last.end == start, var d = diagnostics.popLast() {
            d.range.end = i
            d.message = "unexpected characters"
            diagnostics.append(d)
            tokens[tokens.count - 1].end = i
            return
        }
        diagnostics.append(Messages.unexpectedCharacter(file.text(in: start..<i), at: range(start, i)))
        tokens.append(Token(kind: .invalid, start: start, end: i))
    }

    private func punctuation(_ b: UInt8) -> (TokenKind, Int)? {
        let next = peek(1)
        switch b {
        case UInt8(ascii: "{"): return (.lbrace, 1)
        case UInt8(ascii: "}"): return (.rbrace, 1)
        case UInt8(ascii: "("): return (.lparen, 1)
        case UInt8(ascii: ")"): return (.rparen, 1)
        case UInt8(ascii: "["): return (.lbracket, 1)
        case UInt8(ascii: "]"): return (.rbracket, 1)
        case UInt8(ascii: ","): return (.comma, 1)
        case UInt8(ascii: "+"): return (.plus, 1)
        case UInt8(ascii: "-"): return (.minus, 1)
        case UInt8(ascii: "*"): return (.star, 1)
        case UInt8(ascii: "/"): return (.slash, 1)
        case UInt8(ascii: "%"): return (.percent, 1)
        case UInt8(ascii: "."): return next == UInt8(ascii: ".") ? (.dotdot, 2) : nil
        case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? (.eq, 2) : (.assign, 1)
        case UInt8(ascii: "!"): return next == UInt8(ascii: "=") ? (.ne, 2) : nil
        case UInt8(ascii: "<"): return next == UInt8(ascii: "=") ? (.le, 2) : (.lt, 1)
        case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? (.ge, 2) : (.gt, 1)
        default: return nil
        }
    }

    private mutating func lexNumber() {
        let start = i
        var digits = ""
        while i < bytes.count, Lexer.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") {
            if bytes[i] != UInt8(ascii: "_") { digits.append(Character(UnicodeScalar(bytes[i]))) }
            i += 1
        }
        var fraction: String? = nil
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            i += 1
            var f = ""
            while i < bytes.count, Lexer.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") {
                if bytes[i] != UInt8(ascii: "_") { f.append(Character(UnicodeScalar(bytes[i]))) }
                i += 1
            }
            fraction = f
        }
        if i < bytes.count, Lexer.isIdentStart(bytes[i]) {
            while i < bytes.count, Lexer.isIdentPart(bytes[i]) { i += 1 }
            diagnostics.append(Messages.invalidNumber(file.text(in: start..<i), at: range(start, i)))
            tokens.append(Token(kind: .integer, start: start, end: i))
            return
        }
        if let fraction {
            let value = Double(digits + "." + fraction) ?? 0
            tokens.append(Token(kind: .decimal, start: start, end: i, literal: .decimal(value, places: fraction.count)))
        } else if let value = Int(digits) {
            tokens.append(Token(kind: .integer, start: start, end: i, literal: .integer(value)))
        } else {
            diagnostics.append(Messages.invalidNumber(file.text(in: start..<i), at: range(start, i)))
            tokens.append(Token(kind: .integer, start: start, end: i))
        }
    }

    private mutating func lexString() {
        let start = i
        i += 1
        stringBytes.removeAll(keepingCapacity: true)
        while true {
            guard i < bytes.count, bytes[i] != 0x0A else {
                diagnostics.append(Messages.unterminatedString(range(start, i)))
                break
            }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if b == UInt8(ascii: "\\") {
                lexEscape()
                continue
            }
            stringBytes.append(b)
            i += 1
        }
        let text = String(decoding: stringBytes, as: UTF8.self)
        tokens.append(Token(kind: .string, start: start, end: i, text: text))
    }

    private mutating func lexEscape() {
        let escStart = i
        i += 1
        let c = peek()
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            stringBytes.append(c)
            i += 1
        case UInt8(ascii: "n"):
            stringBytes.append(0x0A)
            i += 1
        case UInt8(ascii: "t"):
            stringBytes.append(0x09)
            i += 1
        case UInt8(ascii: "u") where peek(1) == UInt8(ascii: "{"):
            i += 2
            var hex = ""
            while i < bytes.count, hex.count <= 8, let s = Optional(bytes[i]), s != UInt8(ascii: "}"), s != 0x0A,
                s != UInt8(ascii: "\"")
            {
                hex.append(Character(UnicodeScalar(s)))
                i += 1
            }
            if peek() == UInt8(ascii: "}"), let v = UInt32(hex, radix: 16), let scalar = UnicodeScalar(v) {
                i += 1
                stringBytes.append(contentsOf: String(scalar).utf8)
            } else {
                if peek() == UInt8(ascii: "}") { i += 1 }
                diagnostics.append(Messages.invalidEscape(file.text(in: escStart..<i), at: range(escStart, i)))
            }
        default:
            if i < bytes.count, bytes[i] != 0x0A { i += 1 }
            diagnostics.append(Messages.invalidEscape(file.text(in: escStart..<i), at: range(escStart, i)))
        }
    }

    private mutating func lexDateTime() {
        let start = i
        i += 1
        // Digits, '-' and ':', and a 'T' between a date and a time (@2026-10-01T08:30); stops
        // before `..` of a range such as @2020-01-01..today().
        while i < bytes.count,
            Lexer.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: ":")
                || (bytes[i] == UInt8(ascii: "T") && i - start == 11)
        {
            i += 1
        }
        let text = file.text(in: (start + 1)..<i)
        // The token's bytes are digits, '-', ':' and 'T' (ASCII), so its bytes say what it holds.
        let hasT = bytes[(start + 1)..<i].contains(UInt8(ascii: "T"))
        let hasColon = bytes[(start + 1)..<i].contains(UInt8(ascii: ":"))
        if hasT {
            if let t = LocalDateTime(iso: text) {
                tokens.append(Token(kind: .datetime, start: start, end: i, literal: .datetime(t)))
                return
            }
        } else if hasColon {
            if let t = TimeOfDay(text: text) {
                tokens.append(Token(kind: .time, start: start, end: i, literal: .time(t)))
                return
            }
        } else if let d = LocalDate(iso: text) {
            tokens.append(Token(kind: .date, start: start, end: i, literal: .date(d)))
            return
        }
        // Reported once here: a token of the shape written (a time when it has a colon) without a
        // value, which the parser takes as already diagnosed (no type or range errors follow).
        diagnostics.append(Messages.invalidDateTime(file.text(in: start..<i), at: range(start, i)))
        let kind: TokenKind = hasT ? .datetime : hasColon ? .time : .date
        tokens.append(Token(kind: kind, start: start, end: i))
    }
}
