import Fieldwork
import SurveyModel

/// Which cases the full-screen case list shows: all, those with something to do, or one status.
public enum CaseFilter: Hashable, Sendable, CaseIterable {
    case all, toDo, new, visited, appointment, inProgress, completed, rejected, final, moved, withdrawn

    /// Whether the filter shows a case.
    public func admits(_ entry: CaseListEntry) -> Bool {
        switch self {
        case .all: return true
        case .toDo: return [.firstVisit, .visitAgain, .keepAppointment, .continueInterview, .fix].contains(entry.next)
        default: return Self.of(entry.status) == self
        }
    }

    /// The filter of one status.
    static func of(_ status: CaseStatus) -> CaseFilter {
        switch status {
        case .new: .new
        case .visited: .visited
        case .appointment: .appointment
        case .inProgress: .inProgress
        case .completed: .completed
        case .rejected: .rejected
        case .final: .final
        case .moved: .moved
        case .withdrawn: .withdrawn
        }
    }
}

/// The full-screen case list as a value: the device's cases, the filter and the search typed,
/// the cases they leave (in the list's order), the selected one and the first row in view.
/// Keys change it (``handle(_:rows:)``); ``CaseListRenderer`` draws it. Pure, so tests and
/// golden captures need no terminal.
///
/// The entries are fixed for the screen's life: the counts per filter and the search keys are
/// worked out once, and a key costs a pass over the entries only when the filter or the search
/// changes (5,000 cases: well under a millisecond).
public struct CaseListScreen: Sendable {
    public let entries: [CaseListEntry]
    /// Lower-cased case id and address of each entry, for the search.
    private let searchKeys: [String]
    /// How many entries each filter shows (without a search).
    public let counts: [CaseFilter: Int]
    /// The filters offered: all, and every other that shows at least one case.
    public let filters: [CaseFilter]
    /// What the table's columns must hold, whichever cases are in view: the widest case id, the
    /// statuses and next actions that occur.
    let idWidth: Int
    let statuses: Set<CaseStatus>
    let nextActions: Set<NextAction>
    public private(set) var filter: CaseFilter = .all
    public private(set) var search = ""
    /// Whether the search field is open, taking the letters typed (always when ``search`` is not
    /// empty): a letter other than `q` opens it, and so does `/` (for a search that begins with
    /// q); Esc clears and closes it. While it is closed, `q` leaves the list.
    public private(set) var searching = false
    /// The entries shown (indices into ``entries``).
    public private(set) var shown: [Int]
    /// The selected row within ``shown``.
    public private(set) var selected = 0
    /// The first row of ``shown`` in view.
    public private(set) var top = 0
    /// A message for the fieldworker (a case that cannot be opened), until the next key.
    public var message: ScreenModel.Message?

    public init(entries: [CaseListEntry]) {
        self.entries = entries
        searchKeys = entries.map { ($0.deviceCase.id.rawValue + " " + ($0.deviceCase.address ?? "")).lowercased() }
        var counts: [CaseFilter: Int] = [:]
        for entry in entries {
            for filter in CaseFilter.allCases where filter.admits(entry) { counts[filter, default: 0] += 1 }
        }
        self.counts = counts
        idWidth = entries.map { DisplayWidth.of(DisplayText.escaped($0.deviceCase.id.rawValue)) }.max() ?? 0
        statuses = Set(entries.map(\.status))
        nextActions = Set(entries.map(\.next))
        filters = CaseFilter.allCases.filter { $0 == .all || (counts[$0] ?? 0) > 0 }
        shown = Array(entries.indices)
    }

    /// The list with new entries (the statuses after an interview) as the fieldworker left it:
    /// the same filter when it still shows a case (else all), the same search, the same case
    /// selected when it is still shown.
    public func reloaded(with entries: [CaseListEntry], rows: Int) -> CaseListScreen {
        var next = CaseListScreen(entries: entries)
        next.filter = next.filters.contains(filter) ? filter : .all
        next.search = search
        next.searching = searching
        next.refilter(rows: rows, keeping: current?.deviceCase)
        return next
    }

    /// The selected case, if any is shown.
    public var current: CaseListEntry? { shown.isEmpty ? nil : entries[shown[selected]] }

    /// What a key asks of the session.
    public enum Action: Equatable, Sendable {
        case none
        case open(CaseListEntry)
        case quit
        case redraw
    }

    /// Reacts to a key; `rows` is how many table rows are in view (a page).
    public mutating func handle(_ key: KeyEvent, rows: Int) -> Action {
        message = nil
        switch key {
        case .up, .control("p"): move(to: selected - 1, rows: rows)
        case .down, .control("n"): move(to: selected + 1, rows: rows)
        case .pageUp: page(by: -1, rows: rows)
        case .pageDown: page(by: 1, rows: rows)
        case .home: move(to: 0, rows: rows)
        case .end: move(to: shown.count - 1, rows: rows)
        case .left, .backTab: cycleFilter(by: -1, rows: rows)
        case .right, .tab: cycleFilter(by: 1, rows: rows)
        case .enter: return current.map(Action.open) ?? .none
        case .text(let text):
            if !searching {
                if text == "q" || text == "Q" { return .quit }
                searching = true
                if text == "/" { return .none }  // the field opened, empty
            }
            setSearch(search + text, rows: rows)
        case .backspace, .control("h"):
            if !search.isEmpty { setSearch(String(search.dropLast()), rows: rows) }
        case .control("u"): setSearch("", rows: rows)
        case .escape:
            guard !searching else {
                searching = false
                setSearch("", rows: rows)
                return .none
            }
            return .quit
        case .function(10), .interrupt: return .quit
        case .control("l"): return .redraw
        default: break
        }
        return .none
    }

    /// Selects a row and scrolls so it is in view.
    mutating func move(to row: Int, rows: Int) {
        selected = max(0, min(row, shown.count - 1))
        let rows = max(1, rows)
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, shown.count - rows)))
    }

    /// PgUp / PgDn: the selection a page up or down (at most to the first or last case), keeping
    /// its place on the screen where the list allows.
    mutating func page(by direction: Int, rows: Int) {
        let rows = max(1, rows)
        let target = max(0, min(selected + direction * rows, shown.count - 1))
        top = max(0, min(target - (selected - top), max(0, shown.count - rows)))
        move(to: target, rows: rows)
    }

    /// The previous or next filter; the selected case stays selected when the new filter shows it.
    mutating func cycleFilter(by step: Int, rows: Int) {
        guard let at = filters.firstIndex(of: filter) else { return }
        filter = filters[(at + step + filters.count) % filters.count]
        refilter(rows: rows)
    }

    mutating func setSearch(_ text: String, rows: Int) {
        search = text
        refilter(rows: rows)
    }

    /// The entries the filter and the search leave, the selection kept on the same case if it is
    /// still shown, else on the first one.
    private mutating func refilter(rows: Int, keeping before: DeviceCase? = nil) {
        let before = before ?? current?.deviceCase
        let needle = search.lowercased()
        shown = entries.indices.filter { i in
            filter.admits(entries[i]) && (needle.isEmpty || searchKeys[i].contains(needle))
        }
        top = 0
        let keep = before.flatMap { c in shown.firstIndex { entries[$0].deviceCase.id == c.id && entries[$0].deviceCase.survey == c.survey }
        }
        move(to: keep ?? 0, rows: rows)
    }
}
