import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Checks and lowers the `targets` block (nil when there is none).
    mutating func lowerTargets(outcome: OutcomeSpec?) -> FieldworkTargets? {
        guard let decl = targetDecls.first else { return nil }
        for extra in targetDecls.dropFirst() { report(Messages.targetsTwice(at: extra.keyword, first: decl.keyword)) }
        for r in decl.repeated { report(Messages.propertyTwice(r.keyword, at: r.range, first: r.first)) }
        var targets = FieldworkTargets()
        if let p = decl.period {
            if p.last < p.first { report(Messages.boundsOrder(p.range)) } else { targets.period = DateRange(first: p.first, last: p.last) }
        }
        targets.total = positive(decl.total, "the total")
        targets.speederMinutes = positive(decl.speeder, "the speeder limit")
        if let h = decl.hours {
            if h.to <= h.from { report(Messages.boundsOrder(h.range)) } else { targets.workingHours = TimeRange(from: h.from, to: h.to) }
        }
        targets.dispositions = lowerDispositions(decl, outcome: outcome)
        targets.scope = decl.scope.flatMap { lowerScope($0) }
        targets.visitRules = decl.visitRules.flatMap { lowerVisitRules($0, outcome: outcome) }
        targets.quotas = decl.quotas.compactMap { lowerQuota($0, total: targets.total) }
        return targets
    }

    /// Checks a `where` condition: boolean, over top-level answers only (the report evaluates
    /// it on each interview's cleaned answers, without rosters, clock or visits).
    private mutating func lowerScope(_ s: ScopeAST) -> TargetScope? {
        let saved = beginRule()
        let condition = checkCondition(s.condition, scope: .topLevel, role: "a targets condition")
        reads = saved
        let leftOut = lowerText(s.leftOut, what: "the 'else' label of 'where'", at: s.range, scope: .topLevel, required: false)
        if let why = Analyzer.unscopable(condition) {
            report(Messages.badScope(why, at: s.condition.range))
            return nil
        }
        return TargetScope(condition: condition, text: s.text, leftOut: leftOut)
    }

    /// Why a condition cannot limit targets (it needs more than an interview's top-level
    /// answers), or nil when it can.
    static func unscopable(_ e: Expr) -> String? {
        switch e {
        case .literal, .variable, .option, .list: return nil
        case .currentRow, .rowVariable: return "it reads roster rows"
        case .aggregate: return "it aggregates over roster rows"
        case .unary(_, let a): return unscopable(a)
        case .binary(_, let a, let b): return unscopable(a) ?? unscopable(b)
        case .call(let fn, let args):
            if fn.readsClock { return "'\(fn.rawValue)()' depends on when the interview was worked on" }
            if fn == .complete || fn == .preloaded { return "'\(fn.rawValue)' depends on the interview's course" }
            return args.lazy.compactMap(unscopable).first
        }
    }

    /// A count that must be above zero; reports and drops anything else.
    private mutating func positive(_ n: IntAST?, _ what: String) -> Int? {
        guard let n else { return nil }
        guard n.value > 0 else {
            report(Messages.badValue("\(what) must be a whole number above 0, found \(n.value)", at: n.range))
            return nil
        }
        return n.value
    }

    /// The outcome variable's answer set name and codes, if it is a single choice.
    func outcomeCodes(_ outcome: OutcomeSpec) -> (set: String, codes: [Int])? {
        guard let v = variables[outcome.variable.rawValue], case .question(.single(let set)) = v.kind,
            let symbol = answerSets[set.text]
        else { return nil }
        return (set.text, symbol.set.options.map(\.code))
    }

    private mutating func lowerDispositions(_ decl: TargetsDecl, outcome: OutcomeSpec?) -> [OutcomeDisposition] {
        guard !decl.dispositions.isEmpty, let keyword = decl.outcomesKeyword else { return [] }
        guard let outcome else {
            report(
                Messages.badOutcomeCode(
                    "outcome classes need a visit-outcome variable", at: keyword,
                    help: "declare it in the survey header, e.g. 'outcome outcome complete 11'"))
            return []
        }
        guard let (set, codes) = outcomeCodes(outcome) else { return [] }
        var out: [OutcomeDisposition] = []
        var first: [Int: SourceRange] = [:]
        for line in decl.dispositions {
            for code in line.codes {
                guard codes.contains(code.value) else {
                    report(
                        Messages.badOutcomeCode(
                            "\(code.value) is not a code of '\(outcome.variable)' (answer set '\(set)')", at: code.range,
                            help: "its codes are \(codes.map(String.init).joined(separator: ", "))"))
                    continue
                }
                if let earlier = first[code.value] {
                    report(Messages.listedTwice("outcome code \(code.value)", at: code.range, first: earlier))
                    continue
                }
                first[code.value] = code.range
                out.append(OutcomeDisposition(code: code.value, disposition: line.disposition))
            }
        }
        let missing = codes.filter { first[$0] == nil }
        if !missing.isEmpty { report(Messages.outcomeWithoutClass(missing, set: set, at: keyword)) }
        return out
    }

    /// What a quota variable may hold: its codes when it has an answer set, or whether it is text.
    private enum QuotaDomain {
        case codes(set: String, [Int])
        case numbers
        case text
    }

    /// Resolves a quota variable: defined, outside rosters, and single-valued categorical — or,
    /// for a one-variable `monitor` (`breakdownOnly`), a multiple choice, each code its own cell.
    private mutating func quotaDomain(_ name: Ident, breakdownOnly: Bool) -> QuotaDomain? {
        guard let v = variables[name.text] else {
            report(Messages.undefined("variable", name.text, at: name.range, suggestion: suggest(to: name.text, in: variableOrder)))
            return nil
        }
        if let roster = v.rosters.last {
            report(Messages.outsideRoster(name.text, roster: roster, at: name.range))
            return nil
        }
        switch v.kind {
        case .question(.single(let set)):
            return answerSets[set.text].map { .codes(set: set.text, $0.set.options.map(\.code)) } ?? .numbers
        case .question(.yesno): return .codes(set: "YESNO", [1, 0])
        case .question(.multiple(let set)) where breakdownOnly:
            return answerSets[set.text].map { .codes(set: set.text, $0.set.options.map(\.code)) } ?? .numbers
        default: break
        }
        switch type(of: v, at: name.range) {
        case .integer, .choice, .boolean, .unknown: return .numbers
        case .text: return .text
        case let t:
            report(
                Messages.typeMismatch(
                    "a quota variable must be a single choice, an integer or a text (a multiple choice only in a one-variable 'monitor'); '\(name.text)' is \(t)",
                    at: name.range))
            return nil
        }
    }

    private mutating func lowerQuota(_ q: QuotaAST, total: Int?) -> Quota? {
        let names = q.variables.map(\.text)
        let domains = q.variables.map { quotaDomain($0, breakdownOnly: q.monitorOnly && q.variables.count == 1) }
        var quota = Quota(name: names.joined(separator: " × "), variables: names.map(VariableName.init))
        quota.scope = q.scope.flatMap { lowerScope($0) }
        if let each = q.each { quota.each = quotaTarget(each, monitorOnly: q.monitorOnly) }
        var first: [[QuotaValue]: SourceRange] = [:]
        var badCells = false
        for cell in q.cells {
            guard let lowered = lowerCell(cell, quota: q, domains: domains) else {
                badCells = true
                continue
            }
            if let earlier = first[lowered.values] {
                report(
                    Messages.listedTwice("cell \(lowered.values.map(\.description).joined(separator: " "))", at: cell.range, first: earlier)
                )
                continue
            }
            first[lowered.values] = cell.range
            quota.cells.append(lowered)
        }
        if !q.monitorOnly, !quota.hasTargets, !badCells {
            report(
                Messages.badValue(
                    "quota '\(quota.name)' has no target; give its cells targets ('1 = 100') or 'each N', or write 'monitor'",
                    at: q.keyword))
        }
        if let total, quota.each == nil, !quota.cells.isEmpty, quota.cells.allSatisfy({ $0.target != nil }) {
            let sum = quota.cells.reduce(0) { $0 + ($1.target ?? 0) }
            if sum != total { report(Messages.quotaSum(quota.name, sum: sum, total: total, at: q.keyword)) }
        }
        return quota
    }

    /// A cell's or `each` target: 0 or more, and only in a `quota`; reports and gives nil otherwise.
    private mutating func quotaTarget(_ n: IntAST, monitorOnly: Bool) -> Int? {
        if monitorOnly {
            report(Messages.badValue("'monitor' shows a breakdown without targets; use 'quota' for targets", at: n.range))
            return nil
        }
        guard n.value >= 0 else {
            report(Messages.badValue("a target must be 0 or more, found \(n.value)", at: n.range))
            return nil
        }
        return n.value
    }

    private mutating func lowerCell(_ cell: QuotaCellAST, quota q: QuotaAST, domains: [QuotaDomain?]) -> QuotaCell? {
        guard cell.values.count == q.variables.count else {
            report(Messages.cellArity(cell.values.count, variables: q.variables.map(\.text), at: cell.range))
            return nil
        }
        var ok = true
        for (value, (name, domain)) in zip(cell.values, zip(q.variables, domains)) {
            switch (value.value, domain) {
            case (_, nil): ok = false
            case (.code(let c), .codes(let set, let codes)?) where !codes.contains(c):
                report(Messages.badValue("\(c) is not a code of '\(name.text)' (answer set '\(set)')", at: value.range))
                ok = false
            case (.text, .codes?), (.text, .numbers?):
                report(Messages.typeMismatch("'\(name.text)' holds numbers; write this value without quotes", at: value.range))
                ok = false
            case (.code, .text?):
                report(Messages.typeMismatch("'\(name.text)' is a text; write this value in quotes", at: value.range))
                ok = false
            default: break
            }
        }
        if let t = cell.target, quotaTarget(t, monitorOnly: q.monitorOnly) == nil { ok = false }
        let label = lowerText(cell.label, what: "the cell's label", at: cell.range, scope: .topLevel, required: false)
        guard ok else { return nil }
        return QuotaCell(values: cell.values.map(\.value), target: cell.target?.value, label: label)
    }
}
