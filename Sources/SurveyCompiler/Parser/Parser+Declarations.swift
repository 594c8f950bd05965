import SurveyDiagnostics
import SurveyModel

extension Parser {
    /// Keywords at which recovery inside a body stops.
    static let bodyStops: Set<String> = propertyKeywords.union(declarationKeywords)
    /// Names that end a localised text (a language code is never one of them).
    static let textStops: Set<String> = bodyStops.union(["if", "version", "languages", "outcome", "specials", "survey"])

    /// Parses a declaration; on an unexpected token reports it, recovers and returns nil.
    mutating func parseDeclaration(inGroup: Bool) -> Decl? {
        guard current.kind == .identifier else {
            expected("a declaration (question, section, answers, …)")
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        switch current.text {
        case "include": return parseInclude()
        case "answers": return parseAnswers()
        case "phrase": return parsePhrase()
        case "section": return parseSection()
        case "question": return parseQuestion()
        case "grid": return parseGrid()
        case "roster": return parseRoster()
        case "note": return parseNote()
        case "calculate": return parseCalculate()
        case "end": return parseEnd()
        case "targets": return parseTargets()
        case "error", "warn": return .check(parseCheck())
        default:
            if !inGroup || !Parser.propertyKeywords.contains(current.text) {
                expected("a declaration (question, section, answers, …)")
            }
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
    }

    mutating func parseInclude() -> Decl? {
        let start = advance().start
        guard let path = expect(.string, "the included file's path in quotes") else { return nil }
        return .include(IncludeDecl(path: path.text, range: range(from: start), unit: nil))
    }

    mutating func parseAnswers() -> Decl? {
        advance()
        guard let name = expectIdent("the answer set's name") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        var options: [AnswerOptionAST] = []
        guard expect(.lbrace, "'{' to open the answer set") != nil else { return .answers(.init(name: name, options: [])) }
        let flags: Set<String> = ["other", "exclusive", "fixed", "best"]
        while !atEnd, current.kind != .rbrace {
            guard let (code, codeRange) = expectInteger("an option code (a whole number)") else {
                recover(stoppingAt: [])
                while !atEnd, current.kind != .rbrace, current.kind != .integer, current.kind != .minus { advance() }
                continue
            }
            let label = parseText(after: codeRange)
            var optionFlags: [Ident] = []
            while current.kind == .identifier, flags.contains(current.text) {
                let t = advance()
                optionFlags.append(Ident(text: t.text, range: range(of: t)))
            }
            options.append(AnswerOptionAST(code: code, codeRange: codeRange, label: label, flags: optionFlags))
        }
        _ = expect(.rbrace, "'}' to close the answer set")
        return .answers(AnswerSetDecl(name: name, options: options))
    }

    /// `phrase NAME LANG "…" …`.
    mutating func parsePhrase() -> Decl? {
        let keyword = advance()
        guard let name = expectIdent("the phrase's name") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        var text = parseText(after: range(of: keyword))
        if text?.phrase != nil {
            diagnostics.append(Messages.expected("the phrase's text (hu \"…\" en \"…\")", found: "a phrase name", at: text!.range))
            text = nil
        }
        return .phrase(PhraseDecl(name: name, text: text))
    }

    /// Parses `{ properties and declarations }` of a section or roster.
    mutating func parseGroupBody() -> (properties: [Property], body: [Decl]) {
        var properties: [Property] = []
        var body: [Decl] = []
        guard expect(.lbrace, "'{' to open the block") != nil else { return ([], []) }
        guard enterNesting() else { return ([], []) }
        defer { nesting -= 1 }
        while !atEnd, current.kind != .rbrace {
            if current.kind == .identifier, Parser.declarationKeywords.contains(current.text) {
                if let d = parseDeclaration(inGroup: true) { body.append(d) }
            } else if current.kind == .identifier, Parser.propertyKeywords.contains(current.text), current.text != "item" {
                if let p = parseProperty() { properties.append(p) }
            } else {
                expected("a property or a declaration")
                recover(stoppingAt: Parser.bodyStops)
            }
        }
        _ = expect(.rbrace, "'}' to close the block")
        return (properties, body)
    }

    /// Enters one more level of blocks; past the limit reports E0102 and skips the block.
    mutating func enterNesting() -> Bool {
        nesting += 1
        if nesting > Parser.maxNesting {
            diagnostics.append(Messages.nestingTooDeep(currentRange))
            nesting -= 1
            var depth = 1
            while !atEnd, depth > 0 {
                if current.kind == .lbrace { depth += 1 }
                if current.kind == .rbrace { depth -= 1 }
                advance()
            }
            return false
        }
        return true
    }

    mutating func parseSection() -> Decl? {
        advance()
        guard let name = expectIdent("the section's name") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        let (properties, body) = parseGroupBody()
        return .section(SectionDecl(name: name, properties: properties, body: body))
    }

    mutating func parseRoster() -> Decl? {
        advance()
        guard let name = expectIdent("the roster's name") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        var roster = RosterDecl(name: name, count: nil, maxRows: nil, properties: [], body: [])
        while current.kind == .identifier {
            if eatKeyword("count") != nil {
                roster.count = parseExpression()
            } else if let m = eatKeyword("max") {
                roster.maxRows = expectInteger("the most rows (a whole number)")?.0
                roster.maxRange = range(from: m.start)
            } else {
                break
            }
        }
        (roster.properties, roster.body) = parseGroupBody()
        return .roster(roster)
    }

    /// Parses `NAME TYPE` after a `question` or `grid` keyword; recovers and returns nil on error.
    private mutating func parseNameAndType(_ what: String) -> (name: Ident, type: TypeAST, typeRange: SourceRange)? {
        advance()
        guard let name = expectIdent(what) else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        let typeStart = current.start
        guard let type = parseType() else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        return (name, type, range(from: typeStart))
    }

    mutating func parseQuestion() -> Decl? {
        guard let (name, type, typeRange) = parseNameAndType("the question's name") else { return nil }
        let properties = current.kind == .lbrace ? parsePropertyBlock() : []
        return .question(QuestionDecl(name: name, type: type, typeRange: typeRange, properties: properties))
    }

    mutating func parseGrid() -> Decl? {
        guard let (name, type, typeRange) = parseNameAndType("the grid's name") else { return nil }
        var grid = GridDecl(name: name, type: type, typeRange: typeRange, properties: [], items: [])
        guard expect(.lbrace, "'{' to open the grid") != nil else { return .grid(grid) }
        while !atEnd, current.kind != .rbrace {
            if let itemToken = eatKeyword("item") {
                guard let itemName = expectIdent("the item's variable name") else {
                    recover(stoppingAt: Parser.propertyKeywords)
                    continue
                }
                let text = parseText(after: range(of: itemToken), required: false)
                let props = current.kind == .lbrace ? parsePropertyBlock() : []
                grid.items.append(ItemDecl(name: itemName, text: text, properties: props))
            } else if current.kind == .identifier, Parser.propertyKeywords.contains(current.text) {
                if let p = parseProperty() { grid.properties.append(p) }
            } else {
                expected("a grid property or 'item'")
                recover(stoppingAt: Parser.propertyKeywords)
            }
        }
        _ = expect(.rbrace, "'}' to close the grid")
        return .grid(grid)
    }

    mutating func parseNote() -> Decl? {
        advance()
        guard let name = expectIdent("the note's name") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        let properties = current.kind == .lbrace ? parsePropertyBlock() : []
        return .note(NoteDecl(name: name, properties: properties))
    }

    mutating func parseCalculate() -> Decl? {
        advance()
        guard let name = expectIdent("the calculated variable's name") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        guard expect(.assign, "'=' and the expression") != nil else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        let expr = parseExpression()
        let properties = current.kind == .lbrace ? parsePropertyBlock() : []
        return .calculate(CalculateDecl(name: name, expr: expr, properties: properties))
    }

    mutating func parseEnd() -> Decl? {
        let start = advance().start
        if eatKeyword("outcome") == nil { expected("'outcome' and the outcome code") }
        guard let (code, _) = expectInteger("the outcome code (a whole number)") else {
            recover(stoppingAt: Parser.declarationKeywords)
            return nil
        }
        var condition: ExprAST? = nil
        if eatKeyword("if") != nil { condition = parseExpression() }
        let endRange = range(from: start)
        let properties = current.kind == .lbrace ? parsePropertyBlock() : []
        return .end(EndDecl(outcome: code, condition: condition, properties: properties, range: endRange))
    }

    /// Parses a question type: `single SET`, `integer 1..15`, `scale 0..10 SAT10`, …
    mutating func parseType() -> TypeAST? {
        guard current.kind == .identifier else {
            expected("a question type (single, multiple, yesno, integer, decimal, scale, text, date, time, datetime)")
            return nil
        }
        switch current.text {
        case "single":
            advance()
            return expectIdent("the answer set's name").map { .single($0) }
        case "multiple":
            advance()
            return expectIdent("the answer set's name").map { .multiple($0) }
        case "yesno":
            advance()
            return .yesno
        case "integer":
            advance()
            return .integer(parseRange())
        case "decimal":
            advance()
            return .decimal(parseRange())
        case "scale":
            advance()
            let r = parseRange()
            var labels: Ident? = nil
            if current.kind == .identifier, !Parser.bodyStops.contains(current.text) {
                let t = advance()
                labels = Ident(text: t.text, range: range(of: t))
            }
            return .scale(r, labels: labels)
        case "text":
            advance()
            return .text
        case "date":
            advance()
            return .date(parseRange())
        case "time":
            advance()
            return .time
        case "datetime":
            advance()
            return .datetime(parseRange())
        default:
            expected("a question type (single, multiple, yesno, integer, decimal, scale, text, date, time, datetime)")
            return nil
        }
    }

    /// An optional `LO..HI` where either side may be left out.
    mutating func parseRange() -> RangeAST? {
        let start = current.start
        var lower: ExprAST? = nil
        if current.kind != .dotdot {
            guard startsExpression else { return nil }
            lower = parseExpression()
        }
        guard eat(.dotdot) != nil else {
            expected("'..' between the lower and upper bound")
            return RangeAST(lower: lower, upper: nil, range: range(from: start))
        }
        var upper: ExprAST? = nil
        if startsExpression { upper = parseExpression() }
        return RangeAST(lower: lower, upper: upper, range: range(from: start))
    }

    /// Whether the current token can begin an expression (and is not a keyword of the body).
    var startsExpression: Bool {
        switch current.kind {
        case .integer, .decimal, .string, .date, .time, .datetime, .lparen, .minus: return true
        case .identifier: return !Parser.bodyStops.contains(current.text) || peek().kind == .lparen
        default: return false
        }
    }
}
