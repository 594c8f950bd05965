import SurveyModel

/// An aggregate (`count`, `sum`, …) whose per-row results the engine caches, so that changing
/// one row or adding a row costs O(1) instead of a pass over every row.
struct CachedAggregate: Sendable {
    var aggregate: Aggregate
    var roster: GroupID
    var body: Expr?
    /// The number of rosters around `roster`: the length of the parent rows of its instances.
    var parentDepth: Int
}

/// The cached per-row results of one aggregate at one roster instance, with running totals.
struct AggregateState: Sendable, Equatable {
    /// Per row (index row − 1): nil when the row does not count (absent or off route).
    var values: [Eval?] = []
    /// Rows whose result must be recomputed before the totals can be read.
    var dirty: Set<Int> = []
    var trueCount = 0
    var falseCount = 0
    var integerSum = 0
    var decimalRows = 0

    mutating func set(_ row: Int, _ new: Eval?) {
        if values.count < row { values += Array(repeating: nil, count: row - values.count) }
        account(values[row - 1], sign: -1)
        values[row - 1] = new
        account(new, sign: 1)
    }

    private mutating func account(_ e: Eval?, sign: Int) {
        guard let e else { return }
        switch e {
        case .value(.boolean(true)): trueCount += sign
        case .value(.boolean(false)): falseCount += sign
        case .value(.decimal): decimalRows += sign
        case .value(let v): if let i = Interview.integer(v) { integerSum &+= sign * i }
        case .missing: break
        }
    }

    /// The aggregate's result from the cached rows (the same as a full pass, in row order).
    func result(_ agg: Aggregate) -> Eval {
        switch agg {
        case .count: return .value(.integer(trueCount))
        case .any: return .value(.boolean(trueCount > 0))
        case .all: return .value(.boolean(falseCount == 0))
        case .sum:
            if decimalRows == 0 { return .value(.integer(integerSum)) }
            var acc = Eval.value(.integer(0))
            for case .value(let v)? in values {
                guard case .value(let a) = acc else { break }
                acc = Interview.arithmetic(.add, a, v)
            }
            return acc
        case .min, .max:
            var best: Value? = nil
            for case .value(let v)? in values {
                guard let b = best else {
                    best = v
                    continue
                }
                if let c = Interview.compare(v, b), agg == .min ? c < 0 : c > 0 { best = v }
            }
            return best.map { .value($0) } ?? .missing
        }
    }
}

extension Interview {
    /// The contribution of one row to an aggregate (nil when the row does not count).
    func aggregateContribution(_ a: CachedAggregate, rows: [Int]) -> Eval? {
        guard rosterRowOnRoute(a.roster, rows: rows) else { return nil }
        let scope = EvalScope(rows: rows)
        switch a.aggregate {
        case .count, .any, .all: return .value(.boolean(a.body.map { holds($0, scope) } ?? true))
        case .sum, .min, .max: return a.body.map { evaluate($0, scope) } ?? .missing
        }
    }

    /// The cached result of an aggregate expression at a scope, when the cache is current.
    func cachedAggregate(_ e: Expr, _ s: EvalScope) -> Eval? {
        guard let index = plan.aggregateIndex[e] else { return nil }
        let a = plan.aggregates[index]
        guard s.rows.count >= a.parentDepth else { return nil }
        let parent = Array(s.rows.prefix(a.parentDepth))
        guard let state = aggregateStates[index]?[parent], state.dirty.isEmpty,
            state.values.count == rowCount(of: a.roster, parentRows: parent)
        else { return nil }
        return state.result(a.aggregate)
    }

    /// Brings the caches of a rule's aggregates up to date before the rule is evaluated
    /// (in place: the per-row arrays are never copied).
    mutating func refreshAggregates(_ indexes: [Int], for inst: RuleInstance) {
        for index in indexes {
            let a = plan.aggregates[index]
            guard inst.rows.count >= a.parentDepth else { continue }
            let parent = Array(inst.rows.prefix(a.parentDepth))
            let n = rowCount(of: a.roster, parentRows: parent)
            let cached = aggregateStates[index]?[parent]
            let have = cached?.values.count ?? 0
            var dirty = cached?.dirty ?? []
            if cached == nil, n > 0 { dirty.formUnion(1...n) }
            if have < n { dirty.formUnion((have + 1)...n) }
            let updates = dirty.sorted().filter { $0 <= n }.map { ($0, aggregateContribution(a, rows: parent + [$0])) }
            modifyAggregate(index, parent) { state in
                if state.values.count > n {
                    for r in (n + 1)...state.values.count { state.set(r, nil) }
                    state.values.removeLast(state.values.count - n)
                }
                for (r, e) in updates { state.set(r, e) }
                state.dirty = []
            }
        }
    }

    private mutating func modifyAggregate(_ index: Int, _ parent: [Int], _ body: (inout AggregateState) -> Void) {
        body(&aggregateStates[index, default: [:]][parent, default: AggregateState()])
    }

    /// A variable changed at `rows`: marks the affected rows of the aggregates reading it.
    mutating func invalidateAggregates(reading name: VariableName, rows: [Int]) {
        for index in plan.aggregatesReading[name] ?? [] {
            let depth = plan.aggregates[index].parentDepth
            if rows.count > depth {
                let parent = Array(rows.prefix(depth))
                aggregateStates[index]?[parent]?.dirty.insert(rows[depth])
            } else {
                aggregateStates[index] = nil
            }
        }
    }

    /// Rows of a roster instance appeared or disappeared.
    mutating func invalidateAggregates(over roster: GroupID, parentRows: [Int], rows: ClosedRange<Int>) {
        for index in plan.aggregatesOver[roster] ?? [] {
            aggregateStates[index]?[parentRows]?.dirty.formUnion(rows)
        }
    }

    /// A roster's route changed as a whole: drops its aggregate caches.
    mutating func dropAggregates(over roster: GroupID) {
        for index in plan.aggregatesOver[roster] ?? [] { aggregateStates[index] = nil }
    }
}
