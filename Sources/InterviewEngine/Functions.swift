import SurveyModel

extension Interview {
    /// Evaluates a built-in function; arithmetic ones give missing when an argument is missing.
    func call(_ fn: Function, _ args: [Expr], _ s: EvalScope) -> Eval {
        switch fn {
        case .answered, .isDontKnow, .isRefused, .isSpecial:
            let answer = args.first.flatMap { resolve($0, s) }.flatMap { effectiveAnswer($0) }
            let result: Bool =
                switch fn {
                case .answered: answer != nil
                case .isDontKnow: answer == .special(.dontKnow)
                case .isRefused: answer == .special(.refused)
                default: if case .special? = answer { true } else { false }
                }
            return .value(.boolean(result))
        case .complete:
            guard case .literal(.text(let g))? = args.first else { return .value(.boolean(false)) }
            return .value(.boolean(isComplete(GroupID(g), rows: s.rows)))
        case .if:
            if plan.missingPropagates { return threeValuedIf(args, s) }
            guard args.count == 3 else { return .missing }
            return holds(args[0], s) ? evaluate(args[1], s) : evaluate(args[2], s)
        case .preloaded:
            guard case .variable(let name)? = args.first, let v = preloadedValues[name] else { return .missing }
            return .value(v)
        case .today: return .value(.date(context.today))
        case .nowTime: return .value(.time(context.now))
        case .now: return .value(.datetime(LocalDateTime(date: context.today, time: context.now)))
        case .visits: return .value(.integer(visits.count))
        case .visitStart: return visits.last.map { .value(.datetime($0.start)) } ?? .missing
        case .eveningOrWeekendVisits:
            guard case .value(.time(let from))? = args.first.map({ evaluate($0, s) }) else { return .missing }
            return .value(.integer(visits.count { $0.isEveningOrWeekend(from: from) }))
        case .elapsedMinutes: return .value(.integer(context.elapsedMinutes))
        default: break
        }
        var values: [Value] = []
        for a in args {
            guard case .value(let v) = evaluate(a, s) else { return .missing }
            values.append(v)
        }
        return Interview.pure(fn, values)
    }

    /// Functions of present values only.
    static func pure(_ fn: Function, _ v: [Value]) -> Eval {
        /// A date, or the date part of a date and time.
        func date(_ i: Int) -> LocalDate? {
            guard i < v.count else { return nil }
            switch v[i] {
            case .date(let d): return d
            case .datetime(let t): return t.date
            default: return nil
            }
        }
        switch fn {
        case .selected:
            guard case .choices(let c)? = v.first else { return .missing }
            return .value(.integer(c.count))
        case .min, .max:
            guard var best = v.first else { return .missing }
            for x in v.dropFirst() {
                guard let c = compare(x, best) else { return .missing }
                if fn == .min ? c < 0 : c > 0 { best = x }
            }
            if v.contains(where: { if case .decimal = $0 { true } else { false } }), let d = double(best) {
                return .value(.decimal(d))
            }
            return .value(best)
        case .abs:
            guard let x = v.first else { return .missing }
            if case .decimal(let d) = x { return .value(.decimal(Swift.abs(d))) }
            return integer(x).map { .value(.integer(Swift.abs($0))) } ?? .missing
        case .round:
            guard let x = v.first.flatMap(double) else { return .missing }
            guard v.count > 1, let places = integer(v[1]) else { return .value(.integer(Int(x.rounded()))) }
            var scale = 1.0
            for _ in 0..<max(0, places) { scale *= 10 }
            return .value(.decimal((x * scale).rounded() / scale))
        case .length:
            guard case .text(let t)? = v.first else { return .missing }
            return .value(.integer(t.count))
        case .year, .month, .day, .weekday:
            guard let d = date(0) else { return .missing }
            let n =
                switch fn {
                case .year: d.year
                case .month: d.month
                case .day: d.day
                default: d.isoWeekday
                }
            return .value(.integer(n))
        case .yearsBetween:
            guard let a = date(0), let b = date(1) else { return .missing }
            var years = b.year - a.year
            if (b.month, b.day) < (a.month, a.day) { years -= 1 }
            return .value(.integer(years))
        case .daysBetween:
            guard let a = date(0), let b = date(1) else { return .missing }
            return .value(.integer(b.daysSinceEpoch - a.daysSinceEpoch))
        case .makeDate where v.count == 1:
            return date(0).map { .value(.date($0)) } ?? .missing
        case .timeOfDay:
            guard case .datetime(let t)? = v.first else { return .missing }
            return .value(.time(t.time))
        case .makeDateTime:
            guard let d = date(0), v.count == 2, case .time(let t) = v[1] else { return .missing }
            return .value(.datetime(LocalDateTime(date: d, time: t)))
        case .hour, .minute:
            let minutes: Int
            switch v.first {
            case .time(let t)?: minutes = t.minutes
            case .datetime(let t)?: minutes = t.time.minutes
            default: return .missing
            }
            return .value(.integer(fn == .hour ? minutes / 60 : minutes % 60))
        case .minutesBetween:
            guard v.count == 2, case .datetime(let a) = v[0], case .datetime(let b) = v[1] else { return .missing }
            return .value(.integer((b.seconds - a.seconds) / 60))
        case .makeDate:
            guard v.count == 3, let y = integer(v[0]), let m = integer(v[1]), let d = integer(v[2]),
                (1...12).contains(m), d >= 1, d <= LocalDate.daysInMonth(year: y, month: m)
            else { return .missing }
            return .value(.date(LocalDate(year: y, month: m, day: d)))
        default:
            return .missing
        }
    }

    /// True when every on-route required question of the group instance is answered.
    func isComplete(_ group: GroupID, rows: [Int]) -> Bool {
        guard let info = plan.groups[group] else { return false }
        let outcome = definition.outcome?.variable
        for name in info.members {
            guard let v = plan.variables[name], v.question.required, !v.isCalculated, !v.isNote, name != outcome
            else { continue }
            if v.rosters.isEmpty {
                let a = Address(name)
                if isOnRoute(a), answers[a] == nil { return false }
                continue
            }
            var complete = true
            forEachRowPath(rules: v.rosterRules, prefix: Array(rows.prefix(v.rosters.count))) { path in
                let a = Address(name, rows: path)
                if complete, isOnRoute(a), answers[a] == nil { complete = false }
            }
            if !complete { return false }
        }
        return true
    }
}
