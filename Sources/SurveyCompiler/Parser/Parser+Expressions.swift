import SurveyDiagnostics
import SurveyModel

extension Parser {
    /// Parses an expression; never fails (a missing operand becomes `.missing`).
    mutating func parseExpression() -> ExprAST {
        parseOr()
    }

    private mutating func binary(_ op: BinaryOperator, _ l: ExprAST, _ r: ExprAST) -> ExprAST {
        let depth = max(l.depth, r.depth) + 1
        let whole = l.range.to(r.range)
        if depth > Parser.maxTreeDepth {
            if l.depth <= Parser.maxTreeDepth {
                diagnostics.append(Messages.nestingTooDeep(whole))
            }
            return ExprAST(kind: .missing, range: whole, depth: depth)
        }
        return ExprAST(kind: .binary(op, l, r), range: whole, depth: depth)
    }

    private mutating func parseOr() -> ExprAST {
        var l = parseAnd()
        while eatKeyword("or") != nil { l = binary(.or, l, parseAnd()) }
        return l
    }

    private mutating func parseAnd() -> ExprAST {
        var l = parseNot()
        while eatKeyword("and") != nil { l = binary(.and, l, parseNot()) }
        return l
    }

    private mutating func parseNot() -> ExprAST {
        guard isKeyword("not") else { return parseComparison() }
        let start = advance().start
        guard enterExpressionNesting() else { return ExprAST(kind: .missing, range: range(from: start)) }
        defer { nesting -= 1 }
        let operand = parseNot()
        return ExprAST(kind: .unary(.not, operand), range: range(from: start), depth: operand.depth + 1)
    }

    private mutating func comparisonOperator() -> BinaryOperator? {
        switch current.kind {
        case .eq: return .equal
        case .ne: return .notEqual
        case .lt: return .less
        case .le: return .lessOrEqual
        case .gt: return .greater
        case .ge: return .greaterOrEqual
        case .identifier where current.text == "in": return .in
        default: return nil
        }
    }

    private mutating func parseComparison() -> ExprAST {
        let l = parseAdditive()
        guard let op = comparisonOperator() else { return l }
        advance()
        let r = op == .in && current.kind == .lparen ? parseParenthesised(forceList: true) : parseAdditive()
        return binary(op, l, r)
    }

    private mutating func parseAdditive() -> ExprAST {
        var l = parseMultiplicative()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return l
            }
            advance()
            l = binary(op, l, parseMultiplicative())
        }
    }

    private mutating func parseMultiplicative() -> ExprAST {
        var l = parseUnary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            case .percent: op = .modulo
            default: return l
            }
            advance()
            l = binary(op, l, parseUnary())
        }
    }

    private mutating func parseUnary() -> ExprAST {
        guard current.kind == .minus else { return parsePrimary() }
        let start = advance().start
        guard enterExpressionNesting() else { return ExprAST(kind: .missing, range: range(from: start)) }
        defer { nesting -= 1 }
        let operand = parseUnary()
        // Fold a negative literal so `-8` is a constant.
        switch operand.kind {
        case .integer(let v): return ExprAST(kind: .integer(-v), range: range(from: start))
        case .decimal(let v, let p): return ExprAST(kind: .decimal(-v, places: p), range: range(from: start))
        default: return ExprAST(kind: .unary(.negate, operand), range: range(from: start), depth: operand.depth + 1)
        }
    }

    /// Enters one more level of parentheses or prefix operators; past the limit reports E0102
    /// and skips the rest of the operand.
    mutating func enterExpressionNesting() -> Bool {
        nesting += 1
        guard nesting > Parser.maxNesting else { return true }
        nesting -= 1
        diagnostics.append(Messages.nestingTooDeep(currentRange))
        skipOperand()
        return false
    }

    /// Skips prefix operators and one operand (a balanced parenthesised group, or one token).
    private mutating func skipOperand() {
        while current.kind == .minus || isKeyword("not") { advance() }
        guard current.kind == .lparen else {
            if !atEnd, current.kind != .rbrace, current.kind != .lbrace { advance() }
            return
        }
        var depth = 0
        repeat {
            switch current.kind {
            case .lparen: depth += 1
            case .rparen: depth -= 1
            case .eof, .lbrace, .rbrace: return
            default: break
            }
            advance()
        } while depth > 0
    }

    private mutating func parsePrimary() -> ExprAST {
        let t = current
        let r = range(of: t)
        switch t.kind {
        case .integer:
            advance()
            return ExprAST(kind: .integer(t.intValue), range: r)
        case .decimal:
            advance()
            return ExprAST(kind: .decimal(t.decimalValue, places: t.places), range: r)
        case .string:
            let (value, sr) = parseStrings()
            return ExprAST(kind: .string(value), range: sr)
        case .date:
            advance()
            // An invalid literal (`@2020-02-30`) was reported by the lexer: nothing more to check.
            return ExprAST(kind: t.dateValue.map(ExprKind.date) ?? .missing, range: r)
        case .time:
            advance()
            return ExprAST(kind: t.timeValue.map(ExprKind.time) ?? .missing, range: r)
        case .datetime:
            advance()
            return ExprAST(kind: t.dateTimeValue.map(ExprKind.datetime) ?? .missing, range: r)
        case .lparen:
            return parseParenthesised(forceList: false)
        case .identifier:
            return parseNameExpression()
        default:
            expected("an expression")
            if t.kind == .invalid { advance() }
            return ExprAST(kind: .missing, range: r)
        }
    }

    private mutating func parseNameExpression() -> ExprAST {
        let t = advance()
        let name = Ident(text: t.text, range: range(of: t))
        if current.kind == .lparen {
            guard enterExpressionNesting() else { return ExprAST(kind: .missing, range: range(from: t.start)) }
            defer { nesting -= 1 }
            advance()
            var args: [ExprAST] = []
            if current.kind != .rparen {
                repeat { args.append(parseExpression()) } while eat(.comma) != nil
            }
            _ = expect(.rparen, "')' to close the call")
            let depth = (args.map(\.depth).max() ?? 0) + 1
            return ExprAST(kind: .call(name, args), range: range(from: t.start), depth: depth)
        }
        if current.kind == .lbracket {
            guard enterExpressionNesting() else { return ExprAST(kind: .missing, range: range(from: t.start)) }
            defer { nesting -= 1 }
            advance()
            let index = parseExpression()
            _ = expect(.rbracket, "']' to close the row number")
            return ExprAST(kind: .index(name, index), range: range(from: t.start), depth: index.depth + 1)
        }
        return ExprAST(kind: .name(t.text), range: name.range)
    }

    /// `( e )` or `( e, e, … )`; a list is only meaningful on the right of `in`.
    private mutating func parseParenthesised(forceList: Bool) -> ExprAST {
        let start = current.start
        guard enterExpressionNesting() else { return ExprAST(kind: .missing, range: range(from: start)) }
        defer { nesting -= 1 }
        advance()
        var items: [ExprAST] = []
        if current.kind != .rparen || !forceList {
            let first = parseExpression()
            // A parenthesised expression (the usual case) makes no list.
            if !forceList, current.kind != .comma {
                _ = expect(.rparen, "')'")
                var inner = first
                inner.range = range(from: start)
                return inner
            }
            items.append(first)
            while eat(.comma) != nil { items.append(parseExpression()) }
        }
        _ = expect(.rparen, "')'")
        let depth = items.reduce(0) { max($0, $1.depth) } + 1
        return ExprAST(kind: .list(items), range: range(from: start), depth: depth)
    }
}
