import SurveyModel

// Missing values in expressions, definition format 2 and later (docs/language.md §8.4):
// three-valued logic, so that a missing input never silently becomes a value.
//
// - A comparison or `in` with a missing operand is missing (format 1: false).
// - `not` of missing is missing (format 1: true); `a and b` is false when either side is false,
//   otherwise missing when either is missing; `a or b` is true when either side is true,
//   otherwise missing when either is missing.
// - `if(c, a, b)` is missing when `c` is missing (format 1: `b`); `if(c, a, b, m)` gives `m` then.
// - A condition (`when`, checks, end rules, filters, `default … if`, the row condition of
//   `count`/`any`/`all`) still holds only when it is true.
//
// Definitions of format 1 keep the old rule, so interviews recorded on them replay as they were.

extension BinaryOperator {
    /// `+ - * / %`: missing in, missing out, under every format.
    var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo: true
        default: false
        }
    }
}

extension Interview {
    /// The truth of a boolean expression: nil when it is missing.
    func truth(_ e: Expr, _ s: EvalScope) -> Bool? {
        guard case .value(.boolean(let b)) = evaluate(e, s) else { return nil }
        return b
    }

    /// `not`, `and`, `or`, `in` and the comparisons under the three-valued rule.
    func threeValued(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ s: EvalScope) -> Eval {
        switch op {
        case .and:
            let l = truth(a, s)
            if l == false { return .value(.boolean(false)) }
            let r = truth(b, s)
            if r == false { return .value(.boolean(false)) }
            return l == nil || r == nil ? .missing : .value(.boolean(true))
        case .or:
            let l = truth(a, s)
            if l == true { return .value(.boolean(true)) }
            let r = truth(b, s)
            if r == true { return .value(.boolean(true)) }
            return l == nil || r == nil ? .missing : .value(.boolean(false))
        case .in:
            guard case .value(let l) = evaluate(a, s) else { return .missing }
            if case .list(let items) = b {
                var unknown = false
                for item in items {
                    guard case .value(let r) = evaluate(item, s) else {
                        unknown = true
                        continue
                    }
                    if Interview.compare(l, r) == 0 { return .value(.boolean(true)) }
                }
                return unknown ? .missing : .value(.boolean(false))
            }
            guard case .value(let right) = evaluate(b, s) else { return .missing }
            guard case .choices(let codes) = right, let code = Interview.integer(l) else { return .value(.boolean(false)) }
            return .value(.boolean(codes.contains(code)))
        default:
            guard case .value(let l) = evaluate(a, s), case .value(let r) = evaluate(b, s) else { return .missing }
            guard let c = Interview.compare(l, r) else { return .value(.boolean(false)) }
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
        }
    }

    /// `not a`: missing stays missing.
    func threeValuedNot(_ a: Expr, _ s: EvalScope) -> Eval {
        truth(a, s).map { .value(.boolean(!$0)) } ?? .missing
    }

    /// `if(c, a, b)` is missing when `c` is; `if(c, a, b, m)` says what it is then.
    func threeValuedIf(_ args: [Expr], _ s: EvalScope) -> Eval {
        guard args.count == 3 || args.count == 4 else { return .missing }
        switch truth(args[0], s) {
        case true?: return evaluate(args[1], s)
        case false?: return evaluate(args[2], s)
        case nil: return args.count == 4 ? evaluate(args[3], s) : .missing
        }
    }
}
