import Fieldwork
import InterviewEngine
import SurveyModel

extension InterviewController {
    // MARK: - Adding rows to open rosters

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

    /// Asks whether to add a row to an open roster (unless it is full); `next` is where the
    /// session goes when the answer is no.
    /// - Returns: whether the question was asked.
    func offerRow(_ instance: RosterInstance, then next: Address?) -> Bool {
        guard let group = index.groups[instance.roster], case .roster(let spec) = group.kind else { return false }
        let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
        guard rows < spec.maxRows else { return false }
        let prompt = SessionPrompt(
            text: strings.addRowQuestion(title(of: group), rows: rows), tone: .plain, reply: .yesNo, marker: true)
        pending = Pending(kind: .addRow(instance, next: next), prompt: prompt)
        say(prompt.text, style: prompt.tone)
        return true
    }

    /// Adds the row on yes and moves into it; goes on past the roster on no.
    func resolveAddRow(_ instance: RosterInstance, next: Address?, reply: String) {
        switch UIStrings.confirmation(reply) {
        case .unclear: return askAgain()
        case .no:
            pending = nil
            cursor = next
        case .yes:
            pending = nil
            addRow(instance, otherwise: next)
        }
    }

    /// Adds a row to an open roster and goes to its first question (or to `otherwise`).
    func addRow(_ instance: RosterInstance, otherwise: Address?) {
        let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
        let before = [RosterKey(instance): rows]
        guard commit(.rowAdded(instance.roster, parentRows: instance.parentRows)) else { return }
        announceReturningRows(before)
        let depth = instance.parentRows.count
        cursor =
            route.first { a in
                index[a.variable]?.rosters.contains(instance.roster) == true && a.rows.count > depth
                    && Array(a.rows.prefix(depth)) == instance.parentRows && a.rows[depth] == rows + 1
            } ?? otherwise
    }

    /// Adds a row to the open roster `at` is in and goes to it (F5 on the full screen).
    public func addRowToOpenRoster(at: Address) {
        guard end == nil, pending == nil else { return }
        guard let instance = openRoster(containing: at) else { return say(strings.notInRoster, style: .error) }
        addRow(instance, otherwise: at)
        settle()
    }

    // MARK: - Removing rows

    /// Asks to remove the row of the innermost roster `at` is in, naming it (F8 on the full screen).
    public func askToRemoveRow(at: Address) {
        guard end == nil, pending == nil else { return }
        guard let entry = index[at.variable], let roster = entry.rosters.last, at.rows.count == entry.rosters.count else {
            return say(strings.notInRoster, style: .error)
        }
        let depth = entry.rosters.count - 1
        askToRemove(row: at.rows[depth], of: RosterInstance(roster, parentRows: Array(at.rows.prefix(depth))))
    }

    /// The innermost open roster the question `at` is in, with its parent rows.
    func openRoster(containing at: Address) -> RosterInstance? {
        guard let entry = index[at.variable] else { return nil }
        for (depth, roster) in entry.rosters.enumerated().reversed() {
            guard let group = index.groups[roster], case .roster(let spec) = group.kind, spec.count == nil else { continue }
            return RosterInstance(roster, parentRows: Array(at.rows.prefix(depth)))
        }
        return nil
    }

    /// `.st` / `.rr`: asks to remove the last row of the open roster `at` is in.
    func askToRemoveLastRow(at: Address) {
        guard let instance = openRoster(containing: at) else { return say(strings.notInOpenRoster, style: .error) }
        let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
        askToRemove(row: rows, of: instance)
    }

