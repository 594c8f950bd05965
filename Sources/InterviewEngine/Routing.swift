import SurveyModel

extension Interview {
    /// The number of rows of a roster instance (0 when it has none yet).
    public func rowCount(of roster: GroupID, parentRows: [Int] = []) -> Int {
        guard let info = plan.groups[roster] else { return 0 }
        return rowCounts[rule: info.rule, rows: parentRows] ?? 0
    }

    /// True when every row number in `rows` exists in its roster (rows may be a prefix of the
    /// rosters, given by their rules' indexes: where their row counts are kept).
    func rowsExist(rules rosters: [Int], _ rows: [Int]) -> Bool {
        Interview.rowsExist(rosters, rows, rowCounts)
    }

    static func rowsExist(_ rosters: [Int], _ rows: [Int], _ rowCounts: InstanceTable<Int>) -> Bool {
        guard rows.count <= rosters.count else { return false }
        if rows.isEmpty { return true }
        var parent: [Int] = []
        parent.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            guard rosters[i] >= 0, r >= 1, r <= rowCounts[rule: rosters[i], rows: parent] ?? 0 else { return false }
            parent.append(r)
        }
        return true
    }

    /// Calls `body` with every existing row path of the rosters (given by their rules' indexes)
    /// that starts with `prefix`.
    func forEachRowPath(rules rosters: [Int], prefix: [Int], _ body: ([Int]) -> Void) {
        Interview.forEachRowPath(rosters, prefix: prefix, rowCounts: rowCounts, body)
    }

    /// ``forEachRowPath(_:prefix:_:)`` over the row counts alone, with the rosters given by
    /// their rules' indexes.
    static func forEachRowPath(_ rosters: [Int], prefix: [Int], rowCounts: InstanceTable<Int>, _ body: ([Int]) -> Void) {
        func count(_ roster: Int, _ parentRows: [Int]) -> Int {
            roster < 0 ? 0 : rowCounts[rule: roster, rows: parentRows] ?? 0
        }
        func exist(_ rows: [Int]) -> Bool { rowsExist(rosters, rows, rowCounts) }
        if prefix.count >= rosters.count {
            let rows = Array(prefix.prefix(rosters.count))
            if exist(rows) { body(rows) }
            return
        }
        guard exist(prefix) else { return }
        var path = prefix
        func descend(_ level: Int) {
            if level == rosters.count {
                body(path)
                return
            }
            let n = count(rosters[level], path)
            guard n > 0 else { return }
            for r in 1...n {
                path.append(r)
                descend(level + 1)
                path.removeLast()
            }
        }
        descend(prefix.count)
    }

    /// True when each listed group's condition holds at the matching rows.
    func groupsOnRoute(_ ids: [GroupID], rows: [Int]) -> Bool {
        for id in ids {
            guard let info = plan.groups[id] else { return false }
            guard info.group.condition != nil else { continue }
            let depth = info.enclosingRosters.count
            guard rows.count >= depth else { return false }
            if conditions[rule: info.rule, rows: Array(rows.prefix(depth))] != true { return false }
        }
        return true
    }

    /// True when the question, note or calculation at this address is on the current route:
    /// its rows exist, its groups' and its own conditions hold, and no earlier end rule is active.
    public func isOnRoute(_ address: Address) -> Bool {
        guard let info = plan.variables[address.variable] else { return false }
        return isOnRoute(address, info)
    }

    /// ``isOnRoute(_:)`` with the variable's information at hand.
    func isOnRoute(_ address: Address, _ info: EnginePlan.VariableInfo) -> Bool {
        guard info.order < routeLimit, address.rows.count == info.rosters.count, rowsExist(rules: info.rosterRules, address.rows)
        else {
            return false
        }
        for gate in info.gates {
            guard address.rows.count >= gate.depth,
                conditions[rule: gate.rule, rows: gate.depth == address.rows.count ? address.rows : Array(address.rows.prefix(gate.depth))]
                    == true
            else { return false }
        }
        if info.hasCondition { return conditions[rule: info.rule, rows: address.rows] == true }
        return true
    }

    /// True when a roster row (given by its full row path) exists and its roster is on route.
    func rosterRowOnRoute(_ roster: GroupID, rows: [Int]) -> Bool {
        guard let info = plan.groups[roster], info.order < routeLimit, rowsExist(rules: info.rowRules, rows) else { return false }
        return groupsOnRoute(info.ancestors + [roster], rows: rows)
    }

    /// True when a check's question (or group) is on route at the instance's rows.
    func isCheckOnRoute(_ inst: RuleInstance) -> Bool {
        guard case .check(let id) = plan.rules[inst.rule], let info = plan.checks[id] else { return false }
        switch info.owner {
        case .question(let name):
            let depth = plan.variables[name]?.rosters.count ?? 0
            return isOnRoute(Address(name, rows: Array(inst.rows.prefix(depth))))
        case .group(let g):
            guard let gi = plan.groups[g], gi.order < routeLimit, rowsExist(rules: plan.ruleInfo[info.rule].scopeRules, inst.rows)
            else { return false }
            return groupsOnRoute(gi.ancestors + [g], rows: inst.rows)
        }
    }

    func checkFailure(_ inst: RuleInstance) -> CheckFailure? {
        guard case .check(let id) = plan.rules[inst.rule], let info = plan.checks[id] else { return nil }
        var question: Address? = nil
        if case .question(let name) = info.owner {
            let depth = plan.variables[name]?.rosters.count ?? 0
            question = Address(name, rows: Array(inst.rows.prefix(depth)))
        }
        return CheckFailure(
            check: id, severity: info.check.severity, rows: inst.rows, message: info.check.message,
            question: question, confirmation: confirmations[inst])
    }

    /// The stored answer at an address when it is on route; nil when unanswered or off route.
    func effectiveAnswer(_ address: Address) -> Answer? {
        guard let info = plan.variables[address.variable] else { return nil }
        return effectiveAnswer(address, info)
    }

    /// ``effectiveAnswer(_:)`` with the variable's plan entry at hand.
    func effectiveAnswer(_ address: Address, _ info: EnginePlan.VariableInfo) -> Answer? {
        if detached { return info.isCalculated ? calculated[address].map(Answer.value) : answers[address] }
        if info.isCalculated {
            guard let v = calculated[address], isOnRoute(address, info) else { return nil }
            return .value(v)
        }
        guard let a = answers[address], isOnRoute(address, info), !isStale(address) else { return nil }
        return a
    }
}
