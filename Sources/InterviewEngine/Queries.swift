import SurveyModel

extension Interview {
    // MARK: Route and navigation

    /// Questions and notes on the current route, in interview order, roster rows expanded
    /// row by row (calculations are not shown, so they are not listed).
    public var route: [Address] {
        var out: [Address] = []
        walkRoute(0..<plan.steps.count, rows: [], into: &out)
        return out
    }

    private func walkRoute(_ range: Range<Int>, rows: [Int], into out: inout [Address]) {
        var i = range.lowerBound
        while i < range.upperBound {
            switch plan.steps[i] {
            case .question(let name, let listed):
                if listed {
                    let a = Address(name, rows: rows)
                    if isOnRoute(a) { out.append(a) }
                }
                i += 1
            case .group(let id, let isRoster, let end):
                guard let info = plan.groups[id], info.order < routeLimit, groupsOnRoute([id], rows: rows) else {
                    i = end
                    continue
                }
                guard isRoster else {
                    i += 1
                    continue
                }
                let n = rowCount(of: id, parentRows: rows)
                if n > 0 { for r in 1...n { walkRoute((i + 1)..<end, rows: rows + [r], into: &out) } }
                i = end
            }
        }
    }

    /// Open-ended rosters (rows added by the interviewer) that are on the current route, in
    /// interview order, with the rows of their enclosing rosters.
    public var openRosters: [RosterInstance] {
        var out: [RosterInstance] = []
        func walk(_ nodes: [Node], rows: [Int]) {
            for case .group(let g) in nodes {
                guard let info = plan.groups[g.id], info.order < routeLimit, groupsOnRoute([g.id], rows: rows) else {
                    continue
                }
                guard let spec = info.rosterSpec else {
                    walk(g.children, rows: rows)
                    continue
                }
                if spec.count == nil { out.append(RosterInstance(g.id, parentRows: rows)) }
                let n = rowCount(of: g.id, parentRows: rows)
                if n > 0 { for r in 1...n { walk(g.children, rows: rows + [r]) } }
            }
        }
        walk(plan.items, rows: [])
        return out
    }

    /// The allowed range of a numeric, date or scale question, its bounds evaluated now
    /// (nil where a bound is open or its expression is missing).
    public func range(at address: Address) -> (min: Value?, max: Value?) {
        guard let q = plan.variables[address.variable]?.question else { return (nil, nil) }
        let s = EvalScope(rows: address.rows)
        func bound(_ e: Expr?) -> Value? {
            guard let e, case .value(let v) = evaluate(e, s) else { return nil }
            return v
        }
        switch q.kind {
        case .integer(let lo, let hi), .decimal(let lo, let hi, _), .date(let lo, let hi), .datetime(let lo, let hi):
            return (bound(lo), bound(hi))
        case .scale(let lo, let hi, _): return (.integer(lo), .integer(hi))
        default: return (nil, nil)
        }
    }

    /// The question (or note, or calculation) of a variable.
    public func question(_ name: VariableName) -> Question? { plan.variables[name]?.question }

    /// The first on-route question without an answer: where the interview stands.
    public var current: Address? { nextUnanswered(after: nil) }

    /// The first on-route question (not a note) after `address` (or from the start) with no
    /// answer. The visit-outcome variable is skipped: the engine sets it when the interview ends.
    public func nextUnanswered(after address: Address? = nil) -> Address? {
        let r = route
        let start = address.flatMap { r.firstIndex(of: $0).map { $0 + 1 } } ?? 0
        let outcome = definition.outcome?.variable
        return r[start...].first {
            (answers[$0] == nil || isStale($0)) && plan.variables[$0.variable]?.isNote == false && $0.variable != outcome
        }
    }

    /// The route item after `address` (the first item when nil).
    public func next(after address: Address?) -> Address? {
        let r = route
        guard let address else { return r.first }
        guard let i = r.firstIndex(of: address) else {
            let order = plan.variables[address.variable]?.order ?? 0
            return r.first { (plan.variables[$0.variable]?.order ?? 0) > order }
        }
        return i + 1 < r.count ? r[i + 1] : nil
    }

