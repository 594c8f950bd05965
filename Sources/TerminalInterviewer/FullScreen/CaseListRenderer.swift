import Fieldwork
import InterviewEngine
import SurveyModel

/// Draws the full-screen case list into a ``CellGrid``: a title bar, the filter bar, the table
/// (case id, address, status, last visit, next action — the last two only when the address
/// keeps room), the selected case's details, the message or search line and the keys.
///
/// Only the rows in view are worded, so a frame costs the same for 50 cases as for 5,000. Texts
/// from the package (ids, addresses, notes, preloads) are escaped; table cells that do not fit
/// end in `…`.
public struct CaseListRenderer {
    public var width: Int
    public var height: Int
    public var strings: UIStrings
    let base: ScreenRenderer

    /// Lines of the selected case's details under the table.
    static let detailLines = 3
    static let visitColumn = 16  // `2026-11-26 17:05`

    public init(width: Int, height: Int, colour: Bool, strings: UIStrings) {
        base = ScreenRenderer(width: width, height: height, colour: colour)
        self.width = base.width
        self.height = base.height
        self.strings = strings
    }

    typealias Line = ScreenRenderer.Line

    /// The keys that work now, for the status line.
    func keys(_ screen: CaseListScreen) -> [ScreenModel.KeyHint] {
        [
            strings.keyScroll, strings.keyOpenCase, strings.keyFilter, strings.keySearch,
            screen.searching ? strings.keyClearSearch : strings.keyQuit,
        ]
    }

    /// How many table rows are in view: a page for PgUp and PgDn.
    public func tableRows(_ screen: CaseListScreen) -> Int {
        max(1, height - 3 - 1 - Self.detailLines - 1 - base.statusLine(keys(screen)).count)
    }

