import SurveyModel

/// The rows an expression is evaluated at, and the option code inside a choice filter.
struct EvalScope {
    var rows: [Int]
    var option: Int? = nil
}

/// The result of an expression: a value or *missing* (docs/language.md §8.4).
enum Eval: Equatable, Sendable {
    case missing
    case value(Value)
}

extension Interview {
    /// True only when the expression evaluates to `true` (missing and false do not hold).
    func holds(_ e: Expr, _ s: EvalScope) -> Bool {
        // Under either rule for missing values, `a and b` is true only when both are and `a or b`
        // when either is: the other side is not evaluated once the answer is known. (Three-valued
        // `and` must look at `b` when `a` is missing, to tell false from missing; whether the
        // whole is true does not need it. A check `outcome == 11 and not complete(A)` costs a
        // look-up while `outcome` is unanswered instead of walking section A.)
        switch e {
        case .binary(.and, let a, let b): return holds(a, s) && holds(b, s)
        case .binary(.or, let a, let b): return holds(a, s) || holds(b, s)
        default: return evaluate(e, s) == .value(.boolean(true))
        }
    }

    func evaluate(_ e: Expr, _ s: EvalScope) -> Eval {
        switch e {
        case .literal(let v): return .value(v)
        case .variable, .rowVariable:
            guard let (a, info) = resolveWithInfo(e, s), case .value(let v)? = effectiveAnswer(a, info) else { return .missing }
            return .value(v)
        case .currentRow:
            guard let r = s.rows.last else { return .missing }
            return .value(.integer(r))
        case .option:
            guard let o = s.option else { return .missing }
            return .value(.choice(o))
        case .unary(.not, let a): return plan.missingPropagates ? threeValuedNot(a, s) : .value(.boolean(!holds(a, s)))
        case .unary(.negate, let a):
            switch evaluate(a, s) {
            case .value(.integer(let i)): return .value(.integer(-i))
            case .value(.decimal(let d)): return .value(.decimal(-d))
            default: return .missing
            }
        case .binary(let op, let a, let b): return binary(op, a, b, s)
        case .call(let fn, let args): return call(fn, args, s)
        case .aggregate(let agg, let roster, let body): return cachedAggregate(e, s) ?? aggregate(agg, roster, body, s)
        case .list: return .missing
        }
    }

    /// The address a variable expression names in a scope; nil when it cannot be resolved.
    func resolve(_ e: Expr, _ s: EvalScope) -> Address? {
        resolveWithInfo(e, s)?.address
    }

    /// ``resolve(_:_:)`` with the variable's plan entry (one look-up of its name for both).
    func resolveWithInfo(_ e: Expr, _ s: EvalScope) -> (address: Address, info: EnginePlan.VariableInfo)? {
        switch e {
        case .variable(let name):
            guard let info = plan.variables[name], s.rows.count >= info.rosters.count else { return nil }
            let depth = info.rosters.count
            return (Address(name, rows: depth == s.rows.count ? s.rows : Array(s.rows.prefix(depth))), info)
        case .rowVariable(let name, let rowExpr):
            guard let info = plan.variables[name], info.rosters.count >= 1, s.rows.count >= info.rosters.count - 1,
                case .value(let rv) = evaluate(rowExpr, s), let row = Interview.integer(rv)
            else { return nil }
            return (Address(name, rows: Array(s.rows.prefix(info.rosters.count - 1)) + [row]), info)
        default: return nil
        }
    }