    /// Asks to remove one row of an open roster, naming it; the rows after it move up.
    public func askToRemove(row: Int, of instance: RosterInstance) {
        guard end == nil, pending == nil, let group = index.groups[instance.roster],
            case .roster(let spec) = group.kind
        else { return }
        guard spec.count == nil else { return say(strings.engineRefused(.notOpenRoster(instance.roster)), style: .error) }
        let rows = interview.rowCount(of: instance.roster, parentRows: instance.parentRows)
        guard rows > 0, (1...rows).contains(row) else { return say(strings.noRowToRemove(title(of: group)), style: .error) }
        var removal = makeRemoval(of: instance, count: rows, removing: 1, counted: false)
        guard removal.movable || row == rows else { return say(strings.onlyLastRowRemovable(removal.title), style: .error) }
        removal.rows = [row]
        let prompt = SessionPrompt(
            text: strings.removeRowQuestion(removal.title, row: row, label: removal.labels[row]), tone: .warning,
            reply: .yesNo, marker: true)
        pending = Pending(kind: .removeRows(removal), prompt: prompt)
        say(prompt.text, style: prompt.tone)
    }

    /// Removes the chosen rows of an open roster: later rows move up, then the last rows go.
    /// The answers stay in the log; the question on screen moves out of a row that went.
    func removeRows(_ removal: RowRemoval) {
        let at = cursor
        let after = at.flatMap { addressAfter(removal.instance, from: $0) }
        guard moveRowsUp(removal) else { return }
        for _ in removal.rows {
            guard commit(.rowRemoved(removal.instance.roster, parentRows: removal.instance.parentRows)) else { return }
        }
        say(strings.rowsRemoved(removal), style: .plain)
        if let at, !interview.isOnRoute(at) {
            cursor = after.flatMap { interview.isOnRoute($0) ? $0 : nil } ?? interview.next(after: at)
        }
    }

    /// The route item right after the last row of a roster instance (nil at the end of the route).
    private func addressAfter(_ instance: RosterInstance, from at: Address) -> Address? {
        let depth = instance.parentRows.count
        let route = self.route
        let last = route.lastIndex { a in
            index[a.variable]?.rosters.contains(instance.roster) == true && a.rows.count > depth
                && Array(a.rows.prefix(depth)) == instance.parentRows
        }
        guard let last, last + 1 < route.count else { return nil }
        return route[last + 1]
    }

    // MARK: - Row counts given by an answer

    /// When `answer` lowers the row count of a roster counted by this question and a row that
    /// would go has answers, the removal to ask about (which members go).
    func rowsDropped(by answer: Answer, at: Address, preview: Interview) -> RowRemoval? {
        for (key, before) in rowCounts(changedBy: at) {
            let after = preview.rowCount(of: key.roster, parentRows: key.parentRows)
            guard after < before else { continue }
            let instance = RosterInstance(key.roster, parentRows: key.parentRows)
            let answered = ((after + 1)...before).contains { hasAnswers(instance, row: $0) }
            guard answered else { continue }
            return makeRemoval(of: instance, count: before, removing: before - after, counted: true)
        }
        return nil
    }

    /// The rosters whose row count is the answer at `at`, with their row counts now.
    func rowCounts(changedBy at: Address) -> [RosterKey: Int] {
        var out: [RosterKey: Int] = [:]
        for (id, group) in index.groups {
            guard case .roster(let spec) = group.kind, case .variable(let name)? = spec.count, name == at.variable,
                index.groupRosters[id]?.count == at.rows.count
            else { continue }
            out[RosterKey(roster: id, parentRows: at.rows)] = interview.rowCount(of: id, parentRows: at.rows)
        }
        return out
    }

    /// Says which rows came back with their earlier answers after a count went up.
    func announceReturningRows(_ before: [RosterKey: Int]) {
        for (key, count) in before.sorted(by: { $0.key.roster < $1.key.roster }) {
            let now = interview.rowCount(of: key.roster, parentRows: key.parentRows)
            guard now > count, let group = index.groups[key.roster] else { continue }
            let instance = RosterInstance(key.roster, parentRows: key.parentRows)
            let back = ((count + 1)...now).filter { hasAnswers(instance, row: $0) }
            guard !back.isEmpty else { continue }
            let named = back.map { (row: $0, label: interview.rowLabel(key.roster, rows: key.parentRows + [$0])) }
            say(strings.rowsCameBack(title(of: group), rows: named), style: .plain)
        }
    }

