import SurveyModel

/// Builds an ``EnginePlan``: walks the tree once, then derives dependencies and ranks.
///
/// The dependency graph built here, from the expressions the engine evaluates, is the one
/// graph: the compiler ships none (compiled format 2). Piped texts, filters, bounds and
/// defaults are not edges: they are evaluated when asked for, never cached.
struct PlanBuilder {
    let definition: SurveyDefinition
    var variables: [VariableName: EnginePlan.VariableInfo] = [:]
    var variablesInOrder: [VariableName] = []
    var groups: [GroupID: EnginePlan.GroupDraft] = [:]
    var groupOrder: [GroupID] = []
    var ends: [EnginePlan.EndInfo] = []
    var checks: [CheckID: EnginePlan.CheckInfo] = [:]
    var checkOrder: [CheckID] = []
    var answerSets: [AnswerSetID: AnswerSet] = [:]
    var dependents: [VariableName: [RuleRef]] = [:]
    var wholeAccess: Set<RuleVariable> = []
    var rosterDependents: [GroupID: [RuleRef]] = [:]
    var clockRules: [RuleRef] = []
    var dateRules: [RuleRef] = []
    var allRules: [RuleRef] = []
    /// Every rule a node of the tree has (registered or not), by its index (``EnginePlan/rules``).
    var rules: [RuleRef] = []
    var aggregates: [CachedAggregate] = []
    var aggregateIndex: [Expr: Int] = [:]
    var aggregatesReading: [VariableName: [Int]] = [:]
    var aggregatesOver: [GroupID: [Int]] = [:]
    var ruleAggregates: [RuleRef: [Int]] = [:]
    /// Questions whose stored answer is checked again when what its filter or bounds read changes.
    var fitted: Set<VariableName> = []
    private var order = 0

    init(_ definition: SurveyDefinition) {
        self.definition = definition
        for set in definition.answerSets { answerSets[set.id] = set }
    }

    mutating func walk(_ nodes: [Node], ancestors: [GroupID], rosters: [GroupID]) {
        for node in nodes {
            order += 1
            switch node {
            case .question(let q):
                let gates = ancestors.compactMap { g in
                    groups[g].flatMap {
                        $0.group.condition == nil
                            ? nil : EnginePlan.RouteGate(group: g, rule: $0.rule, depth: $0.enclosingRosters.count)
                    }
                }
                let isCalculated = if case .calculated = q.kind { true } else { false }
                let rule = newRule(isCalculated ? .calculation(q.name) : .question(q.name))
                variables[q.name] = .init(
                    question: q, ancestors: ancestors, rosters: rosters, rosterRules: rosterRules(rosters), order: order,
                    rule: rule, gates: gates)
                variablesInOrder.append(q.name)
                for g in ancestors { groups[g]?.members.append(q.name) }
                for c in q.checks {
                    checks[c.id] = .init(check: c, owner: .question(q.name), scope: rosters, rule: newRule(.check(c.id)))
                    checkOrder.append(c.id)
                }
            case .group(let g):
                let isRoster = if case .roster = g.kind { true } else { false }
                groups[g.id] = .init(
                    group: g, ancestors: ancestors, enclosingRosters: rosters, order: order, members: [],
                    nestedRosters: [], ends: [], rule: newRule(.group(g.id)))
                groupOrder.append(g.id)
                if isRoster { for a in ancestors { groups[a]?.nestedRosters.append(g.id) } }
                let inner = isRoster ? rosters + [g.id] : rosters
                for c in g.checks {
                    checks[c.id] = .init(check: c, owner: .group(g.id), scope: inner, rule: newRule(.check(c.id)))
                    checkOrder.append(c.id)
                }
                walk(g.children, ancestors: ancestors + [g.id], rosters: inner)
            case .end(let rule):
                for g in ancestors { groups[g]?.ends.append(ends.count) }
                ends.append(
                    .init(rule: rule, ancestors: ancestors, rosters: rosters, order: order, ruleIndex: newRule(.end(ends.count))))
            }
        }
    }

    private mutating func newRule(_ rule: RuleRef) -> Int {
        rules.append(rule)
        return rules.count - 1
    }

