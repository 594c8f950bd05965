/// A type-checked expression of the questionnaire language, as stored in a compiled definition.
///
/// Semantics (implemented by the interview engine, documented in docs/language.md):
/// - A variable that is unanswered, off-route or holds a special answer is *missing*.
/// - Arithmetic and functions of a missing operand give missing (except the `answered`,
///   special-answer tests, `if` and the aggregates, which skip missing rows).
/// - A comparison or membership test with a missing operand is `false`; `not` of it is `true`.
/// - A condition (`when`, `if` of a check or an end rule, a choice filter) holds only when `true`.
public indirect enum Expr: Hashable, Sendable {
    /// A constant.
    case literal(Value)
    /// A variable; inside a roster, a roster variable means the current row (or the enclosing rows).
    case variable(VariableName)
    /// A roster variable in a given row of its innermost roster, e.g. `m_age[1]`; rows count from 1.
    case rowVariable(VariableName, row: Expr)
    /// The current row number (1-based) of the innermost roster around the expression: `row`.
    case currentRow
    /// The code of the option being filtered, inside a choice filter: `option`.
    case option
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// A built-in function call.
    case call(Function, [Expr])
    /// An aggregate over the rows of a roster (rows that exist and are on route).
    case aggregate(Aggregate, roster: GroupID, body: Expr?)
    /// A parenthesised list of values, only as the right side of `in`: `tenure in (2, 3)`.
    case list([Expr])
}

public enum UnaryOperator: String, Hashable, Sendable, Codable {
    case negate = "-"
    case not
}

public enum BinaryOperator: String, Hashable, Sendable, Codable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and, or
    /// Membership: `code in multi`, `x in (1, 2)`.
    case `in`
}

/// The built-in functions. Argument and result types are checked by the compiler.
public enum Function: String, Hashable, Sendable, Codable, CaseIterable {
    // Answers.
    /// `answered(x)`: x has a value or a special answer on the current route.
    case answered
    /// `is_dk(x)`, `is_refused(x)`, `is_special(x)`: special-answer tests.
    case isDontKnow = "is_dk", isRefused = "is_refused", isSpecial = "is_special"
    /// `selected(x)`: the number of codes ticked in a multiple-choice answer.
    case selected
    /// `preloaded(x)`: the value a `preload` question was given when the interview started.
    case preloaded
    /// `complete(section)`: every on-route required question of a section is answered.
    /// The argument is lowered to a text literal holding the group id.
    case complete
    // Logic and numbers.
    /// `if(c, a, b)`: a when c is true, else b.
    case `if`
    case min, max, abs
    /// `round(x)`, `round(x, places)`.
    case round
    case length
    // Dates and times.
    /// `today()`: the interview's current local date (passed in by the caller).
    case today
    /// `now_time()`: the current local time of day.
    case nowTime = "now_time"
    /// `elapsed_minutes()`: whole minutes since the interview started.
    case elapsedMinutes = "elapsed_minutes"
    case year, month, day
    /// `weekday(d)`: 1 = Monday … 7 = Sunday.
    case weekday
    /// `years_between(a, b)`: whole years from date a to date b (age); date-times count by their dates.
    case yearsBetween = "years_between"
    /// `days_between(a, b)`: b − a in days.
    case daysBetween = "days_between"
    /// `date(y, m, d)`, or `date(dt)`: the date of a date and time.
    case makeDate = "date"
    /// `now()`: the interview's current local date and time (`today()` at `now_time()`).
    case now
    /// `time(dt)`: the time of day of a date and time.
    case timeOfDay = "time"
    /// `datetime(d, t)`: a date at a time of day.
    case makeDateTime = "datetime"
    /// `hour(x)`, `minute(x)`: of a time or a date and time.
    case hour, minute
    /// `minutes_between(a, b)`: whole minutes from date-time a to date-time b.
    case minutesBetween = "minutes_between"
    // Visits: a visit is a local day on which the interview was worked on (its start counts).
    /// `visits()`: the number of visits so far.
    case visits
    /// `visit_start()`: when the latest visit began.
    case visitStart = "visit_start"
    /// `evening_or_weekend_visits(t)`: visits that began at or after time of day t, or on a
    /// Saturday or Sunday.
    case eveningOrWeekendVisits = "evening_or_weekend_visits"
}

extension Function {
    /// Whether the function reads the interview's clock, so rules calling it are re-evaluated
    /// whenever the clock moves.
    public var readsClock: Bool {
        switch self {
        case .today, .nowTime, .now, .elapsedMinutes, .visits, .visitStart, .eveningOrWeekendVisits: true
        default: false
        }
    }
}