    /// The route item before `address`.
    public func previous(before address: Address) -> Address? {
        let r = route
        guard let i = r.firstIndex(of: address) else {
            let order = plan.variables[address.variable]?.order ?? 0
            return r.last { (plan.variables[$0.variable]?.order ?? 0) < order }
        }
        return i > 0 ? r[i - 1] : nil
    }

    // MARK: Answers

    /// The stored answer at an address, on route or not (nil when never answered or cleared).
    public func answer(at address: Address) -> Answer? { answers[address] }

    /// The value a variable has for expressions: nil when missing (unanswered, off route, special).
    public func value(at address: Address) -> Value? {
        effectiveAnswer(address)?.value
    }

    /// Stored answers that are currently off route (kept, never exported), by address.
    public var offRouteAnswers: [Address: Answer] { answers.filter { !isOnRoute($0.key) } }

    /// On-route answers that fit and calculated values: what an export contains (a stale answer
    /// is left out, so it is exported as unanswered). When the interview
    /// ended by an end rule or by completing the route, the outcome variable gets that code
    /// unless the interviewer answered it.
    public var exportableAnswers: [Address: Answer] {
        var out = answers.filter { isOnRoute($0.key) && !isStale($0.key) }
        for (a, v) in calculated where isOnRoute(a) { out[a] = .value(v) }
        if let spec = definition.outcome, out[Address(spec.variable)] == nil, case .ended(let o?) = status {
            out[Address(spec.variable)] = .value(.choice(o))
        }
        return out
    }

    /// The proposed value of a question with a `default`, if its condition holds.
    public func defaultValue(at address: Address) -> Value? {
        guard let rule = plan.variables[address.variable]?.question.defaultValue else { return nil }
        let s = EvalScope(rows: address.rows)
        if let cond = rule.condition, !holds(cond, s) { return nil }
        guard case .value(let v) = evaluate(rule.value, s), let kind = plan.variables[address.variable]?.question.kind
        else { return nil }
        return Interview.normalize(v, for: kind) ?? v
    }

    // MARK: Options and texts

    /// The options offered at a choice question (or a scale's labelled points): filtered by the
    /// question's filter, in the interview's seeded order when it is randomised.
    public func options(at address: Address) -> [Option] {
        guard let q = plan.variables[address.variable]?.question else { return [] }
        switch q.kind {
        case .singleChoice(let spec), .multipleChoice(let spec, _, _):
            guard let set = plan.answerSets[spec.answerSet] else { return [] }
            var opts = set.options
            if spec.randomize { opts = OptionShuffle.shuffled(opts, seed: seed, at: address) }
            guard let filter = spec.filter else { return opts }
            return opts.filter { holds(filter, EvalScope(rows: address.rows, option: $0.code)) }
        case .scale(_, _, let labels?):
            return plan.answerSets[labels]?.options ?? []
        default:
            return []
        }
    }

    /// The option with this code if ``options(at:)`` offers it there (same rule, without building
    /// and shuffling the list: validating an answer asks only about the codes given).
    func offeredOption(_ code: Int, at address: Address) -> Option? {
        guard let q = plan.variables[address.variable]?.question else { return nil }
        switch q.kind {
        case .singleChoice(let spec), .multipleChoice(let spec, _, _):
            guard let option = plan.answerSets[spec.answerSet]?.option(code: code) else { return nil }
            if let filter = spec.filter, !holds(filter, EvalScope(rows: address.rows, option: code)) { return nil }
            return option
        case .scale(_, _, let labels?):
            return plan.answerSets[labels]?.option(code: code)
        default:
            return nil
        }
    }

    /// Renders a text in a language (falling back to the survey's languages), piping answers
    /// seen from `address`'s rows: choice labels in that language, other values plainly;
    /// `{x:code}` gives the raw code. An answer not given renders as `missing` (by default
    /// nothing; a form showing questions ahead of the interview's place passes a visible mark).
    public func render(
        _ text: LocalizedText, at address: Address? = nil, language: LanguageCode? = nil, missing: String = ""
    ) -> String {
        let lang = language ?? self.language
        guard let raw = text.text(in: lang, fallbacks: definition.languages) else { return "" }
        guard raw.contains("{") || raw.contains("}") else { return raw }
        let scope = EvalScope(rows: address?.rows ?? [])
        return TextTemplate.parse(raw).template.render { name, rawCode in
            guard let a = resolve(.variable(name), scope), let v = value(at: a) else { return missing }
            if rawCode { return Interview.display(v) }
            guard let q = plan.variables[name]?.question, let set = answerSet(of: q) else { return Interview.display(v) }
            func label(_ c: Int) -> String {
                set.option(code: c)?.label.text(in: lang, fallbacks: definition.languages) ?? String(c)
            }
            switch v {
            case .choice(let c): return label(c)
            case .choices(let cs): return cs.map(label).joined(separator: ", ")
            case .integer(let c): return set.option(code: c).map { _ in label(c) } ?? String(c)
            default: return Interview.display(v)
            }
        }
    }