    public func render(_ screen: CaseListScreen, title: String) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        let rows = tableRows(screen)
        let columns = layout(screen)
        var lines = [titleBar(screen, title: title), filterBar(screen), headings(columns)]
        if screen.shown.isEmpty {
            lines.append(Line(" " + strings.noCaseShown))
        }
        for row in screen.top..<min(screen.shown.count, screen.top + rows) {
            lines.append(tableRow(screen.entries[screen.shown[row]], columns: columns, selected: row == screen.selected))
        }
        lines += Array(repeating: Line(), count: max(0, 3 + rows - lines.count))
        lines.append(Line(String(repeating: "─", count: width), style: CellStyle(.dim)))
        lines += details(screen.current)
        lines.append(messageLine(screen))
        lines += base.statusLine(keys(screen))
        for (row, line) in lines.prefix(height).enumerated() { base.draw(line, row: row, into: &grid) }
        return grid
    }

    // MARK: - Bars

    func titleBar(_ screen: CaseListScreen, title: String) -> Line {
        let position = screen.shown.isEmpty ? "0/0" : "\(screen.selected + 1)/\(screen.shown.count)"
        let right = position + " "
        let left = TextLayout.truncate(" " + title, to: max(1, width - TextLayout.width(right) - 2))
        return Line(TextLayout.pad(left, to: width - TextLayout.width(right)) + right, style: base.bar.with(.bold), background: base.bar)
    }

    /// `Mind 12 · Teendő 9 · Új 4 …`, the current filter in reverse video; when the filters do
    /// not fit, a window of them around the current one, `‹` and `›` saying there are more.
    func filterBar(_ screen: CaseListScreen) -> Line {
        let items = screen.filters.map { "\(strings.filterName($0)) \(screen.counts[$0] ?? 0)" }
        guard let current = screen.filters.firstIndex(of: screen.filter) else { return Line() }
        var (first, last) = (current, current)
        func span(_ a: Int, _ b: Int) -> Int {
            items[a...b].reduce(0) { $0 + TextLayout.width($1) + 2 } + 4
        }
        while true {
            if last + 1 < items.count, span(first, last + 1) <= width {
                last += 1
            } else if first > 0, span(first - 1, last) <= width {
                first -= 1
            } else {
                break
            }
        }
        var line = Line(first > 0 ? " ‹" : "  ", style: CellStyle(.dim))
        for i in first...last {
            let style = i == current ? CellStyle([.reverse, .bold]) : CellStyle()
            line.pieces.append((" " + items[i] + " ", style))
        }
        if last < items.count - 1 { line.pieces.append((" ›", CellStyle(.dim))) }
        return line
    }

    func messageLine(_ screen: CaseListScreen) -> Line {
        if let message = screen.message {
            return Line(TextLayout.truncate(" " + message.text, to: width), style: base.style(message.tone))
        }
        guard screen.searching else { return Line() }
        let typed = " \(strings.searchLabel): " + DisplayText.escaped(screen.search)
        var line = Line(typed, style: CellStyle(.bold))
        line.pieces.append(("  (" + strings.searchMatches(screen.shown.count) + ")", CellStyle(.dim)))
        line.caret = min(TextLayout.width(typed), width - 1)
        return line
    }

    // MARK: - The table

    /// Which columns are shown, and how wide each is.
    struct Columns {
        var id: Int
        var address: Int
        var status: Int
        var visit: Int?
        var next: Int?
    }

    func layout(_ screen: CaseListScreen) -> Columns {
        let heads = strings.caseColumns.map { TextLayout.width($0) }
        let id = min(20, max(screen.idWidth, heads[0]))
        let status = max(heads[2], screen.statuses.map { TextLayout.width(strings.caseStatus($0)) }.max() ?? 0)
        let visit = max(heads[3], Self.visitColumn)
        let next = max(heads[4], screen.nextActions.map { TextLayout.width(strings.nextAction($0)) }.max() ?? 0)
        var columns = Columns(id: id, address: width - 1 - id - 2 - 2 - status - 1, status: status)
        if columns.address - 2 - visit >= 20 {
            columns.visit = visit
            columns.address -= 2 + visit
        }
        if columns.address - 2 - next >= 20 {
            columns.next = next
            columns.address -= 2 + next
        }
        columns.address = max(1, columns.address)
        return columns
    }

    func headings(_ columns: Columns) -> Line {
        let names = strings.caseColumns
        var cells = [(names[0], columns.id), (names[1], columns.address), (names[2], columns.status)]
        if let visit = columns.visit { cells.append((names[3], visit)) }
        if let next = columns.next { cells.append((names[4], next)) }
        return Line(
            " " + cells.map { TextLayout.pad(TextLayout.truncate($0.0, to: $0.1), to: $0.1) }.joined(separator: "  "),
            style: CellStyle([.bold, .underline]))
    }

    func tableRow(_ entry: CaseListEntry, columns: Columns, selected: Bool) -> Line {
        func cell(_ text: String, _ width: Int) -> String { TextLayout.pad(TextLayout.truncate(text, to: width), to: width) }
        let plain = selected ? CellStyle(.reverse) : CellStyle()
        var line = Line(background: plain)
        let c = entry.deviceCase
        line.pieces.append((" " + cell(DisplayText.escaped(c.id.rawValue), columns.id) + "  ", plain))
        line.pieces.append((cell(DisplayText.escaped(c.address ?? "—"), columns.address) + "  ", plain))
        var status = base.style(Self.tone(entry.status), selected ? .reverse : [])
        if [.final, .moved, .withdrawn].contains(entry.status) { status.attributes.insert(.dim) }
        line.pieces.append((cell(strings.caseStatus(entry.status), columns.status), status))
        if let visit = columns.visit {
            let last = entry.lastVisit.map { "\($0.start.date) \($0.start.time)" } ?? "—"
            line.pieces.append(("  " + cell(last, visit), plain))
        }
        if let next = columns.next { line.pieces.append(("  " + cell(strings.nextAction(entry.next), next), plain)) }
        return line
    }

    static func tone(_ status: CaseStatus) -> MessageTone {
        switch status {
        case .rejected: .error
        case .appointment: .warning
        case .inProgress, .completed: .success
        default: .plain
        }
    }

    // MARK: - The selected case

    /// Three lines: the case (id, address, preloads); what to do and the visits so far; the
    /// rejection's reason and the coordinator's note.
    func details(_ entry: CaseListEntry?) -> [Line] {
        guard let entry else { return Array(repeating: Line(), count: Self.detailLines) }
        let c = entry.deviceCase
        let preloads = c.values.sorted { $0.key < $1.key }
            .map { DisplayText.escaped($0.key.rawValue) + "=" + DisplayText.escaped(Interview.display($0.value)) }
        let about =
            ([DisplayText.escaped(c.id.rawValue), c.address.map(DisplayText.escaped)].compactMap { $0 }
            + [preloads.joined(separator: " ")]).filter { !$0.isEmpty }.joined(separator: " · ")
        let recent = entry.visits.suffix(3).map { v in "\(v.number). " + strings.lastVisit(v) }
        let visits =
            entry.visits.isEmpty
            ? strings.noVisitYet : (entry.visits.count > 3 ? "… " : "") + recent.joined(separator: ", ")
        let doing = "\(strings.nextLabel): \(strings.nextAction(entry.next)) · \(strings.visitsLabel): \(visits)"
        var third: [(String, CellStyle)] = []
        if let reason = entry.rejection {
            third.append(("\(strings.rejectionLabel): " + DisplayText.escaped(reason), base.style(.error)))
        }
        if let note = c.note, !note.isEmpty { third.append(("\(strings.noteLabel): " + DisplayText.escaped(note), CellStyle())) }
        var last = Line()
        var used = 1
        for (text, style) in third {
            let piece = TextLayout.truncate((used > 1 ? " · " : " ") + text, to: max(0, width - used))
            last.pieces.append((piece, style))
            used += TextLayout.width(piece)
        }
        return [
            Line(TextLayout.truncate(" " + about, to: width), style: CellStyle(.bold)),
            Line(TextLayout.truncate(" " + doing, to: width)), last,
        ]
    }
}