/// Aggregates over roster rows.
public enum Aggregate: String, Hashable, Sendable, Codable, CaseIterable {
    /// `count(r)` rows; `count(r, cond)` rows where cond is true.
    case count
    /// `sum(r, expr)`, skipping missing.
    case sum
    /// `any(r, cond)`, `all(r, cond)`.
    case any, all
    /// `min(r, expr)`, `max(r, expr)` over rows (missing when no row has a value).
    case min, max
}

// MARK: - Codable
// Compact JSON: {"lit":V} {"var":"x"} {"var":"x","row":E} {"row":true} {"option":true}
// {"un":"not","arg":E} {"bin":"+","l":E,"r":E} {"fn":"today","args":[…]}
// {"agg":"count","roster":"mem","body":E} {"list":[…]}

private enum ExprKey: String, CodingKey {
    case lit, `var`, row, option, un, arg, bin, l, r, fn, args, agg, roster, body, list
}

extension Expr: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ExprKey.self)
        if let v = try c.decodeIfPresent(Value.self, forKey: .lit) {
            self = .literal(v)
        } else if let name = try c.decodeIfPresent(VariableName.self, forKey: .var) {
            if let row = try c.decodeIfPresent(Expr.self, forKey: .row) {
                self = .rowVariable(name, row: row)
            } else {
                self = .variable(name)
            }
        } else if c.contains(.row) {
            self = .currentRow
        } else if c.contains(.option) {
            self = .option
        } else if let op = try c.decodeIfPresent(UnaryOperator.self, forKey: .un) {
            self = .unary(op, try c.decode(Expr.self, forKey: .arg))
        } else if let op = try c.decodeIfPresent(BinaryOperator.self, forKey: .bin) {
            self = .binary(op, try c.decode(Expr.self, forKey: .l), try c.decode(Expr.self, forKey: .r))
        } else if let fn = try c.decodeIfPresent(Function.self, forKey: .fn) {
            self = .call(fn, try c.decode([Expr].self, forKey: .args))
        } else if let agg = try c.decodeIfPresent(Aggregate.self, forKey: .agg) {
            self = .aggregate(
                agg, roster: try c.decode(GroupID.self, forKey: .roster),
                body: try c.decodeIfPresent(Expr.self, forKey: .body))
        } else if let items = try c.decodeIfPresent([Expr].self, forKey: .list) {
            self = .list(items)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown expression form"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ExprKey.self)
        switch self {
        case .literal(let v): try c.encode(v, forKey: .lit)
        case .variable(let n): try c.encode(n, forKey: .var)
        case .rowVariable(let n, let row):
            try c.encode(n, forKey: .var)
            try c.encode(row, forKey: .row)
        case .currentRow: try c.encode(true, forKey: .row)
        case .option: try c.encode(true, forKey: .option)
        case .unary(let op, let e):
            try c.encode(op, forKey: .un)
            try c.encode(e, forKey: .arg)
        case .binary(let op, let l, let r):
            try c.encode(op, forKey: .bin)
            try c.encode(l, forKey: .l)
            try c.encode(r, forKey: .r)
        case .call(let fn, let args):
            try c.encode(fn, forKey: .fn)
            try c.encode(args, forKey: .args)
        case .aggregate(let agg, let roster, let body):
            try c.encode(agg, forKey: .agg)
            try c.encode(roster, forKey: .roster)
            try c.encodeIfPresent(body, forKey: .body)
        case .list(let items): try c.encode(items, forKey: .list)
        }
    }
}

extension Expr {
    /// Every variable this expression reads (with or without a row index), in first-seen order.
    public var referencedVariables: [VariableName] {
        var seen = Set<VariableName>()
        var out: [VariableName] = []
        func visit(_ e: Expr) {
            switch e {
            case .literal, .currentRow, .option: break
            case .variable(let n):
                if seen.insert(n).inserted { out.append(n) }
            case .rowVariable(let n, let row):
                if seen.insert(n).inserted { out.append(n) }
                visit(row)
            case .unary(_, let a): visit(a)
            case .binary(_, let a, let b):
                visit(a)
                visit(b)
            case .call(_, let args): args.forEach(visit)
            case .aggregate(_, _, let body): body.map(visit)
            case .list(let items): items.forEach(visit)
            }
        }
        visit(self)
        return out
    }

    /// Every roster this expression aggregates over.
    public var referencedRosters: [GroupID] {
        var out: [GroupID] = []
        func visit(_ e: Expr) {
            switch e {
            case .aggregate(_, let roster, let body):
                if !out.contains(roster) { out.append(roster) }
                body.map(visit)
            case .rowVariable(_, let row): visit(row)
            case .unary(_, let a): visit(a)
            case .binary(_, let a, let b):
                visit(a)
                visit(b)
            case .call(_, let args): args.forEach(visit)
            case .list(let items): items.forEach(visit)
            default: break
            }
        }
        visit(self)
        return out
    }
}