    private func answerSet(of q: Question) -> AnswerSet? {
        switch q.kind {
        case .singleChoice(let s), .multipleChoice(let s, _, _): plan.answerSets[s.answerSet]
        case .scale(_, _, let l?): plan.answerSets[l]
        default: nil
        }
    }

    /// The piped row label of a roster row (`rowlabel`), or nil when the roster has none.
    public func rowLabel(_ roster: GroupID, rows: [Int], language: LanguageCode? = nil) -> String? {
        guard let label = plan.groups[roster]?.rosterSpec?.rowLabel else { return nil }
        let anchor = plan.groups[roster]?.members.first ?? VariableName(roster.rawValue)
        return render(label, at: Address(anchor, rows: rows), language: language)
    }

    // MARK: Checks and status

    /// Every check failing on the current route (errors and warnings, confirmed or not).
    public var failingChecks: [CheckFailure] {
        failing.filter { isCheckOnRoute($0) }.compactMap { checkFailure($0) }.sorted(by: Interview.checkOrder)
    }

    /// Failing soft checks the interviewer has not confirmed yet.
    public var openWarnings: [CheckFailure] {
        failingChecks.filter { $0.severity == .warning && $0.confirmation == nil }
    }

    /// Whether the interview goes on, and with which outcome it ended.
    public var status: InterviewProgress {
        guard let reason = endReason else { return .inProgress }
        switch reason {
        case .recorded: return .ended(outcome: recordedOutcome)
        case .endRule(let i, _): return .ended(outcome: plan.ends[i].rule.outcome)
        case .completed: return .ended(outcome: definition.outcome?.completeCode)
        }
    }

    /// Whether the condition of an end rule on the route holds: the interview ends at it once
    /// everything before it is answered. Unlike ``endReason`` it does not walk the route, so a
    /// front can ask it after every answer.
    public var endRuleHolds: Bool { !activeEnds.isEmpty }

    /// Why the interview ended: a recorded outcome, an end rule reached once everything before
    /// it is answered, or a finished route. Nil while in progress.
    public var endReason: EndReason? {
        if recordedOutcome != nil { return .recorded }
        let outcome = definition.outcome?.variable
        let unansweredRequired = route.contains { a in
            guard let q = plan.variables[a.variable]?.question else { return false }
            return (q.required && q.kind != .note && a.variable != outcome && answers[a] == nil) || isStale(a)
        }
        guard !unansweredRequired else { return nil }
        if let first = activeEnds.min(by: { plan.ends[endIndex($0)].order < plan.ends[endIndex($1)].order }) {
            let i = endIndex(first)
            return .endRule(index: i, message: plan.ends[i].rule.message)
        }
        return .completed
    }

    /// On-route required questions (not notes, not the outcome variable) without an answer, in
    /// route order: with ``failingChecks``, what must be settled before an interview is complete.
    public var unansweredRequired: [Address] {
        let outcome = definition.outcome?.variable
        return route.filter { a in
            guard let q = plan.variables[a.variable]?.question else { return false }
            return q.required && q.kind != .note && a.variable != outcome && answers[a] == nil
        }
    }

    /// Soft-check confirmations recorded so far, by check and rows.
    public var warningConfirmations: [CheckFailure] {
        confirmations.keys.compactMap { checkFailure($0) }.sorted(by: Interview.checkOrder)
    }

    /// Orders check failures by check name, then rows.
    static func checkOrder(_ a: CheckFailure, _ b: CheckFailure) -> Bool {
        a.check != b.check ? a.check < b.check : a.rows.lexicographicallyPrecedes(b.rows)
    }
}
