import SurveyModel

/// The work list of one event: rule instances to re-evaluate, smallest rank first.
struct Propagation {
    private var heap: [(rank: Int, seq: Int, instance: RuleInstance)] = []
    private var pending: InstanceSet
    private var seq = 0
    var effects: [Effect] = []
    /// Check instances evaluated during this event (for validation).
    var touchedChecks: [RuleInstance] = []
    /// A guard against a cyclic definition the compiler should have rejected.
    var steps = 0

    init(_ plan: EnginePlan) {
        pending = InstanceSet(rules: plan.rules.count)
    }

    mutating func push(_ instance: RuleInstance, rank: Int) {
        guard pending.insert(instance) else { return }
        seq += 1
        heap.append((rank, seq, instance))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Propagation.less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> RuleInstance? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, Propagation.less(heap[l], heap[m]) { m = l }
            if r < heap.count, Propagation.less(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        pending.remove(top.instance)
        return top.instance
    }

    private static func less(_ a: (rank: Int, seq: Int, instance: RuleInstance), _ b: (rank: Int, seq: Int, instance: RuleInstance)) -> Bool
    {
        a.rank != b.rank ? a.rank < b.rank : a.seq < b.seq
    }
}

extension Interview {
    /// The most rule evaluations one event may cause before the engine stops (cycle guard).
    static let maxSteps = 5_000_000

    func enqueue(_ instance: RuleInstance, _ p: inout Propagation) {
        p.push(instance, rank: plan.ruleInfo[instance.rule].rank)
    }

    /// Enqueues every existing instance of a rule (by index) whose rows start with `prefix`.
    func enqueueAll(_ rule: Int, prefix: [Int], _ p: inout Propagation) {
        enqueueAll(plan.ruleInfo[rule], prefix: prefix, &p)
    }

    /// ``enqueueAll(_:prefix:_:)`` with the rule's scope and rank at hand. A top-level rule has
    /// one instance; the row paths are walked over the row counts alone (a closure over the
    /// whole interview copied it on every call).
    func enqueueAll(_ info: EnginePlan.RuleInfo, prefix: [Int], _ p: inout Propagation) {
        guard !info.scope.isEmpty else { return p.push(RuleInstance(rule: info.index, rows: []), rank: info.rank) }
        Interview.forEachRowPath(info.scopeRules, prefix: prefix, rowCounts: rowCounts) {
            p.push(RuleInstance(rule: info.index, rows: $0), rank: info.rank)
        }
    }

    /// A variable's effective value changed at `rows` (a shorter prefix means: in every row under it).
    mutating func variableChanged(_ name: VariableName, rows: [Int], _ p: inout Propagation) {
        invalidateAggregates(reading: name, rows: rows)
        guard let readers = plan.readers[name] else { return }
        for reader in readers {
            let prefix = reader.whole || reader.sharedRows == 0 ? [] : Array(rows.prefix(reader.sharedRows))
            enqueueAll(reader.info, prefix: prefix, &p)
        }
    }

    /// Every variable inside a group instance changed (the group came on or went off route).
    mutating func membersChanged(_ group: GroupID, rows: [Int], _ p: inout Propagation) {
        guard let info = plan.groups[group] else { return }
        for v in info.members { variableChanged(v, rows: rows, &p) }
        for r in info.nestedRosters { rosterChanged(r, &p) }
        for i in info.ends { enqueueAll(plan.ends[i].ruleIndex, prefix: rows, &p) }
    }

    /// A roster's rows came on or went off route as a whole: its aggregates are recomputed.
    mutating func rosterChanged(_ roster: GroupID, _ p: inout Propagation) {
        dropAggregates(over: roster)
        rosterReaders(roster, &p)
    }

    func rosterReaders(_ roster: GroupID, _ p: inout Propagation) {
        for rule in plan.rosterDependents[roster] ?? [] { enqueueAll(rule, prefix: [], &p) }
    }

    /// Evaluates queued rule instances until nothing changes any more.
    mutating func run(_ p: inout Propagation) {
        while let instance = p.pop() {
            p.steps += 1
            if p.steps > Interview.maxSteps { break }
            evaluate(instance, &p)
        }
    }

    private mutating func evaluate(_ inst: RuleInstance, _ p: inout Propagation) {
        let info = plan.ruleInfo[inst.rule]
        guard rowsExist(rules: info.scopeRules, inst.rows) else { return }
        if !info.aggregates.isEmpty { refreshAggregates(info.aggregates, for: inst) }
        switch plan.rules[inst.rule] {
        case .question(let name):
            evaluateQuestion(name, inst, &p)
        case .calculation(let name):
            evaluateCalculation(name, inst, &p)
        case .group(let id):
            evaluateGroup(id, inst, &p)
        case .check(let id):
            evaluateCheck(id, inst, &p)
        case .end(let i):
            evaluateEnd(i, inst, &p)
        }
    }

