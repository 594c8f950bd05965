import SurveyModel

// Stale answers: a stored answer that no longer fits its question after an earlier answer it
// depends on changed (a choice filter, a range bound reading other answers, a roster count
// read by either). The question's rule (`RuleRef.question`) reads its condition and these
// expressions, so a change re-checks exactly the answers that depend on it, at the rows that
// share the change, through the same dependency graph as conditions and checks.
//
// A stale answer stays stored and is *missing* for expressions (so nothing downstream is
// computed from it), is where the route stands (`current`), blocks the end of the interview as
// a failing hard check does, and is never exported (the cleaner exports it as unanswered).

/// An answer that no longer fits its question, and why.
public struct StaleAnswer: Hashable, Sendable {
    public var address: Address
    public var answer: Answer
    /// What the stored answer breaks now (an option filtered out, a bound it is outside…).
    public var issues: [ValidationIssue]
}

extension Question {
    /// The expressions a stored answer is checked against again when they change: the choice
    /// filter and range bounds that are not plain literals. Empty: the answer always fits.
    var fitReads: [Expr] {
        func live(_ e: Expr?) -> Expr? {
            guard let e else { return nil }
            if case .literal = e { return nil }
            return e
        }
        switch kind {
        case .singleChoice(let spec), .multipleChoice(let spec, _, _): return [spec.filter].compactMap { $0 }
        case .integer(let lo, let hi), .decimal(let lo, let hi, _), .date(let lo, let hi): return [live(lo), live(hi)].compactMap { $0 }
        default: return []
        }
    }
}

extension Interview {
    /// Evaluates a question's rule: its condition (on or off route) and whether its stored answer
    /// still fits; either changing is a change of the variable's effective value.
    mutating func evaluateQuestion(_ name: VariableName, _ inst: RuleInstance, _ p: inout Propagation) {
        guard let info = plan.variables[name] else { return }
        var changed = false
        if let cond = info.question.condition {
            let holds = self.holds(cond, EvalScope(rows: inst.rows))
            changed = conditions.updateValue(holds, forKey: inst) != holds
        }
        let address = Address(name, rows: inst.rows)
        if plan.fitted.contains(name), refit(address, info.question, &p) { changed = true }
        if changed, answers[address] != nil { variableChanged(name, rows: inst.rows, &p) }
    }

    /// Checks a stored value against what its question allows now; true when it went from
    /// fitting to stale or back.
    private mutating func refit(_ address: Address, _ question: Question, _ p: inout Propagation) -> Bool {
        var issues: [ValidationIssue] = []
        if case .value(let v)? = answers[address] { issues = valueIssues(v, question, EvalScope(rows: address.rows), address) }
        let was = stale[address]
        if issues.isEmpty {
            guard was != nil else { return false }
            stale[address] = nil
            p.effects.append(.answerFitsAgain(address))
            return true
        }
        guard was != issues else { return false }
        stale[address] = issues
        p.effects.append(.answerNoLongerFits(address, issues))
        return was == nil
    }

    /// Why the stored answer at an on-route address no longer fits; nil when it fits (or there
    /// is none, or it is off route).
    public func staleIssues(at address: Address) -> [ValidationIssue]? {
        guard !stale.isEmpty, let issues = stale[address], isOnRoute(address) else { return nil }
        return issues
    }

    /// Stale answers on the route, in route order: with failing hard checks and unanswered
    /// required questions, what must be settled before the interview ends.
    public var staleAnswers: [StaleAnswer] {
        guard !stale.isEmpty else { return [] }
        return route.compactMap { a in
            guard let issues = stale[a], let answer = answers[a] else { return nil }
            return StaleAnswer(address: a, answer: answer, issues: issues)
        }
    }

    /// True when the stored answer at an address is stale (on route or not).
    func isStale(_ address: Address) -> Bool { !stale.isEmpty && stale[address] != nil }
}
