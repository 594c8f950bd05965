extension ScreenRenderer {
    /// The question pane above the form pane; the input line, messages and prompt are part of the
    /// question pane and always shown.
    func formBody(_ pane: QuestionPane, _ form: FormPane?, model: ScreenModel, height: Int) -> [Line] {
        let q = pane.screen
        let location = locationLine(q)
        let text = questionText(q, interviewerOnly: pane.interviewerOnly)
        let hint = q.hint.map { wrapped($0, style: CellStyle(.italic).with(colour ? [] : .dim), indent: "   ", first: "   ") } ?? []
        let allowed = TextLayout.pack(
            [q.allowed, q.specials].compactMap { $0 }, width: width, indent: "  ", firstIndent: " "
        ).map { Line($0, style: CellStyle(.dim)) }
        var answer: [Line] = []
        for comment in pane.comments {
            answer += wrapped(comment, style: style(.warning), indent: "   ", first: " ")
        }
        if let proposed = pane.proposed { answer += wrapped(proposed, style: style(.success), indent: "  ", first: " ") }
        if let current = pane.current { answer += wrapped(current, style: style(.success, .bold), indent: "  ", first: " ") }
        if let stale = pane.stale { answer += wrapped(stale, style: style(.error), indent: "  ", first: " ") }
        let input = editorBlock(model, height: height)
        let fixed = location.count + text.count + allowed.count + answer.count + input.count
        // What is left for the options, the hint and the form pane, in that order of importance.
        var room = height - fixed
        let formMinimum = form == nil ? 0 : 4
        var options = optionLines(q.options, columns: 1)
        var columns = 1
        while options.count + hint.count + formMinimum > room, columns < 4 {
            // The options are read out: the form pane gives way before a label would be cut.
            if options.count + hint.count <= room, !labelsFit(q.options, columns: columns + 1) { break }
            columns += 1
            let tighter = optionLines(q.options, columns: columns)
            if tighter.count >= options.count { break }
            options = tighter
        }
        var shownHint = hint
        if options.count + hint.count + formMinimum > room { shownHint = [] }
        if options.count > room - shownHint.count {
            let keep = max(0, room - shownHint.count - 1)
            let dropped = q.options.count - keep * columns
            options = Array(options.prefix(keep)) + [Line("   … (+\(max(1, dropped)))", style: CellStyle(.dim))]
        }
        room -= options.count + shownHint.count
        var out = location + text + shownHint + options + allowed + answer + input
        if let form, room >= 3 { out += formPane(form, height: room) }
        return out
    }

    /// `B. A háztartás tagjai · Háztartástagok · 2/3 — Béla      m_age 14/52`, dimmed.
    private func locationLine(_ q: QuestionScreen) -> [Line] {
        // A roster titled like its section (`Household members · Household members · 2/3`) is named once.
        var parts = [q.sections.last].compactMap { $0 }
        for row in q.rosterRows {
            if let last = parts.last, row.hasPrefix(last + " · ") { parts[parts.count - 1] = row } else { parts.append(row) }
        }
        let place = parts.joined(separator: " · ")
        let tag = q.position.map { "\(q.name)  \($0.index)/\($0.count)" } ?? q.name
        let style = CellStyle(.dim)
        if TextLayout.width(place) + TextLayout.width(tag) + 3 <= width {
            return [Line(" " + TextLayout.pad(place, to: width - TextLayout.width(tag) - 2) + tag, style: style)]
        }
        return wrapped(place, style: style, indent: " ", first: " ") + [Line(" " + tag, style: style)]
    }

    private func questionText(_ q: QuestionScreen, interviewerOnly: String?) -> [Line] {
        var out: [Line] = []
        if let interviewerOnly { out.append(Line(" [\(interviewerOnly)]", style: style(.warning))) }
        if let stem = q.gridStem { out += wrapped(stem, indent: " ", first: " ") }
        out += wrapped(q.text, style: CellStyle(.bold), indent: q.gridStem == nil ? " " : "   ", first: q.gridStem == nil ? " " : "   ")
        return out
    }

    /// Whether every option's line fits its cell whole in `columns` columns.
    func labelsFit(_ options: [QuestionScreen.OptionLine], columns: Int) -> Bool {
        let codeWidth = options.map { String($0.code).count }.max() ?? 1
        return options.allSatisfy { 3 + codeWidth + 2 + TextLayout.width($0.label) <= width / columns - 1 }
    }

    /// The options as `  3  Label`, in `columns` columns (filled down, then across).
    func optionLines(_ options: [QuestionScreen.OptionLine], columns: Int) -> [Line] {
        guard !options.isEmpty else { return [] }
        let codeWidth = options.map { String($0.code).count }.max() ?? 1
        func lead(_ o: QuestionScreen.OptionLine) -> String {
            let code = String(o.code)
            return (o.selected ? "  *" : "   ") + String(repeating: " ", count: codeWidth - code.count) + code + "  "
        }
        let selectedStyle = style(.success, .bold)
        if columns <= 1 {
            return options.flatMap { o -> [Line] in
                let l = lead(o)
                let indent = String(repeating: " ", count: TextLayout.width(l))
                return wrapped(o.label, style: o.selected ? selectedStyle : .plain, indent: indent, first: l)
            }
        }
        let rows = (options.count + columns - 1) / columns
        let cell = width / columns
        var out: [Line] = []
        for r in 0..<rows {
            var line = Line()
            for c in 0..<columns {
                let i = c * rows + r
                guard i < options.count else { break }
                let o = options[i]
                var text = lead(o) + o.label
                text = TextLayout.truncate(text, to: cell - 1)
                line.pieces.append((TextLayout.pad(text, to: cell), o.selected ? selectedStyle : .plain))
            }
            out.append(line)
        }
        return out
    }

    // MARK: - Input line

    /// The messages, the prompt and the input line with its caret; long text wraps over several
    /// lines (at most a quarter of the body), scrolled to keep the caret in view.
    func editorBlock(_ model: ScreenModel, height: Int) -> [Line] {
        var out: [Line] = []
        for message in model.messages { out += wrapped(message.text, style: style(message.tone), indent: "  ", first: " ") }
        if let prompt = model.prompt { out += wrapped(prompt.text, style: style(prompt.tone), indent: "  ", first: " ") }
        guard let input = model.editor else { return out }
        let label = " " + input.label + "> "
        let labelWidth = TextLayout.width(label)
        let counter = input.counter.map { " " + $0 } ?? ""
        let room = max(4, width - labelWidth - TextLayout.width(counter) - 1)
        // Cut the text into lines of `room` columns, remembering where the caret falls.
        var lines: [String] = [""]
        var used = 0
        var caret: (line: Int, column: Int) = (0, 0)
        for (i, character) in input.editor.characters.enumerated() {
            if i == input.editor.caret { caret = (lines.count - 1, used) }
            let w = TextLayout.width(of: character)
            if used + w > room {
                lines.append("")
                used = 0
                if i == input.editor.caret { caret = (lines.count - 1, 0) }
            }
            lines[lines.count - 1].append(character)
            used += w
        }
        if input.editor.caret == input.editor.count {
            if used >= room {
                lines.append("")
                used = 0
            }
            caret = (lines.count - 1, used)
        }
        let visible = max(1, min(lines.count, height / 4))
        let first = max(0, min(caret.line - visible + 1, lines.count - visible))
        for (n, text) in lines[first..<(first + visible)].enumerated() {
            var line = Line()
            line.pieces.append((n == 0 ? label : String(repeating: " ", count: labelWidth), CellStyle(.bold)))
            // A line still as it came up shows as selected: typing replaces it.
            line.pieces.append((text, input.editor.fresh ? CellStyle(.underline) : .plain))
            if n == 0, !counter.isEmpty {
                let pad = width - labelWidth - TextLayout.width(text) - TextLayout.width(counter) - 1
                line.pieces.append((String(repeating: " ", count: max(1, pad)) + counter, CellStyle(.dim)))
            }
            if first + n == caret.line { line.caret = labelWidth + caret.column }
            out.append(line)
        }
        if let hint = input.hint { out += wrapped(hint, style: CellStyle(.dim), indent: "  ", first: " ") }
        return out
    }

    // MARK: - Form pane

    /// The page of the form: a title rule, then the fields or the table, the current row
    /// highlighted and kept in view.
    func formPane(_ form: FormPane, height: Int) -> [Line] {
        var rule = "── " + form.title + " "
        rule = TextLayout.truncate(rule, to: width - 12)
        var out = [Line(rule + String(repeating: "─", count: max(0, width - TextLayout.width(rule))), style: CellStyle(.dim))]
        let widths = columnWidths(form)
        var room = height - 1
        if form.kind == .roster {
            var header = row(form.columns, widths: widths, style: CellStyle([.bold, .underline]), offRoute: [], focusColumn: nil)
            // Columns that did not fit are not lost silently: `…` says there are more.
            if widths.contains(0) { header.pieces.append(("…", CellStyle(.bold))) }
            out.append(header)
            room -= 1
        }
        guard room > 0, !form.rows.isEmpty else { return out }
        let focus = form.focusRow ?? 0
        var start = max(0, min(focus - room / 2, form.rows.count - room))
        var shown = Array(form.rows.indices.dropFirst(start).prefix(room))
        let above = form.hiddenAbove + start
        let below = form.hiddenBelow + form.rows.count - (shown.last.map { $0 + 1 } ?? 0)
        if above + below > 0, shown.count == room, room > 1 {
            // The last line says how many rows are out of view.
            shown.removeLast()
            if let f = form.focusRow, !shown.contains(f), shown.count > 0 {
                start += 1
                shown = Array(form.rows.indices.dropFirst(start).prefix(room - 1))
            }
        }
        for i in shown {
            let focused = i == form.focusRow
            let base = focused ? CellStyle(.reverse) : .plain
            var line = row(
                form.rows[i].cells, widths: widths, style: base, offRoute: form.rows[i].offRoute,
                focusColumn: focused ? form.focusColumn : nil)
            if focused { line.background = base }
            out.append(line)
        }
        let hiddenAbove = form.hiddenAbove + (shown.first ?? 0)
        let hiddenBelow = form.hiddenBelow + form.rows.count - (shown.last.map { $0 + 1 } ?? 0)
        if hiddenAbove + hiddenBelow > 0 {
            out.append(
                Line(
                    " "
                        + [hiddenAbove > 0 ? "↑ \(hiddenAbove)" : nil, hiddenBelow > 0 ? "↓ \(hiddenBelow)" : nil]
                        .compactMap { $0 }.joined(separator: "  "), style: CellStyle(.dim)))
        }
        return out
    }

    /// Column widths that fit the screen: for fields the question text takes what is left; for
    /// tables each column as wide as its widest cell (capped), and columns past the right edge
    /// are dropped, never the current one.
    func columnWidths(_ form: FormPane) -> [Int] {
        let count = max(form.columns.count, form.rows.first?.cells.count ?? 0)
        var natural = [Int](repeating: 1, count: count)
        for (i, header) in form.columns.enumerated() { natural[i] = max(natural[i], TextLayout.width(header)) }
        for row in form.rows {
            for (i, cell) in row.cells.enumerated() where i < count { natural[i] = max(natural[i], TextLayout.width(cell)) }
        }
        switch form.kind {
        case .fields:
            let name = min(natural[0], 22)
            let value = min(natural.count > 2 ? natural[2] : 0, max(10, width / 3))
            let text = max(8, width - name - value - 7)
            return [name, text, value]
        case .grid:
            let value = min(natural.count > 1 ? natural[1] : 0, max(12, width / 3))
            return [max(8, width - value - 5), value]
        case .roster:
            var widths = natural.enumerated().map { i, w in i == 0 ? w : min(w, 22) }
            let focus = form.focusColumn ?? 0
            // Drop columns from the right (but never the row number or the current column) until they fit.
            while widths.reduce(0, +) + 2 * widths.count + 1 > width,
                let drop = widths.indices.reversed().first(where: { $0 != 0 && $0 != focus && widths[$0] > 0 })
            {
                widths[drop] = 0
            }
            return widths
        }
    }

    /// One row of cells at the given widths (a zero width hides the column).
    func row(_ cells: [String], widths: [Int], style base: CellStyle, offRoute: Set<Int>, focusColumn: Int?) -> Line {
        var line = Line()
        line.pieces.append((" ", base))
        for (i, w) in widths.enumerated() where w > 0 {
            let text = i < cells.count ? cells[i] : ""
            var style = base
            if offRoute.contains(i) { style.attributes.insert(.dim) }
            if i == focusColumn { style.attributes.formUnion([.bold, .underline]) }
            line.pieces.append((TextLayout.pad(TextLayout.truncate(text, to: w), to: w), style))
            line.pieces.append(("  ", base))
        }
        return line
    }
}
