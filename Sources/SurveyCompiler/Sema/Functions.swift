import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    static let aggregateNames: Set<String> = ["count", "sum", "any", "all"]

    mutating func checkCall(_ fn: Ident, _ args: [ExprAST], range: SourceRange, scope: ExprScope) -> Typed {
        let name = fn.text
        if Analyzer.aggregateNames.contains(name) || ((name == "min" || name == "max") && isRosterArgument(args.first)) {
            return checkAggregate(fn, args, range: range, scope: scope)
        }
        guard let function = Function(rawValue: name) else {
            let known = Function.allCases.map(\.rawValue) + Array(Analyzer.aggregateNames)
            report(Messages.unknownFunction(name, at: fn.range, suggestion: suggest(to: name, in: known)))
            for a in args { _ = checkExpr(a, scope: scope) }
            return .bad()
        }
        func arity(_ n: ClosedRange<Int>, _ text: String) -> Bool {
            if n.contains(args.count) { return true }
            report(Messages.argumentCount(name, expected: text, got: args.count, at: range))
            for a in args { _ = checkExpr(a, scope: scope) }
            return false
        }
        func call(_ types: [SemType], result: SemType) -> Typed {
            let lowered = zip(args, types).map { check($0, scope: scope, expecting: [$1], role: "the argument of '\(name)'").expr }
            return Typed(expr: .call(function, lowered), type: result)
        }
        /// Each argument may be any of its listed types (a date or a date and time…).
        func callAny(_ first: [SemType], _ rest: [SemType]..., result: SemType) -> Typed {
            let lowered = zip(args, [first] + rest).map {
                check($0, scope: scope, expecting: $1, role: "the argument of '\(name)'").expr
            }
            return Typed(expr: .call(function, lowered), type: result)
        }
        switch function {
        case .answered, .isDontKnow, .isRefused, .isSpecial:
            guard arity(1...1, "one variable") else { return .bad() }
            return checkAnswerTest(function, args[0], scope: scope)
        case .preloaded:
            guard arity(1...1, "one variable") else { return .bad() }
            return checkPreloaded(args[0], scope: scope)
        case .selected:
            guard arity(1...1, "one multiple-choice variable") else { return .bad() }
            return call([.choices], result: .integer)
        case .complete:
            guard arity(1...1, "one section name") else { return .bad() }
            return checkComplete(args[0])
        case .if:
            let expected = "a condition, a value if true, a value if false and optionally a value if the condition is missing"
            guard arity(3...4, expected) else { return .bad() }
            let c = check(args[0], scope: scope, expecting: [.boolean], role: "the condition of 'if'")
            let values = args.dropFirst().map { checkExpr($0, scope: scope) }
            var type = unify(values[0], values[1], range: range, what: "the values of 'if'")
            if values.count == 3 { type = unify(Typed(expr: .option, type: type), values[2], range: range, what: "the values of 'if'") }
            return Typed(expr: .call(.if, [c.expr] + values.map(\.expr)), type: type)
        case .min, .max:
            guard arity(1...Int.max, "at least one value") else { return .bad() }
            let checked = args.map { checkExpr($0, scope: scope) }
            var result = checked[0].type
            for t in checked.dropFirst() {
                result = unify(Typed(expr: .option, type: result), t, range: range, what: "the values of '\(name)'")
            }
            if !(result.isNumeric || result == .date || result == .time) {
                report(Messages.typeMismatch("'\(name)' needs numbers, dates or times, found \(result)", at: range))
                result = .unknown
            }
            return Typed(expr: .call(function, checked.map(\.expr)), type: result == .choice ? .integer : result)
        case .abs:
            guard arity(1...1, "one number") else { return .bad() }
            let t = check(args[0], scope: scope, expecting: [.decimal], role: "the argument of 'abs'")
            return Typed(expr: .call(.abs, [t.expr]), type: t.type == .decimal ? .decimal : t.type == .unknown ? .unknown : .integer)
        case .round:
            guard arity(1...2, "a number and optionally the decimal places") else { return .bad() }
            return args.count == 1 ? call([.decimal], result: .integer) : call([.decimal, .integer], result: .decimal)
        case .length:
            guard arity(1...1, "one text") else { return .bad() }
            return call([.text], result: .integer)
        case .eveningOrWeekendVisits:
            guard arity(1...1, "the time of day evening visits begin, e.g. @17:00") else { return .bad() }
            return call([.time], result: .integer)
        case .today, .nowTime, .now, .elapsedMinutes, .visits, .visitStart:
            guard arity(0...0, "no arguments") else { return .bad() }
            let result: SemType =
                switch function {
                case .today: .date
                case .nowTime: .time
                case .now, .visitStart: .datetime
                default: .integer
                }
            return Typed(expr: .call(function, []), type: result)
        case .year, .month, .day, .weekday:
            guard arity(1...1, "one date (or date and time)") else { return .bad() }
            return callAny([.date, .datetime], result: .integer)
        case .yearsBetween, .daysBetween:
            guard arity(2...2, "two dates (or dates and times)") else { return .bad() }
            return callAny([.date, .datetime], [.date, .datetime], result: .integer)
        case .hour, .minute:
            guard arity(1...1, "one time (or date and time)") else { return .bad() }
            return callAny([.time, .datetime], result: .integer)
        case .minutesBetween:
            guard arity(2...2, "two dates and times") else { return .bad() }
            return call([.datetime, .datetime], result: .integer)
        case .timeOfDay:
            guard arity(1...1, "one date and time") else { return .bad() }
            return call([.datetime], result: .time)
        case .makeDateTime:
            guard arity(2...2, "a date and a time of day") else { return .bad() }
            return call([.date, .time], result: .datetime)
        case .makeDate:
            if args.count == 1 { return call([.datetime], result: .date) }
            guard arity(3...3, "a year, a month and a day, or one date and time") else { return .bad() }
            return call([.integer, .integer, .integer], result: .date)
        }
    }

    /// `complete(SECTION)`: reads every variable of the section.
    private mutating func checkComplete(_ arg: ExprAST) -> Typed {
        guard case .name(let section) = arg.kind, groups[section] != nil else {
            let n: String = if case .name(let s) = arg.kind { s } else { "" }
            report(Messages.undefined("section", n, at: arg.range, suggestion: suggest(to: n, in: groups.keys.sorted())))
            return .bad()
        }
        for member in groupMembers[section] ?? [] { noteRead(member, at: arg.range) }
        return Typed(expr: .call(.complete, [.literal(.text(section))]), type: .boolean)
    }

    /// `preloaded(x)`: the start value of a variable, of the variable's type.
    private mutating func checkPreloaded(_ arg: ExprAST, scope: ExprScope) -> Typed {
        guard case .name(let n) = arg.kind else {
            report(Messages.typeMismatch("'preloaded' takes a variable name", at: arg.range))
            return .bad()
        }
        guard let v = resolveVariable(n, range: arg.range, scope: scope) else { return .bad() }
        return Typed(expr: .call(.preloaded, [.variable(VariableName(n))]), type: type(of: v, at: arg.range))
    }

    private func isRosterArgument(_ e: ExprAST?) -> Bool {
        guard let e, case .name(let n) = e.kind else { return false }
        return variables[n] == nil && groups[n]?.kind == .roster
    }

    /// The common type of two values (integers widen to decimals), or reports a mismatch.
    mutating func unify(_ a: Typed, _ b: Typed, range: SourceRange, what: String) -> SemType {
        if a.type == .unknown { return b.type }
        if b.type == .unknown || a.type == b.type { return a.type }
        if a.type.isNumeric && b.type.isNumeric { return a.type == .decimal || b.type == .decimal ? .decimal : .integer }
        report(Messages.typeMismatch("\(what) must have the same type, found \(a.type) and \(b.type)", at: range))
        return .unknown
    }

    private mutating func checkAnswerTest(_ function: Function, _ arg: ExprAST, scope: ExprScope) -> Typed {
        switch arg.kind {
        case .name(let n):
            guard let v = resolveVariable(n, range: arg.range, scope: scope) else { return .bad() }
            if case .note = v.kind {
                report(Messages.typeMismatch("'\(n)' is a note and is never answered", at: arg.range))
            }
            return Typed(expr: .call(function, [.variable(VariableName(n))]), type: .boolean)
        case .index:
            let t = checkExpr(arg, scope: scope)
            return Typed(expr: .call(function, [t.expr]), type: .boolean)
        default:
            report(Messages.typeMismatch("'\(function.rawValue)' takes a variable name", at: arg.range))
            return .bad()
        }
    }

    private mutating func checkAggregate(_ fn: Ident, _ args: [ExprAST], range: SourceRange, scope: ExprScope) -> Typed {
        let name = fn.text
        let aggregate = Aggregate(rawValue: name) ?? .count
        let bodyRequired = aggregate != .count
        guard (bodyRequired ? 2...2 : 1...2).contains(args.count) else {
            let want = bodyRequired ? "a roster and an expression" : "a roster and optionally a condition"
            report(Messages.argumentCount(name, expected: want, got: args.count, at: range))
            return .bad()
        }
        guard case .name(let rosterName) = args[0].kind, let roster = groups[rosterName], roster.kind == .roster else {
            let n: String = if case .name(let s) = args[0].kind { s } else { "" }
            let rosters = groups.values.filter { $0.kind == .roster }.map(\.name).sorted()
            report(Messages.undefined("roster", n, at: args[0].range, suggestion: suggest(to: n, in: rosters)))
            return .bad()
        }
        if !scope.rosters.starts(with: roster.rosters) {
            report(Messages.outsideRoster(rosterName, roster: roster.rosters.last ?? rosterName, at: args[0].range))
        }
        for name in rosterRouteNames[rosterName] ?? [] where variables[name] != nil { noteRead(name, at: args[0].range) }
        let inner = ExprScope(rosters: roster.rosters + [rosterName], allowsOption: scope.allowsOption)
        guard args.count == 2 else {
            return Typed(expr: .aggregate(.count, roster: GroupID(rosterName), body: nil), type: .integer)
        }
        let result: SemType
        let body: Typed
        switch aggregate {
        case .count, .any, .all:
            body = check(args[1], scope: inner, expecting: [.boolean], role: "the condition of '\(name)'")
            result = aggregate == .count ? .integer : .boolean
        case .sum:
            body = check(args[1], scope: inner, expecting: [.decimal], role: "the summed expression")
            result = body.type == .decimal ? .decimal : body.type == .unknown ? .unknown : .integer
        case .min, .max:
            body = checkExpr(args[1], scope: inner)
            if !(body.type.isNumeric || body.type == .date || body.type == .time) {
                report(Messages.typeMismatch("'\(name)' needs numbers, dates or times, found \(body.type)", at: args[1].range))
            }
            result = body.type == .choice ? .integer : body.type
        }
        return Typed(expr: .aggregate(aggregate, roster: GroupID(rosterName), body: body.expr), type: result)
    }
}
