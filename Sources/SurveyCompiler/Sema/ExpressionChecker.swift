import SurveyDiagnostics
import SurveyModel

/// A checked expression: the lowered form and its static type.
struct Typed {
    var expr: Expr
    var type: SemType

    static func bad(_ e: Expr = .literal(.integer(0))) -> Typed { Typed(expr: e, type: .unknown) }
}

extension Analyzer {
    /// Checks an expression that must have one of `expected` types (or any type when empty).
    mutating func check(_ e: ExprAST, scope: ExprScope, expecting expected: [SemType] = [], role: String = "this expression") -> Typed {
        let t = checkExpr(e, scope: scope)
        if !expected.isEmpty, t.type != .unknown, !expected.contains(where: { compatible(t.type, $0) }) {
            let want = expected.map(\.description).joined(separator: " or ")
            report(Messages.typeMismatch("\(role) must be \(want), found \(t.type)", at: e.range))
            return Typed(expr: t.expr, type: .unknown)
        }
        return t
    }

    /// Checks a condition (`when`, `if`, a filter): it must be boolean.
    mutating func checkCondition(_ e: ExprAST, scope: ExprScope, role: String = "a condition") -> Expr {
        check(e, scope: scope, expecting: [.boolean], role: role).expr
    }

    /// Whether a value of type `a` can be used where `b` is expected.
    func compatible(_ a: SemType, _ b: SemType) -> Bool {
        if a == .unknown || b == .unknown || a == b { return true }
        if b == .decimal, a == .integer || a == .choice { return true }
        if b == .integer, a == .choice { return true }
        if b == .choice, a == .integer { return true }
        return false
    }

    mutating func checkExpr(_ e: ExprAST, scope: ExprScope) -> Typed {
        switch e.kind {
        case .integer(let v): return Typed(expr: .literal(.integer(v)), type: .integer)
        case .decimal(let v, _): return Typed(expr: .literal(.decimal(v)), type: .decimal)
        case .string(let s): return Typed(expr: .literal(.text(s)), type: .text)
        case .date(let d): return Typed(expr: .literal(.date(d)), type: .date)
        case .time(let t): return Typed(expr: .literal(.time(t)), type: .time)
        case .datetime(let t): return Typed(expr: .literal(.datetime(t)), type: .datetime)
        case .missing: return .bad()
        case .name(let n): return checkName(n, range: e.range, scope: scope)
        case .index(let name, let row): return checkIndex(name, row: row, scope: scope)
        case .unary(let op, let operand): return checkUnary(op, operand, range: e.range, scope: scope)
        case .binary(let op, let l, let r): return checkBinary(op, l, r, range: e.range, scope: scope)
        case .call(let fn, let args): return checkCall(fn, args, range: e.range, scope: scope)
        case .list(let items):
            var lowered: [Expr] = []
            for item in items {
                let t = checkExpr(item, scope: scope)
                listItemTypes[item.range.start] = t.type
                lowered.append(t.expr)
            }
            return Typed(expr: .list(lowered), type: .list)
        }
    }

    /// Looks up a variable for use at `scope`; reports undefined names and roster violations.
    mutating func resolveVariable(_ name: String, range: SourceRange, scope: ExprScope, rowAccess: Bool = false) -> VariableSymbol? {
        guard let v = variables[name] else {
            if let g = groups[name] {
                let hint = g.kind == .roster ? "; use count(\(name)) or another aggregate" : ""
                report(Messages.typeMismatch("'\(name)' is a \(g.kind.rawValue), not a variable\(hint)", at: range))
            } else {
                let suggestion = suggest(to: name, in: variableOrder)
                report(Messages.undefined("variable", name, at: range, suggestion: suggestion))
            }
            return nil
        }
        let needed = rowAccess ? Array(v.rosters.dropLast()) : v.rosters
        if !scope.rosters.starts(with: needed) {
            let roster = needed.first { !scope.rosters.contains($0) } ?? needed.last ?? ""
            report(Messages.outsideRoster(name, roster: roster, at: range))
        }
        noteRead(name, at: range)
        return v
    }

    /// The value type of a variable (inferring a calculation's type on demand).
    mutating func type(of v: VariableSymbol, at range: SourceRange) -> SemType {
        switch v.kind {
        case .note:
            report(Messages.typeMismatch("'\(v.name)' is a note and has no value", at: range))
            return .unknown
        case .other: return .text
        case .question(let t): return Analyzer.valueType(of: t)
        case .calculation(let c):
            if let t = calcTypes[v.name] { return t }
            if inferring.contains(v.name) { return .unknown }
            inferring.insert(v.name)
            silent += 1
            let saved = reads
            let t = checkExpr(c.expr, scope: ExprScope(rosters: v.rosters)).type
            reads = saved
            silent -= 1
            inferring.remove(v.name)
            calcTypes[v.name] = t
            return t
        }
    }

    static func valueType(of t: TypeAST) -> SemType {
        switch t {
        case .single, .yesno: .choice
        case .multiple: .choices
        case .integer, .scale: .integer
        case .decimal: .decimal
        case .text: .text
        case .date: .date
        case .time: .time
        case .datetime: .datetime
        }
    }

    private mutating func checkName(_ n: String, range: SourceRange, scope: ExprScope) -> Typed {
        if variables[n] == nil {
            if n == "row" {
                if scope.rosters.isEmpty { report(Messages.outOfContext("row", where: "inside a roster", at: range)) }
                return Typed(expr: .currentRow, type: .integer)
            }
            if n == "option" {
                if !scope.allowsOption { report(Messages.outOfContext("option", where: "in a choice 'filter'", at: range)) }
                return Typed(expr: .option, type: .choice)
            }
        }
        guard let v = resolveVariable(n, range: range, scope: scope) else { return .bad(.variable(VariableName(n))) }
        return Typed(expr: .variable(VariableName(n)), type: type(of: v, at: range))
    }

