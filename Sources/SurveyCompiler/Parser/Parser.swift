import SurveyDiagnostics
import SurveyModel

/// A recursive-descent parser with error recovery.
///
/// It never throws: a missing or unexpected token becomes a diagnostic, the parser skips to a
/// point where it can go on (the next declaration or property keyword, or a closing brace) and
/// carries on, so every syntax error of a file is reported in one run.
struct Parser {
    /// Deepest nesting of parentheses/prefix operators, and of blocks, before giving up with E0102.
    static let maxNesting = 64
    /// Deepest expression tree (long operator chains) before giving up with E0102.
    static let maxTreeDepth = 256

    static let declarationKeywords: Set<String> = [
        "include", "answers", "phrase", "section", "question", "grid", "roster", "note", "calculate", "end", "targets",
    ]
    static let propertyKeywords: Set<String> = [
        "text", "hint", "label", "title", "rowlabel", "when", "optional", "nodk", "pii", "interviewer",
        "preload", "randomize", "specials", "default", "min", "max", "maxlength", "pattern", "filter", "other",
        "error", "warn", "item",
    ]

    let file: SourceFile
    var tokens: [Token]
    var pos = 0
    var diagnostics: [Diagnostic] = []
    /// Current nesting of blocks and parenthesised expressions.
    var nesting = 0

    init(file: SourceFile) {
        self.file = file
        let (tokens, diagnostics) = Lexer.tokenize(file)
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    /// Parses one file into declarations, with every problem found as diagnostics.
    static func parse(_ file: SourceFile) -> (unit: SourceUnit, diagnostics: [Diagnostic]) {
        var parser = Parser(file: file)
        let unit = parser.parseFile()
        return (unit, parser.diagnostics)
    }

    // MARK: - Token helpers

    var current: Token { tokens[pos] }
    func peek(_ k: Int = 1) -> Token { tokens[min(pos + k, tokens.count - 1)] }
    var atEnd: Bool { current.kind == .eof }

    func range(of t: Token) -> SourceRange { SourceRange(file: file, start: t.start, end: t.end) }
    var currentRange: SourceRange { range(of: current) }
    /// The range from `start` to the end of the previous token.
    func range(from start: Int) -> SourceRange {
        SourceRange(file: file, start: start, end: pos > 0 ? max(start, tokens[pos - 1].end) : start)
    }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func isKeyword(_ word: String) -> Bool { current.kind == .identifier && current.text == word }

    mutating func eat(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    mutating func eatKeyword(_ word: String) -> Token? { isKeyword(word) ? advance() : nil }

    /// Describes the current token for "found …".
    var foundDescription: String {
        switch current.kind {
        case .identifier: "'\(current.text)'"
        case .eof: "the end of the file"
        case .string: "a string"
        case .integer, .decimal: "'\(file.text(in: current.start..<current.end))'"
        default: current.kind.display
        }
    }

    /// Reports that `what` was expected here (unless the current token is already diagnosed).
    mutating func expected(_ what: String) {
        if current.kind == .invalid { return }
        // One report per position: unclosed nests at the end of the file would otherwise repeat it.
        if let last = diagnostics.last, last.range.start == current.start, last.range.file === file,
            last.code == "E0101" || last.code == "E0102"
        {
            return
        }
        diagnostics.append(Messages.expected(what, found: foundDescription, at: currentRange))
    }

    mutating func expect(_ kind: TokenKind, _ what: String? = nil) -> Token? {
        if let t = eat(kind) { return t }
        expected(what ?? kind.display)
        return nil
    }

    mutating func expectIdent(_ what: String) -> Ident? {
        guard current.kind == .identifier else {
            expected(what)
            return nil
        }
        let t = advance()
        return Ident(text: t.text, range: range(of: t))
    }

    /// A whole number, optionally negative.
    mutating func expectInteger(_ what: String) -> (Int, SourceRange)? {
        let start = current.start
        let negative = eat(.minus) != nil
        guard current.kind == .integer else {
            expected(what)
            return nil
        }
        let t = advance()
        return (negative ? -t.intValue : t.intValue, range(from: start))
    }

    // MARK: - Recovery

    /// Skips a balanced `{ … }` starting at the current `{`.
    mutating func skipBlock() {
        var depth = 0
        repeat {
            switch current.kind {
            case .lbrace: depth += 1
            case .rbrace: depth -= 1
            case .eof: return
            default: break
            }
            advance()
        } while depth > 0
    }

    /// Skips at least one token, then up to the next keyword in `stops`, a `}` or the end.
    mutating func recover(stoppingAt stops: Set<String>) {
        if current.kind == .lbrace { skipBlock() } else if !atEnd { advance() }
        while !atEnd {
            if current.kind == .rbrace { return }
            if current.kind == .lbrace {
                skipBlock()
                continue
            }
            if current.kind == .identifier, stops.contains(current.text) { return }
            advance()
        }
    }

    // MARK: - File

    mutating func parseFile() -> SourceUnit {
        var header: SurveyHeader? = nil
        if isKeyword("survey") { header = parseHeader() }
        var decls: [Decl] = []
        while !atEnd {
            if current.kind == .rbrace {
                diagnostics.append(Messages.expected("a declaration", found: "'}'", at: currentRange))
                advance()
                continue
            }
            if isKeyword("survey") {
                diagnostics.append(Messages.headerNotFirst(currentRange))
                _ = parseHeader()
                continue
            }
            if let d = parseDeclaration(inGroup: false) {
                decls.append(d)
            }
        }
        return SourceUnit(file: file, header: header, decls: decls)
    }

    mutating func parseHeader() -> SurveyHeader {
        let start = advance().start
        let name = expectIdent("the survey's name") ?? Ident(text: "", range: currentRange)
        var header = SurveyHeader(name: name, languages: [], range: range(from: start))
        guard expect(.lbrace, "'{' to open the survey header") != nil else { return header }
        let keys: Set<String> = ["title", "version", "languages", "outcome", "specials"]
        while !atEnd, current.kind != .rbrace {
            guard current.kind == .identifier, keys.contains(current.text) else {
                expected("a header property (title, version, languages, outcome, specials)")
                recover(stoppingAt: keys)
                continue
            }
            let key = advance()
            switch key.text {
            case "title": header.title = parseText(after: range(of: key))
            case "version":
                if let s = expect(.string, "a version string such as \"2026.1\"") { header.version = s.text }
            case "languages": header.languages = parseIdentList()
            case "outcome":
                header.outcomeVariable = expectIdent("the visit-outcome variable")
                if eatKeyword("complete") == nil { expected("'complete' and the code of a completed interview") }
                header.outcomeCode = expectInteger("the code of a completed interview")?.0
            default: header.specials = parseIdentList()
            }
        }
        _ = expect(.rbrace, "'}' to close the survey header")
        header.range = range(from: start)
        return header
    }

    /// Names up to the end of the line-ish: stops at a keyword, a brace or a non-name.
    mutating func parseIdentList() -> [Ident] {
        var out: [Ident] = []
        while current.kind == .identifier, !Parser.textStops.contains(current.text) {
            let t = advance()
            out.append(Ident(text: t.text, range: range(of: t)))
        }
        return out
    }
}
