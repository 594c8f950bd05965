/// Draws a ``ScreenModel`` into a ``CellGrid`` of a given size: header, question pane, form pane
/// and status line, or a list over the body. Pure: the same model and size give the same cells.
///
/// Nothing is cut at the right edge: texts wrap (a narrow terminal gets more, shorter lines);
/// only table cells, which must stay in their columns, end in `…`. When the question does not
/// leave room for the form, the form shrinks first, then options go into columns, then the
/// hint goes; the input line, the messages and the question's text always stay.
public struct ScreenRenderer {
    public var width: Int
    public var height: Int
    /// Whether colours may be used (a terminal with colours and no `NO_COLOR`); without them,
    /// tones are shown with bold and reverse video only.
    public var colour: Bool

    public init(width: Int, height: Int, colour: Bool) {
        self.width = max(20, width)
        self.height = max(8, height)
        self.colour = colour
    }

    /// A line of the screen: styled pieces, and the style of the row's background.
    struct Line {
        var pieces: [(text: String, style: CellStyle)] = []
        var background: CellStyle = .plain
        /// The caret's column on this line, if the input caret is here.
        var caret: Int?

        init(_ text: String = "", style: CellStyle = .plain, background: CellStyle = .plain) {
            if !text.isEmpty { pieces = [(text, style)] }
            self.background = background
        }
    }

