import SurveyDiagnostics
import SurveyModel

extension Parser {
    /// Parses `{ property… }` of a question, note, calculation, item or end.
    mutating func parsePropertyBlock() -> [Property] {
        var properties: [Property] = []
        guard expect(.lbrace) != nil else { return [] }
        guard enterNesting() else { return [] }
        defer { nesting -= 1 }
        while !atEnd, current.kind != .rbrace {
            if current.kind == .identifier, Parser.propertyKeywords.contains(current.text), current.text != "item" {
                if let p = parseProperty() { properties.append(p) }
            } else if current.kind == .identifier, Parser.declarationKeywords.contains(current.text) {
                // Most likely a missing '}' before the next declaration: stop here.
                expected("a property or '}'")
                return properties
            } else {
                expected("a property (text, when, optional, error if, …)")
                recover(stoppingAt: Parser.bodyStops)
            }
        }
        _ = expect(.rbrace, "'}' to close the block")
        return properties
    }

    /// Parses one property starting at its keyword.
    mutating func parseProperty() -> Property? {
        let keyword = advance()
        let start = keyword.start
        let kwRange = range(of: keyword)
        let kind: PropertyKind?
        switch keyword.text {
        case "text": kind = parseText(after: kwRange).map { .text($0) }
        case "hint": kind = parseText(after: kwRange).map { .hint($0) }
        case "label": kind = parseText(after: kwRange).map { .label($0) }
        case "title": kind = parseText(after: kwRange).map { .title($0) }
        case "rowlabel": kind = parseText(after: kwRange).map { .rowLabel($0) }
        case "when": kind = .when(parseExpression())
        case "optional": kind = .optional
        case "nodk": kind = .nodk
        case "pii":
            // `pii pseudonym`: an identifier, pseudonymised by default.
            if current.kind == .identifier, current.text == "pseudonym" {
                _ = advance()
                kind = .pii(.pseudonym)
            } else {
                kind = .pii(.direct)
            }
        case "interviewer": kind = .interviewer
        case "preload": kind = .preload
        case "randomize": kind = .randomize
        case "specials": kind = .specials(parseIdentList())
        case "default":
            let value = parseExpression()
            let condition = eatKeyword("if") != nil ? parseExpression() : nil
            kind = .defaultValue(value, condition: condition)
        case "min": kind = expectInteger("a whole number").map { .min($0.0) }
        case "max": kind = expectInteger("a whole number").map { .max($0.0) }
        case "maxlength": kind = expectInteger("a whole number").map { .maxLength($0.0) }
        case "pattern": kind = expect(.string, "a regular expression in quotes").map { .pattern($0.text) }
        case "filter": kind = .filter(parseExpression())
        case "other": kind = .other(parseOther(start: start))
        case "error", "warn":
            pos -= 1
            kind = .check(parseCheck())
        default:
            expected("a property")
            kind = nil
        }
        guard let kind else {
            recover(stoppingAt: Parser.bodyStops)
            return nil
        }
        return Property(kind: kind, range: range(from: start))
    }

    /// `other [NAME] [maxlength N] [text …]`; the optional parts must be on the `other` line.
    mutating func parseOther(start: Int) -> OtherAST {
        let line = file.location(of: start).line
        func sameLine(_ t: Token) -> Bool { file.location(of: t.start).line == line }
        var other = OtherAST(name: nil, maxLength: nil, text: nil, range: range(from: start))
        if current.kind == .identifier, !Parser.bodyStops.contains(current.text), sameLine(current) {
            let t = advance()
            other.name = Ident(text: t.text, range: range(of: t))
        }
        while current.kind == .identifier, sameLine(current) {
            if isKeyword("maxlength") {
                advance()
                other.maxLength = expectInteger("a whole number")?.0
            } else if isKeyword("text") {
                let t = advance()
                other.text = parseText(after: range(of: t))
            } else {
                break
            }
        }
        other.range = range(from: start)
        return other
    }

    /// `error [NAME] if EXPR LANG "…" …` (also `warn`), starting at the keyword.
    mutating func parseCheck() -> CheckAST {
        let keyword = advance()
        let severity: CheckSeverity = keyword.text == "error" ? .error : .warning
        var name: Ident? = nil
        if current.kind == .identifier, current.text != "if" {
            let t = advance()
            name = Ident(text: t.text, range: range(of: t))
        }
        if eatKeyword("if") == nil { expected("'if' and the condition under which the check fails") }
        let condition = parseExpression()
        let message = parseText(after: range(from: keyword.start))
        return CheckAST(
            severity: severity, name: name, condition: condition, message: message, range: range(from: keyword.start))
    }

    /// Parses `LANG "…" LANG "…"` or a bare `"…"`; adjacent strings are concatenated. A lone
    /// name not followed by a string is a phrase standing for the text.
    mutating func parseText(after keyword: SourceRange, required: Bool = true) -> TextAST? {
        var entries: [TextEntry] = []
        let start = current.start
        if current.kind == .identifier, peek().kind != .string, !Parser.textStops.contains(current.text) {
            let t = advance()
            let name = Ident(text: t.text, range: range(of: t))
            return TextAST(entries: [], range: name.range, phrase: name)
        }
        while true {
            if current.kind == .string {
                let (value, r) = parseStrings()
                entries.append(TextEntry(language: nil, value: value, range: r))
            } else if current.kind == .identifier, peek().kind == .string, !Parser.textStops.contains(current.text) {
                let t = advance()
                let (value, r) = parseStrings()
                entries.append(TextEntry(language: Ident(text: t.text, range: range(of: t)), value: value, range: r))
            } else {
                break
            }
        }
        if entries.isEmpty {
            if required { expected("a text: a language code and a string, e.g. hu \"…\" en \"…\"") }
            return nil
        }
        return TextAST(entries: entries, range: range(from: start))
    }

    /// One or more adjacent string tokens, concatenated.
    mutating func parseStrings() -> (String, SourceRange) {
        let start = current.start
        var value = ""
        while current.kind == .string { value += advance().text }
        return (value, range(from: start))
    }
}
