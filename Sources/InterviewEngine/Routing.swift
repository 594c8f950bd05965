import SurveyModel

extension Interview {
    /// The number of rows of a roster instance (0 when it has none yet).
    public func rowCount(of roster: GroupID, parentRows: [Int] = []) -> Int {
        rowCounts[RuleInstance(rule: .group(roster), rows: parentRows)] ?? 0
    }

    /// True when every row number in `rows` exists in its roster (rows may be a prefix of `rosters`).
    func rowsExist(_ rosters: [GroupID], _ rows: [Int]) -> Bool {
        for (i, r) in rows.enumerated() {
            guard i < rosters.count, r >= 1, r <= rowCount(of: rosters[i], parentRows: Array(rows[..<i])) else {
                return false
            }
        }
        return true
    }

    /// Calls `body` with every existing row path of `rosters` that starts with `prefix`.
    func forEachRowPath(_ rosters: [GroupID], prefix: [Int], _ body: ([Int]) -> Void) {
        Interview.forEachRowPath(rosters, prefix: prefix, rowCounts: rowCounts, body)
    }

    /// ``forEachRowPath(_:prefix:_:)`` over the row counts alone.
    static func forEachRowPath(_ rosters: [GroupID], prefix: [Int], rowCounts: [RuleInstance: Int], _ body: ([Int]) -> Void) {
        func count(_ roster: GroupID, _ parentRows: [Int]) -> Int {
            rowCounts[RuleInstance(rule: .group(roster), rows: parentRows)] ?? 0
        }
        func exist(_ rows: [Int]) -> Bool {
            for (i, r) in rows.enumerated() {
                guard i < rosters.count, r >= 1, r <= count(rosters[i], Array(rows[..<i])) else { return false }
            }
            return true
        }
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
            if conditions[RuleInstance(rule: .group(id), rows: Array(rows.prefix(depth)))] != true { return false }
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
        guard info.order < routeLimit, address.rows.count == info.rosters.count, rowsExist(info.rosters, address.rows) else {
            return false
        }
        for gate in info.gates {
            guard address.rows.count >= gate.depth,
                conditions[RuleInstance(rule: .group(gate.group), rows: Array(address.rows.prefix(gate.depth)))] == true
            else { return false }
        }
        if info.hasCondition { return conditions[RuleInstance(rule: info.rule, rows: address.rows)] == true }
        return true
    }

    /// True when a roster row (given by its full row path) exists and its roster is on route.
    func rosterRowOnRoute(_ roster: GroupID, rows: [Int]) -> Bool {
        guard let info = plan.groups[roster], info.order < routeLimit,
            rowsExist(info.enclosingRosters + [roster], rows)
        else { return false }
        return groupsOnRoute(info.ancestors + [roster], rows: rows)
    }

    /// True when a check's question (or group) is on route at the instance's rows.
    func isCheckOnRoute(_ inst: RuleInstance) -> Bool {
        guard case .check(let id) = inst.rule, let info = plan.checks[id] else { return false }
        switch info.owner {
        case .question(let name):
            let depth = plan.variables[name]?.rosters.count ?? 0
            return isOnRoute(Address(name, rows: Array(inst.rows.prefix(depth))))
        case .group(let g):
            guard let gi = plan.groups[g], gi.order < routeLimit, rowsExist(info.scope, inst.rows) else { return false }
            return groupsOnRoute(gi.ancestors + [g], rows: inst.rows)
        }
    }

    func checkFailure(_ inst: RuleInstance) -> CheckFailure? {
        guard case .check(let id) = inst.rule, let info = plan.checks[id] else { return nil }
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
        if detached { return info.isCalculated ? calculated[address].map(Answer.value) : answers[address] }
        if info.isCalculated {
            guard let v = calculated[address], isOnRoute(address, info) else { return nil }
            return .value(v)
        }
        guard let a = answers[address], isOnRoute(address, info), !isStale(address) else { return nil }
        return a
    }
}