    public func render(_ model: ScreenModel) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        let top = header(model.header)
        let bottom = statusLine(model.keys)
        let bodyHeight = max(1, height - top.count - bottom.count)
        var body: [Line]
        switch model.body {
        case .form(let question, let form): body = formBody(question, form, model: model, height: bodyHeight)
        case .list(let list): body = listBody(list, height: bodyHeight) + editorBlock(model, height: bodyHeight)
        case .empty: body = messageLines(model)
        }
        body = Array(body.prefix(bodyHeight))
        body += Array(repeating: Line(), count: bodyHeight - body.count)
        for (row, line) in (top + body + bottom).prefix(height).enumerated() {
            draw(line, row: row, into: &grid)
        }
        return grid
    }

    func draw(_ line: Line, row: Int, into grid: inout CellGrid) {
        grid.fill(row: row, style: line.background)
        var x = 0
        for piece in line.pieces {
            x = grid.put(piece.text, row: row, column: x, style: piece.style)
        }
        if let caret = line.caret { grid.cursor = (row, min(caret, width - 1)) }
    }

    // MARK: - Styles

    func style(_ tone: MessageTone, _ attributes: CellStyle.Attributes = []) -> CellStyle {
        switch tone {
        case .plain: return CellStyle(attributes)
        case .error: return colour ? CellStyle(attributes.union(.bold), colour: .red) : CellStyle(attributes.union(.bold))
        case .warning: return colour ? CellStyle(attributes.union(.bold), colour: .yellow) : CellStyle(attributes.union(.bold))
        case .success: return colour ? CellStyle(attributes, colour: .green) : CellStyle(attributes)
        }
    }

    var bar: CellStyle { colour ? CellStyle(.reverse, colour: .cyan) : CellStyle(.reverse) }

    /// Text wrapped to the width, one style.
    func wrapped(_ text: String, style: CellStyle = .plain, indent: String = "", first: String? = nil) -> [Line] {
        TextLayout.wrap(text, width: width, indent: indent, firstIndent: first ?? indent).map { Line($0, style: style) }
    }

    // MARK: - Header and status line

    /// The questionnaire, its language and the progress on the first line, where the interview
    /// stands on the second; both in reverse video. The title is cut to leave the progress room
    /// (whole at 120 columns); only a very narrow terminal wraps them.
    func header(_ h: ScreenModel.Header) -> [Line] {
        let filled = h.percent * 10 / 100
        let gauge = String(repeating: "█", count: filled) + String(repeating: "░", count: 10 - filled)
        let right = "\(h.language)  \(gauge) \(h.percent)%"
        let room = width - TextLayout.width(right) - 3  // the title's, with its leading space
        var lines: [Line] = []
        if room >= 16 {
            let first = TextLayout.pad(TextLayout.truncate(" " + h.title, to: room), to: width - TextLayout.width(right) - 1) + right
            lines.append(Line(first, style: bar.with(.bold), background: bar))
        } else {
            lines += TextLayout.wrap(h.title, width: width, indent: " ", firstIndent: " ")
                .map { Line($0, style: bar.with(.bold), background: bar) }
            lines.append(Line(" " + right, style: bar, background: bar))
        }
        lines += HeaderLayout(width: width, room: height >= 24).lines(h).map { Line($0, style: bar, background: bar) }
        return lines
    }

    /// The keys that work now on one line, the spare ones left out (the highest first) until
    /// they fit; on a very narrow terminal wrapped between hints, never inside one.
    func statusLine(_ given: [ScreenModel.KeyHint]) -> [Line] {
        var keys = given
        func total() -> Int { keys.reduce(0) { $0 + TextLayout.width($1.key) + 1 + TextLayout.width($1.action) + 2 } }
        while total() > width, let most = keys.indices.filter({ keys[$0].spare > 0 }).max(by: { keys[$0].spare < keys[$1].spare }) {
            keys.remove(at: most)
        }
        var lines: [Line] = []
        var line = Line(background: bar)
        var used = 0
        for hint in keys {
            let w = TextLayout.width(hint.key) + 1 + TextLayout.width(hint.action) + 2
            if used > 0, used + w > width {
                lines.append(line)
                line = Line(background: bar)
                used = 0
            }
            line.pieces.append((" " + hint.key, bar.with(.bold)))
            line.pieces.append((" " + hint.action + " ", bar))
            used += w
        }
        lines.append(line)
        return lines
    }

    // MARK: - Lists

    /// A list over the body: its title, then its lines wrapped, the selected one highlighted and
    /// kept in view.
    func listBody(_ list: ListPane, height: Int) -> [Line] {
        var out = [Line(" " + list.title, style: CellStyle(.bold)), Line()]
        var blocks: [[Line]] = []
        for (i, item) in list.lines.enumerated() {
            let selected = i == list.selected
            var style = style(item.tone, item.heading ? .bold : [])
            if selected { style.attributes.insert(.reverse) }
            var lines = keepingSpaces(item.text, style: style)
            if let trailing = item.trailing, var last = lines.last {
                let used = last.pieces.reduce(0) { $0 + TextLayout.width($1.text) }
                if used + TextLayout.width(trailing) + 2 <= width {
                    last.pieces.append((String(repeating: " ", count: width - used - TextLayout.width(trailing) - 1), style))
                    last.pieces.append((trailing, style))
                    lines[lines.count - 1] = last
                } else {
                    lines.append(
                        Line(String(repeating: " ", count: max(0, width - TextLayout.width(trailing) - 1)) + trailing, style: style))
                }
            }
            if selected {
                lines = lines.map {
                    var l = $0; l.background = style; return l
                }
            }
            blocks.append(lines)
        }
        let room = max(1, height - out.count - 2)
        let flat = blocks.flatMap { $0 }
        var start = 0
        if let selected = list.selected, selected < blocks.count {
            let before = blocks[..<selected].reduce(0) { $0 + $1.count }
            start = max(0, min(before - room / 2, flat.count - room))
        }
        out += flat.dropFirst(start).prefix(room)
        return out
    }

    /// A list line as written (its spaces line up columns) when it fits, else wrapped under
    /// its own indentation.
    func keepingSpaces(_ text: String, style: CellStyle) -> [Line] {
        if TextLayout.width(text) + 1 <= width { return [Line(" " + text, style: style)] }
        let lead = String(text.prefix { $0 == " " })
        return wrapped(String(text.dropFirst(lead.count)), style: style, indent: " " + lead + "   ", first: " " + lead)
    }

    /// The messages and the prompt (and, when the list is over an interview, nothing else).
    func messageLines(_ model: ScreenModel) -> [Line] {
        var out: [Line] = []
        for message in model.messages { out += wrapped(message.text, style: style(message.tone), indent: "  ", first: " ") }
        if let prompt = model.prompt { out += wrapped(prompt.text, style: style(prompt.tone), indent: "  ", first: " ") }
        return out
    }
}

extension CellStyle {
    func with(_ attributes: Attributes) -> CellStyle {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }
}