    private mutating func checkIndex(_ name: Ident, row: ExprAST, scope: ExprScope) -> Typed {
        let index = check(row, scope: scope, expecting: [.integer], role: "a row number")
        guard let v = resolveVariable(name.text, range: name.range, scope: scope, rowAccess: true) else {
            return .bad()
        }
        otherRowReads.insert("\(name.range.file.path):\(name.range.start)")
        if v.rosters.isEmpty {
            report(Messages.typeMismatch("'\(name.text)' is not in a roster, so it has no rows", at: name.range))
            return .bad()
        }
        return Typed(expr: .rowVariable(VariableName(name.text), row: index.expr), type: type(of: v, at: name.range))
    }

    private mutating func checkUnary(_ op: UnaryOperator, _ operand: ExprAST, range: SourceRange, scope: ExprScope) -> Typed {
        switch op {
        case .not:
            let t = check(operand, scope: scope, expecting: [.boolean], role: "the operand of 'not'")
            return Typed(expr: .unary(.not, t.expr), type: .boolean)
        case .negate:
            let t = checkExpr(operand, scope: scope)
            guard t.type.isNumeric else {
                report(Messages.typeMismatch("'-' needs a number, found \(t.type)", at: range))
                return .bad()
            }
            return Typed(expr: .unary(.negate, t.expr), type: t.type == .decimal ? .decimal : t.type == .unknown ? .unknown : .integer)
        }
    }

    /// Integer, or decimal when either side is decimal.
    private func numericResult(_ a: SemType, _ b: SemType) -> SemType {
        if a == .unknown || b == .unknown { return .unknown }
        return a == .decimal || b == .decimal ? .decimal : .integer
    }

    private mutating func checkBinary(_ op: BinaryOperator, _ l: ExprAST, _ r: ExprAST, range: SourceRange, scope: ExprScope) -> Typed {
        let a = checkExpr(l, scope: scope)
        let b = checkExpr(r, scope: scope)
        let expr = Expr.binary(op, a.expr, b.expr)
        func mismatch(_ what: String) -> Typed {
            report(Messages.typeMismatch("'\(op.rawValue)' \(what), found \(a.type) and \(b.type)", at: range))
            return Typed(expr: expr, type: .unknown)
        }
        if a.type == .list || (b.type == .list && op != .in) {
            report(Messages.typeMismatch("a parenthesised list can only follow 'in'", at: a.type == .list ? l.range : r.range))
            return Typed(expr: expr, type: .unknown)
        }
        switch op {
        case .and, .or:
            for (t, side) in [(a, l), (b, r)] where !compatible(t.type, .boolean) {
                report(Messages.typeMismatch("'\(op.rawValue)' needs boolean operands, found \(t.type)", at: side.range))
            }
            return Typed(expr: expr, type: .boolean)
        case .add, .subtract:
            if a.type.isNumeric && b.type.isNumeric { return Typed(expr: expr, type: numericResult(a.type, b.type)) }
            if a.type == .date, compatible(b.type, .integer) { return Typed(expr: expr, type: .date) }
            if op == .add, b.type == .date, compatible(a.type, .integer) { return Typed(expr: expr, type: .date) }
            if op == .subtract, a.type == .date, b.type == .date { return Typed(expr: expr, type: .integer) }
            return mismatch("needs numbers (or a date and a number of days)")
        case .multiply, .modulo:
            guard a.type.isNumeric && b.type.isNumeric else { return mismatch("needs numbers") }
            return Typed(expr: expr, type: numericResult(a.type, b.type))
        case .divide:
            guard a.type.isNumeric && b.type.isNumeric else { return mismatch("needs numbers") }
            return Typed(expr: expr, type: .decimal)
        case .equal, .notEqual:
            guard comparable(a.type, b.type) else { return mismatch("compares values of different types") }
            return Typed(expr: expr, type: .boolean)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let ordered =
                (a.type.isNumeric && b.type.isNumeric)
                || (comparable(a.type, b.type) && [.date, .time, .datetime, .text, .unknown].contains(a.type))
            guard ordered else { return mismatch("needs two numbers, dates, times, dates and times, or texts") }
            return Typed(expr: expr, type: .boolean)
        case .in:
            return checkMembership(a, b, l: l, r: r, expr: expr)
        }
    }

    private func comparable(_ a: SemType, _ b: SemType) -> Bool {
        (a.isNumeric && b.isNumeric) || compatible(a, b) || compatible(b, a)
    }

    private mutating func checkMembership(_ a: Typed, _ b: Typed, l: ExprAST, r: ExprAST, expr: Expr) -> Typed {
        if b.type == .list {
            if case .list(let items) = r.kind {
                for item in items {
                    if let t = listItemTypes[item.range.start], !comparable(a.type, t) {
                        report(Messages.typeMismatch("this list item is \(t), but the left side of 'in' is \(a.type)", at: item.range))
                    }
                }
            }
            return Typed(expr: expr, type: .boolean)
        }
        if b.type == .choices || b.type == .unknown {
            if !compatible(a.type, .integer) {
                report(Messages.typeMismatch("the left side of 'in' must be a code (a whole number), found \(a.type)", at: l.range))
            }
            return Typed(expr: expr, type: .boolean)
        }
        report(
            Messages.typeMismatch("the right side of 'in' must be a multiple choice or a list such as (1, 2), found \(b.type)", at: r.range)
        )
        return Typed(expr: expr, type: .unknown)
    }
}