    private func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ s: EvalScope) -> Eval {
        if plan.missingPropagates, !op.isArithmetic { return threeValued(op, a, b, s) }
        switch op {
        case .and: return .value(.boolean(holds(a, s) && holds(b, s)))
        case .or: return .value(.boolean(holds(a, s) || holds(b, s)))
        case .in:
            guard case .value(let l) = evaluate(a, s) else { return .value(.boolean(false)) }
            if case .list(let items) = b {
                let found = items.contains { item in
                    if case .value(let r) = evaluate(item, s) { return Interview.compare(l, r) == 0 }
                    return false
                }
                return .value(.boolean(found))
            }
            guard case .value(.choices(let codes)) = evaluate(b, s), let code = Interview.integer(l) else {
                return .value(.boolean(false))
            }
            return .value(.boolean(codes.contains(code)))
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard case .value(let l) = evaluate(a, s), case .value(let r) = evaluate(b, s),
                let c = Interview.compare(l, r)
            else { return .value(.boolean(false)) }
            let result: Bool =
                switch op {
                case .equal: c == 0
                case .notEqual: c != 0
                case .less: c < 0
                case .lessOrEqual: c <= 0
                case .greater: c > 0
                default: c >= 0
                }
            return .value(.boolean(result))
        case .add, .subtract, .multiply, .divide, .modulo:
            guard case .value(let l) = evaluate(a, s), case .value(let r) = evaluate(b, s) else { return .missing }
            return Interview.arithmetic(op, l, r)
        }
    }

    private func aggregate(_ agg: Aggregate, _ roster: GroupID, _ body: Expr?, _ s: EvalScope) -> Eval {
        guard let info = plan.groups[roster] else { return .missing }
        let prefix = Array(s.rows.prefix(info.enclosingRosters.count))
        var count = 0, any = false, all = true
        var values: [Value] = []
        forEachRowPath(rules: info.rowRules, prefix: prefix) { rows in
            guard rosterRowOnRoute(roster, rows: rows) else { return }
            let inner = EvalScope(rows: rows)
            switch agg {
            case .count: if body.map({ holds($0, inner) }) ?? true { count += 1 }
            case .any: if let body, holds(body, inner) { any = true }
            case .all: if let body, !holds(body, inner) { all = false }
            case .sum, .min, .max:
                if let body, case .value(let v) = evaluate(body, inner) { values.append(v) }
            }
        }
        switch agg {
        case .count: return .value(.integer(count))
        case .any: return .value(.boolean(any))
        case .all: return .value(.boolean(all))
        case .sum:
            return values.reduce(Eval.value(.integer(0))) { acc, v in
                guard case .value(let a) = acc else { return acc }
                return Interview.arithmetic(.add, a, v)
            }
        case .min, .max:
            guard var best = values.first else { return .missing }
            for v in values.dropFirst() {
                if let c = Interview.compare(v, best), agg == .min ? c < 0 : c > 0 { best = v }
            }
            return .value(best)
        }
    }
}

// MARK: - Value arithmetic

extension Interview {
    /// The integer in an integer or choice value.
    static func integer(_ v: Value) -> Int? {
        switch v {
        case .integer(let i), .choice(let i): i
        case .decimal(let d) where d == d.rounded() && abs(d) < 1e15: Int(d)
        default: nil
        }
    }

    static func double(_ v: Value) -> Double? {
        switch v {
        case .integer(let i), .choice(let i): Double(i)
        case .decimal(let d): d
        default: nil
        }
    }

    /// Orders two values of comparable types; nil when they cannot be compared.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.text(let x), .text(let y)): return cmp(x, y)
        case (.date(let x), .date(let y)): return cmp(x, y)
        case (.time(let x), .time(let y)): return cmp(x, y)
        case (.datetime(let x), .datetime(let y)): return cmp(x, y)
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.choices(let x), .choices(let y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        default:
            if case .decimal = a {
            } else if case .decimal = b {
            } else if let x = integer(a), let y = integer(b) {
                return cmp(x, y)
            }
            guard let x = double(a), let y = double(b) else { return nil }
            return cmp(x, y)
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ l: Value, _ r: Value) -> Eval {
        switch (l, r) {
        case (.date(let d), _) where op == .add || op == .subtract:
            if case .date(let e) = r, op == .subtract { return .value(.integer(d.daysSinceEpoch - e.daysSinceEpoch)) }
            guard let n = integer(r) else { return .missing }
            return .value(.date(d.adding(days: op == .add ? n : -n)))
        case (_, .date(let d)) where op == .add:
            guard let n = integer(l) else { return .missing }
            return .value(.date(d.adding(days: n)))
        default: break
        }
        let bothInt: Bool = {
            if case .decimal = l { return false }
            if case .decimal = r { return false }
            return integer(l) != nil && integer(r) != nil
        }()
        if bothInt, op != .divide, let x = integer(l), let y = integer(r) {
            switch op {
            case .add: return .value(.integer(x &+ y))
            case .subtract: return .value(.integer(x &- y))
            case .multiply: return .value(.integer(x &* y))
            default: return y == 0 ? .missing : .value(.integer(x % y))
            }
        }
        guard let x = double(l), let y = double(r) else { return .missing }
        switch op {
        case .add: return .value(.decimal(x + y))
        case .subtract: return .value(.decimal(x - y))
        case .multiply: return .value(.decimal(x * y))
        case .divide: return y == 0 ? .missing : .value(.decimal(x / y))
        default: return y == 0 ? .missing : .value(.decimal(x.truncatingRemainder(dividingBy: y)))
        }
    }

    /// Converts a computed value to a calculation's declared type where that is lossless.
    static func coerce(_ v: Value, to type: ValueType) -> Value {
        switch (v, type) {
        case (.integer(let i), .decimal): .decimal(Double(i))
        case (.decimal(let d), .integer) where d == d.rounded(): .integer(Int(d))
        case (.choice(let c), .integer): .integer(c)
        case (.integer(let i), .choice): .choice(i)
        default: v
        }
    }
}