    /// The rule indexes of rosters (their `.group` rules), in the same order.
    func rosterRules(_ rosters: [GroupID]) -> [Int] {
        rosters.map { groups[$0]?.rule ?? -1 }
    }

    func scope(of rule: RuleRef) -> [GroupID] {
        switch rule {
        case .question(let n), .calculation(let n): variables[n]?.rosters ?? []
        case .group(let g): groups[g]?.enclosingRosters ?? []
        case .check(let c): checks[c]?.scope ?? []
        case .end(let i): ends[i].rosters
        }
    }

    /// Registers every rule with the expressions it reads.
    mutating func collectRules() {
        for name in variablesInOrder {
            guard let info = variables[name] else { continue }
            let q = info.question
            if case .calculated(let expr, _) = q.kind {
                register(.calculation(name), reads: [q.condition, expr].compactMap { $0 })
            } else {
                let fit = q.fitReads
                if !fit.isEmpty { fitted.insert(name) }
                let reads = [q.condition].compactMap { $0 } + fit
                if !reads.isEmpty { register(.question(name), reads: reads) }
            }
        }
        for id in groupOrder {
            guard let g = groups[id]?.group else { continue }
            var reads: [Expr] = g.condition.map { [$0] } ?? []
            if case .roster(let spec) = g.kind, let count = spec.count { reads.append(count) }
            let isRoster = if case .roster = g.kind { true } else { false }
            if !reads.isEmpty || isRoster { register(.group(id), reads: reads) }
        }
        for id in checkOrder {
            guard let c = checks[id] else { continue }
            register(.check(id), reads: [c.check.condition])
        }
        for (i, end) in ends.enumerated() {
            register(.end(i), reads: end.rule.condition.map { [$0] } ?? [])
        }
    }

    private mutating func register(_ rule: RuleRef, reads: [Expr]) {
        allRules.append(rule)
        var reader = ExprReads()
        for e in reads { reader.visit(e, whole: false) }
        for (v, whole) in reader.variables {
            addDependent(rule, of: v)
            if whole { wholeAccess.insert(RuleVariable(rule: rule, variable: v)) }
        }
        for g in reader.completeGroups {
            for v in groups[GroupID(g)]?.members ?? [] {
                addDependent(rule, of: v)
                wholeAccess.insert(RuleVariable(rule: rule, variable: v))
            }
        }
        for r in reader.rosters where !(rosterDependents[r]?.contains(rule) ?? false) {
            rosterDependents[r, default: []].append(rule)
        }
        if reader.readsClock { clockRules.append(rule) }
        if reader.readsClock, !reader.readsTime { dateRules.append(rule) }
        for e in reads { collectAggregates(e, rule: rule) }
    }

    /// Registers the aggregates whose per-row results can be cached: bodies that read only
    /// their own row (no row index, nested aggregate, `complete` or clock).
    private mutating func collectAggregates(_ e: Expr, rule: RuleRef) {
        switch e {
        case .aggregate(let agg, let roster, let body):
            if let body { collectAggregates(body, rule: rule) }
            var reader = ExprReads()
            if let body { reader.visit(body, whole: false) }
            let nested = body.map { !$0.referencedRosters.isEmpty || $0.readsRowIndex } ?? false
            guard !nested, reader.completeGroups.isEmpty, !reader.readsClock, let info = groups[roster] else { return }
            let index: Int
            if let known = aggregateIndex[e] {
                index = known
            } else {
                index = aggregates.count
                aggregateIndex[e] = index
                aggregates.append(
                    CachedAggregate(
                        aggregate: agg, roster: roster, body: body, parentDepth: info.enclosingRosters.count))
                aggregatesOver[roster, default: []].append(index)
                for (v, _) in reader.variables { aggregatesReading[v, default: []].append(index) }
            }
            if !(ruleAggregates[rule]?.contains(index) ?? false) { ruleAggregates[rule, default: []].append(index) }
        case .unary(_, let a): collectAggregates(a, rule: rule)
        case .binary(_, let a, let b):
            collectAggregates(a, rule: rule)
            collectAggregates(b, rule: rule)
        case .call(_, let args): for a in args { collectAggregates(a, rule: rule) }
        case .rowVariable(_, let row): collectAggregates(row, rule: rule)
        case .list(let items): for i in items { collectAggregates(i, rule: rule) }
        case .literal, .variable, .currentRow, .option: break
        }
    }