    private mutating func evaluateCalculation(_ name: VariableName, _ inst: RuleInstance, _ p: inout Propagation) {
        // The plan entry, not a copy of its question (a copy retains every field of it).
        guard let info = plan.variables[name], case .calculated(let expr, let type) = info.question.kind else { return }
        let scope = EvalScope(rows: inst.rows)
        var on = true
        if let cond = info.question.condition {
            on = holds(cond, scope)
            conditions[inst] = on
        }
        var new: Value? = nil
        if on, case .value(let v) = evaluate(expr, scope) { new = Interview.coerce(v, to: type) }
        let address = Address(name, rows: inst.rows)
        if calculated[address] != new {
            calculated[address] = new
            variableChanged(name, rows: inst.rows, &p)
        }
    }

    private mutating func evaluateGroup(_ id: GroupID, _ inst: RuleInstance, _ p: inout Propagation) {
        guard let info = plan.groups[id] else { return }
        let scope = EvalScope(rows: inst.rows)
        if let cond = info.group.condition {
            let holds = self.holds(cond, scope)
            if conditions.updateValue(holds, forKey: inst) != holds {
                membersChanged(id, rows: inst.rows, &p)
                if info.rosterSpec != nil { rosterChanged(id, &p) }
            }
        }
        guard let spec = info.rosterSpec else { return }
        if let countExpr = spec.count {
            var n = 0
            if case .value(let v) = evaluate(countExpr, scope), let i = Interview.integer(v) { n = i }
            resize(inst, to: min(max(n, 0), spec.maxRows), &p)
        } else if rowCounts[inst] == nil {
            resize(inst, to: 0, &p)
        }
    }

    /// Sets a roster instance's row count; new rows get their rules evaluated, removed rows'
    /// answers stay stored (off route) and their readers are re-evaluated.
    mutating func resize(_ key: RuleInstance, to count: Int, _ p: inout Propagation) {
        guard case .group(let roster) = plan.rules[key.rule] else { return }
        let old = rowCounts[key]
        guard old != count else { return }
        rowCounts[key] = count
        let before = old ?? 0
        if old != nil || count > 0 {
            p.effects.append(.rosterResized(roster, parentRows: key.rows, rows: count))
        }
        if count != before {
            invalidateAggregates(over: roster, parentRows: key.rows, rows: min(count, before) + 1...max(count, before))
        }
        if count > before {
            for r in (before + 1)...count {
                let rows = key.rows + [r]
                for rule in plan.rulesByScope[roster] ?? [] { enqueue(RuleInstance(rule: rule, rows: rows), &p) }
                membersChanged(roster, rows: rows, &p)
            }
        } else if count < before {
            for r in (count + 1)...before { membersChanged(roster, rows: key.rows + [r], &p) }
        }
        rosterReaders(roster, &p)
    }

    private mutating func evaluateCheck(_ id: CheckID, _ inst: RuleInstance, _ p: inout Propagation) {
        guard let info = plan.checks[id] else { return }
        p.touchedChecks.append(inst)
        let fails = holds(info.check.condition, EvalScope(rows: inst.rows))
        if fails {
            if failing.insert(inst).inserted, let failure = checkFailure(inst), isCheckOnRoute(inst) {
                p.effects.append(.checkFailed(failure))
            }
        } else if failing.remove(inst) != nil {
            confirmations[inst] = nil
            p.effects.append(.checkPassed(id, rows: inst.rows))
        }
    }

    private mutating func evaluateEnd(_ i: Int, _ inst: RuleInstance, _ p: inout Propagation) {
        let end = plan.ends[i]
        let active =
            groupsOnRoute(end.ancestors, rows: inst.rows) && (end.rule.condition.map { holds($0, EvalScope(rows: inst.rows)) } ?? true)
        let changed = active ? activeEnds.insert(inst).inserted : activeEnds.remove(inst) != nil
        guard changed else { return }
        p.effects.append(active ? .endRuleActivated(outcome: end.rule.outcome) : .endRuleCleared(outcome: end.rule.outcome))
        let newLimit = activeEnds.map { plan.ends[endIndex($0)].order }.min() ?? .max
        guard newLimit != routeLimit else { return }
        let (lo, hi) = (min(newLimit, routeLimit), max(newLimit, routeLimit))
        routeLimit = newLimit
        for name in plan.variablesInOrder {
            guard let order = plan.variables[name]?.order, order > lo, order <= hi else { continue }
            variableChanged(name, rows: [], &p)
        }
        for other in plan.ends where other.order > lo && other.order <= hi {
            enqueueAll(other.ruleIndex, prefix: [], &p)
        }
        for roster in plan.aggregatesOver.keys.sorted() { rosterChanged(roster, &p) }
        for roster in plan.rosterDependents.keys.sorted() { rosterReaders(roster, &p) }
    }

    func endIndex(_ inst: RuleInstance) -> Int {
        if case .end(let i) = plan.rules[inst.rule] { return i }
        return 0
    }
}