    /// Copies the answers of the rows after the removed ones up into their places and clears the
    /// rows left over at the end, so that shrinking the roster drops exactly the chosen members.
    func moveRowsUp(_ removal: RowRemoval) -> Bool {
        let kept = (1...removal.count).filter { !removal.rows.contains($0) }
        guard kept != Array(1...kept.count) else { return true }  // only the last rows go: nothing moves
        let members = directMembers(of: removal.instance.roster)
        let parent = removal.instance.parentRows
        for (offset, source) in kept.enumerated() where source != offset + 1 {
            for name in members {
                let from = Address(name, rows: parent + [source]), to = Address(name, rows: parent + [offset + 1])
                if let answer = interview.answer(at: from) {
                    guard commit(.answered(to, answer), quietly: true) || end == nil else { return false }
                } else if interview.answer(at: to) != nil {
                    guard commit(.cleared(to), quietly: true) || end == nil else { return false }
                }
            }
        }
        for row in (kept.count + 1)...removal.count {
            for name in members where interview.answer(at: Address(name, rows: parent + [row])) != nil {
                guard commit(.cleared(Address(name, rows: parent + [row])), quietly: true) || end == nil else { return false }
            }
        }
        return true
    }

    /// A removal of `removing` rows from a roster instance of `count` rows, with its labels.
    private func makeRemoval(of instance: RosterInstance, count: Int, removing: Int, counted: Bool) -> RowRemoval {
        let group = index.groups[instance.roster]
        var labels: [Int: String] = [:]
        for row in 1...max(1, count) {
            if let label = interview.rowLabel(instance.roster, rows: instance.parentRows + [row]), !label.isEmpty {
                labels[row] = label
            }
        }
        let nested = index.groupRosters.contains { $0.value.contains(instance.roster) }
        return RowRemoval(
            instance: instance, count: count, removing: removing, rows: [], counted: counted, movable: !nested,
            title: group.map(title(of:)) ?? instance.roster.rawValue, labels: labels)
    }

    /// Whether any question of a roster row has an answer.
    func hasAnswers(_ instance: RosterInstance, row: Int) -> Bool {
        directMembers(of: instance.roster).contains { interview.answer(at: Address($0, rows: instance.parentRows + [row])) != nil }
    }

    /// The questions directly in a roster (not in rosters nested in it), in questionnaire order.
    func directMembers(of roster: GroupID) -> [VariableName] {
        index.questionsInOrder.filter { index[$0]?.rosters.last == roster }
    }

    /// A group's title in the interview language (its id when it has none).
    func title(of group: Group) -> String {
        group.title.map { interview.render($0) } ?? group.id.rawValue
    }
}

/// A roster and the rows of its enclosing rosters: one table of rows.
public struct RosterKey: Hashable, Sendable {
    public var roster: GroupID
    public var parentRows: [Int]

    public init(roster: GroupID, parentRows: [Int]) {
        self.roster = roster
        self.parentRows = parentRows
    }

    init(_ instance: RosterInstance) { self.init(roster: instance.roster, parentRows: instance.parentRows) }
}

/// The reply to "which members go": row numbers, Enter for the last rows, or `n` to keep the count.
enum RowChoice: Equatable {
    case chosen([Int])
    case cancelled

    /// Nil when the reply is not a valid choice (the question is asked again).
    static func parse(_ reply: String, removal: RowRemoval) -> RowChoice? {
        let text = reply.trimmingSpaces
        if text.isEmpty { return .chosen(removal.lastRows) }
        switch UIStrings.confirmation(text) {
        case .no: return .cancelled
        case .yes: return .chosen(removal.lastRows)
        case .unclear: break
        }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" })
        let rows = parts.compactMap { Int($0) }
        guard rows.count == parts.count, Set(rows).count == removal.removing, rows.count == removal.removing,
            rows.allSatisfy({ (1...removal.count).contains($0) })
        else { return nil }
        let chosen = rows.sorted()
        guard removal.movable || chosen == removal.lastRows else { return nil }
        return .chosen(chosen)
    }
}