    private mutating func addDependent(_ rule: RuleRef, of v: VariableName) {
        if !(dependents[v]?.contains(rule) ?? false) { dependents[v, default: []].append(rule) }
    }

    /// The variables whose effective value a rule's result changes.
    private func produces(_ rule: RuleRef) -> [VariableName] {
        switch rule {
        case .question(let n), .calculation(let n): [n]
        case .group(let g): groups[g]?.members ?? []
        case .check, .end: []
        }
    }

    /// A topological order of the rules (depth-first; the compiler guarantees no cycles, and a
    /// cycle would only cost extra passes, never a wrong fixpoint).
    func computeRanks() -> [RuleRef: Int] {
        var successors: [RuleRef: [RuleRef]] = [:]
        for rule in allRules {
            var next: [RuleRef] = []
            for v in produces(rule) { next += dependents[v] ?? [] }
            if case .group(let g) = rule {
                next += rosterDependents[g] ?? []
                for r in groups[g]?.nestedRosters ?? [] { next += rosterDependents[r] ?? [] }
            }
            successors[rule] = next
        }
        var state: [RuleRef: Bool] = [:]  // false: visiting, true: done
        var postorder: [RuleRef] = []
        for root in allRules where state[root] == nil {
            var stack: [(RuleRef, Int)] = [(root, 0)]
            state[root] = false
            while let (rule, i) = stack.popLast() {
                let next = successors[rule] ?? []
                if i < next.count {
                    stack.append((rule, i + 1))
                    let s = next[i]
                    if state[s] == nil {
                        state[s] = false
                        stack.append((s, 0))
                    }
                } else {
                    state[rule] = true
                    postorder.append(rule)
                }
            }
        }
        var rank: [RuleRef: Int] = [:]
        for (i, rule) in postorder.reversed().enumerated() {
            if case .end = rule { rank[rule] = allRules.count + i } else { rank[rule] = i }
        }
        return rank
    }
}

extension Expr {
    /// True when the expression reads another row (`x[i]`).
    var readsRowIndex: Bool {
        switch self {
        case .rowVariable: true
        case .unary(_, let a): a.readsRowIndex
        case .binary(_, let a, let b): a.readsRowIndex || b.readsRowIndex
        case .call(_, let args): args.contains { $0.readsRowIndex }
        case .aggregate(_, _, let body): body?.readsRowIndex ?? false
        case .list(let items): items.contains { $0.readsRowIndex }
        case .literal, .variable, .currentRow, .option: false
        }
    }
}

/// Collects what an expression reads: variables (and whether any row may matter), rosters
/// aggregated over, `complete(section)` arguments and clock functions.
struct ExprReads {
    var variables: [(VariableName, Bool)] = []
    var rosters: [GroupID] = []
    var completeGroups: [String] = []
    var readsClock = false
    /// Reads more of the clock than the date (`now_time()`, `now()`, `elapsed_minutes()`, visits).
    var readsTime = false

    mutating func add(_ v: VariableName, whole: Bool) {
        if let i = variables.firstIndex(where: { $0.0 == v }) {
            variables[i].1 = variables[i].1 || whole
        } else {
            variables.append((v, whole))
        }
    }

    mutating func visit(_ e: Expr, whole: Bool) {
        switch e {
        case .literal, .currentRow, .option: break
        case .variable(let n): add(n, whole: whole)
        case .rowVariable(let n, let row):
            add(n, whole: true)
            visit(row, whole: whole)
        case .unary(_, let a): visit(a, whole: whole)
        case .binary(_, let a, let b):
            visit(a, whole: whole)
            visit(b, whole: whole)
        case .call(let fn, let args):
            if fn.readsClock { readsClock = true }
            if fn.readsClock, fn != .today { readsTime = true }
            if fn == .complete, case .literal(.text(let g))? = args.first { completeGroups.append(g) }
            for a in args { visit(a, whole: whole) }
        case .aggregate(_, let roster, let body):
            if !rosters.contains(roster) { rosters.append(roster) }
            if let body { visit(body, whole: true) }
        case .list(let items): for i in items { visit(i, whole: whole) }
        }
    }
}
