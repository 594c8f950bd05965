import InterviewEngine
import SurveyModel

extension InterviewSession {
    /// The open roster (rows added by the interviewer) the route passes between `from` and
    /// `to`: right after its last row, or over it while it has no rows.
    func openRosterDue(from: Address, to: Address?) -> RosterInstance? {
        for instance in interview.openRosters {
            let members = index.entries.values.filter { $0.rosters.contains(instance.roster) }
            guard let first = members.map(\.order).min(), let last = members.map(\.order).max() else { continue }
            let depth = instance.parentRows.count
            func inside(_ a: Address?) -> Bool {
                guard let a, let entry = index[a.variable], entry.rosters.contains(instance.roster) else { return false }
                return Array(a.rows.prefix(depth)) == instance.parentRows
            }
            guard !inside(to) else { continue }
            let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
            if inside(from) {
                if from.rows.count > depth, from.rows[depth] == rows { return instance }
                continue
            }
            guard let fromOrder = index[from.variable]?.order, fromOrder < first,
                Array(from.rows.prefix(depth)) == instance.parentRows || from.rows.count < depth
            else { continue }
            guard let to, let toOrder = index[to.variable]?.order else { return instance }
            if toOrder > last || Array(to.rows.prefix(depth)) != instance.parentRows { return instance }
        }
        return nil
    }

    /// Asks whether to add a row to an open roster; adds it and moves into it on yes.
    /// - Returns: whether the cursor was moved, or how the session ended.
    func offerRow(_ instance: RosterInstance) -> (moved: Bool, end: SessionEnd?) {
        guard let group = index.groups[instance.roster], case .roster(let spec) = group.kind else { return (false, nil) }
        let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
        guard rows < spec.maxRows else { return (false, nil) }
        let title = group.title.map { interview.render($0) } ?? instance.roster.rawValue
        say(strings.addRowQuestion(title, rows: rows), style: .plain)
        terminal.write(strings.prompt + "> ")
        switch terminal.readLine() {
        case .endOfInput: return (false, .endOfInput)
        case .interrupted(let signal): return (false, .interrupted(signal))
        case .line(let reply):
            guard UIStrings.confirmation(reply).yes else { return (false, nil) }
        }
        if let end = commit(.rowAdded(instance.roster, parentRows: instance.parentRows)) { return (false, end) }
        let depth = instance.parentRows.count
        let target = interview.route.first { a in
            index[a.variable]?.rosters.contains(instance.roster) == true && a.rows.count > depth
                && Array(a.rows.prefix(depth)) == instance.parentRows && a.rows[depth] == rows + 1
        }
        guard let target else { return (false, nil) }
        cursor = target
        return (true, nil)
    }
}

extension InterviewSession {
    /// The innermost open roster the question `at` is in, with its parent rows.
    func openRoster(containing at: Address) -> RosterInstance? {
        guard let entry = index[at.variable] else { return nil }
        for (depth, roster) in entry.rosters.enumerated().reversed() {
            guard let group = index.groups[roster], case .roster(let spec) = group.kind, spec.count == nil else { continue }
            return RosterInstance(roster: roster, parentRows: Array(at.rows.prefix(depth)))
        }
        return nil
    }

    /// `.st` / `.rr`: after a confirmation, removes the last row of the open roster `at` is in.
    /// The row's answers are not deleted: they stay in the log, off route, and come back if the
    /// row is added again. When the question on screen was in the removed row, the cursor moves
    /// to what follows the roster.
    func removeLastRow(at: Address) -> SessionEnd? {
        guard let instance = openRoster(containing: at), let group = index.groups[instance.roster] else {
            say(strings.notInOpenRoster, style: .error)
            return nil
        }
        let title = group.title.map { interview.render($0, at: at) } ?? instance.roster.rawValue
        let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
        guard rows > 0 else {
            say(strings.noRowToRemove(title), style: .error)
            return nil
        }
        let label = interview.rowLabel(instance.roster, rows: instance.parentRows + [rows])
        say(strings.removeRowQuestion(title, row: rows, label: label), style: .warning)
        terminal.write(strings.prompt + "> ")
        switch terminal.readLine() {
        case .endOfInput: return .endOfInput
        case .interrupted(let signal): return .interrupted(signal)
        case .line(let reply):
            guard UIStrings.confirmation(reply).yes else {
                say(strings.rowKept, style: .plain)
                return nil
            }
        }
        let after = addressAfter(instance)
        if let end = commit(.rowRemoved(instance.roster, parentRows: instance.parentRows)) { return end }
        say(strings.rowRemoved(title, row: rows), style: .plain)
        if !interview.isOnRoute(at) {
            cursor = after.flatMap { interview.isOnRoute($0) ? $0 : nil } ?? interview.next(after: at)
        }
        return nil
    }

    /// The route item right after the last row of a roster instance (nil at the end of the route).
    private func addressAfter(_ instance: RosterInstance) -> Address? {
        let depth = instance.parentRows.count
        let route = interview.route
        let last = route.lastIndex { a in
            index[a.variable]?.rosters.contains(instance.roster) == true && a.rows.count > depth
                && Array(a.rows.prefix(depth)) == instance.parentRows
        }
        guard let last, last + 1 < route.count else { return nil }
        return route[last + 1]
    }
}
