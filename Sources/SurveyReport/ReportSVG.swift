import SurveyModel

/// One inline SVG chart: shapes on a fixed canvas, with a `<title>` and `<desc>` that name it
/// for screen readers.
///
/// Coordinates are written with a decimal point whatever the report language, and a value
/// that is not finite is drawn as 0, so no `NaN` or `inf` reaches the markup.
struct ReportSVG {
    let width: Double
    let height: Double
    private var body = ReportMarkup()

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A coordinate or length: one decimal at most, a point as decimal mark, 0 if not finite.
    static func number(_ value: Double) -> String {
        guard let (whole, fraction, negative) = ReportLocale.split(value, digits: 1) else { return "0" }
        let sign = negative ? "-" : ""
        return fraction == "0" ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    private static func n(_ value: Double) -> String { number(value) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) {
        body.empty("line", ["x1": Self.n(x1), "y1": Self.n(y1), "x2": Self.n(x2), "y2": Self.n(y2), "class": name])
    }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, class name: String, tooltip: String? = nil) {
        let attributes: KeyValuePairs<String, String> = [
            "x": Self.n(x), "y": Self.n(y), "width": Self.n(max(0, width)), "height": Self.n(max(0, height)), "class": name,
        ]
        if let tooltip {
            body.open("rect", attributes)
            body.element("title", text: tooltip)
            body.close()
        } else {
            body.empty("rect", attributes)
        }
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, class name: String, tooltip: String) {
        body.open("circle", ["cx": Self.n(x), "cy": Self.n(y), "r": Self.n(radius), "class": name])
        body.element("title", text: tooltip)
        body.close()
    }

    /// Text at a point; `anchor` is `start`, `middle` or `end`. A `full` text, when the shown
    /// one is shortened, becomes the element's tooltip.
    mutating func text(
        _ x: Double, _ y: Double, _ text: String, anchor: String = "start", class name: String = "label", full: String? = nil
    ) {
        body.open("text", ["x": Self.n(x), "y": Self.n(y), "text-anchor": anchor, "class": name])
        if let full, full != text { body.element("title", text: full) }
        body.text(text)
        body.close()
    }

    mutating func polyline(_ points: [(Double, Double)], class name: String) {
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body.empty("polyline", ["points": list, "class": name])
    }

    /// The complete `<svg>` element.
    func render(id: String, title: String, description: String) -> String {
        var svg = ReportMarkup()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "class": "chart", "id": id,
                "viewBox": "0 0 \(Self.n(width)) \(Self.n(height))", "width": Self.n(width), "height": Self.n(height),
                "role": "img", "aria-labelledby": "\(id)-title \(id)-desc",
            ])
        svg.element("title", ["id": "\(id)-title"], text: title)
        svg.element("desc", ["id": "\(id)-desc"], text: description)
        svg.raw(body.output)
        svg.close()
        return svg.output
    }

    /// A round axis maximum at or above `value` (1, 2 or 5 times a power of ten; at least 1;
    /// values beyond 10¹⁵ are clamped there) and the tick step that divides it into at most
    /// five parts.
    static func axis(_ value: Double) -> (maximum: Double, step: Double, ticks: Int) {
        let target = value.isFinite ? min(1e15, max(1, value)) : 1
        var step = 1.0
        var candidates = [1.0, 2.0, 5.0]
        var index = 0
        while step * 5 < target {
            index += 1
            if index == candidates.count {
                candidates = candidates.map { $0 * 10 }
                index = 0
            }
            step = candidates[index]
        }
        let ticks = max(1, min(5, Int((target / step).rounded(.up))))
        return (Double(ticks) * step, step, ticks)
    }

    /// A label shortened to `characters` characters (with "…") so it fits its column.
    static func fit(_ label: String, _ characters: Int) -> String {
        ReportTextLayout.truncate(label, to: characters)
    }
}

/// The report's charts as inline SVG; each returns nil when there is nothing to draw, and the
/// caller says so in words instead.
enum ReportCharts {
    /// Cumulative completes per day against the expected line (and the target), with axes and
    /// date ticks.
    static func progress(_ report: FieldworkReport, _ locale: ReportLocale) -> String? {
        let days = report.progress.days
        guard !days.isEmpty, report.progressScaleMaximum > 0 else { return nil }
        let (left, right, top, bottom) = (64.0, 24.0, 36.0, 48.0)
        var svg = ReportSVG(width: 760, height: 320)
        let plotWidth = svg.width - left - right
        let plotHeight = svg.height - top - bottom
        let axis = ReportSVG.axis(report.progressScaleMaximum)
        func x(_ index: Int) -> Double {
            days.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(days.count - 1)
        }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - min(max(value, 0), axis.maximum) / axis.maximum) }
        for index in 0...axis.ticks {
            let tick = Double(index) * axis.step
            svg.line(left, y(tick), left + plotWidth, y(tick), class: "grid")
            svg.text(left - 8, y(tick) + 4, locale.decimal(tick, digits: 0), anchor: "end", class: "tick")
        }
        svg.line(left, top, left, top + plotHeight, class: "axis")
        svg.line(left, top + plotHeight, left + plotWidth, top + plotHeight, class: "axis")
        let every = max(1, (days.count + 7) / 8)
        var ticks = Array(stride(from: 0, to: days.count, by: every))
        if let lastTick = ticks.last, days.count - 1 > lastTick, (days.count - 1 - lastTick) * 2 >= every {
            ticks.append(days.count - 1)
        }
        for index in ticks {
            let day = days[index]
            svg.line(x(index), top + plotHeight, x(index), top + plotHeight + 5, class: "axis")
            svg.text(x(index), top + plotHeight + 20, String(day.date.suffix(5)), anchor: "middle", class: "tick")
        }
        if let target = report.progress.target {
            svg.line(left, y(Double(target)), left + plotWidth, y(Double(target)), class: "target")
            svg.text(
                left + plotWidth - 4, y(Double(target)) - 6, "\(locale.text(.target)): \(locale.integer(target))", anchor: "end",
                class: "note")
        }
        let expected = days.enumerated().compactMap { index, day in day.expected.flatMap { $0.isFinite ? (x(index), y($0)) : nil } }
        if expected.count > 1 { svg.polyline(expected, class: "expected") }
        let done = days.enumerated().map { (x($0.offset), y(Double($0.element.cumulative))) }
        if done.count > 1 { svg.polyline(done, class: "done-line") }
        if days.count <= 62 {
            for (index, day) in days.enumerated() {
                let tip = "\(day.date): \(locale.integer(day.cumulative)) (+\(locale.integer(day.completed)))"
                svg.circle(x(index), y(Double(day.cumulative)), radius: 3, class: "done-point", tooltip: tip)
            }
        }
        var entries = [("done-line", locale.text(.cumulative))]
        if expected.count > 1 { entries.append(("expected", locale.text(.expectedLine))) }
        if report.progress.target != nil { entries.append(("target", locale.text(.target))) }
        legend(&svg, x: left, y: 16, entries)
        let last = days[days.count - 1]
        let description =
            "\(locale.text(.completed)) \(last.date): \(locale.integer(last.cumulative))"
            + (report.progress.expectedToday.map { "; \(locale.text(.expectedToday)): \(locale.decimal($0, digits: 0))" } ?? "")
        return svg.render(id: "chart-progress", title: locale.text(.chartProgress), description: description)
    }

    /// A legend of line samples and their names, left to right.
    static func legend(_ svg: inout ReportSVG, x: Double, y: Double, _ entries: [(String, String)]) {
        var position = x
        for (name, label) in entries {
            svg.line(position, y - 4, position + 24, y - 4, class: name)
            svg.text(position + 30, y, label, class: "note")
            position += 40 + Double(label.count) * 7
        }
    }

    /// One quota: a bar per cell (completed), a target marker, the expected-by-today marker,
    /// and behind-schedule cells in the warning colour with a written mark.
    static func quota(_ quota: QuotaFigures, index: Int, _ locale: ReportLocale) -> String? {
        let scale = quota.cells.map { max(Double($0.completed), Double($0.target ?? 0), $0.expectedToday ?? 0) }.max() ?? 0
        guard !quota.cells.isEmpty, scale > 0 else { return nil }
        let rowHeight = 24.0
        let (labelWidth, barLeft, barWidth) = (236.0, 244.0, 300.0)
        var svg = ReportSVG(width: 760, height: Double(quota.cells.count) * rowHeight + 12)
        for (row, cell) in quota.cells.enumerated() {
            let top = 6 + Double(row) * rowHeight
            let middle = top + rowHeight / 2 + 4
            svg.text(labelWidth, middle, ReportSVG.fit(cell.label, 32), anchor: "end", full: cell.label)
            svg.rect(barLeft, top + 4, barWidth, rowHeight - 8, class: "track")
            let done = barWidth * Double(cell.completed) / scale
            let tip = "\(cell.label): \(locale.integer(cell.completed)) / \(cell.target.map(locale.integer) ?? "–")"
            svg.rect(barLeft, top + 4, done, rowHeight - 8, class: cell.behindSchedule ? "bar behind" : "bar", tooltip: tip)
            if let expected = cell.expectedToday, expected.isFinite, expected > 0 {
                let position = barLeft + barWidth * expected / scale
                svg.line(position, top + 1, position, top + rowHeight - 1, class: "expected-mark")
            }
            if let target = cell.target {
                let position = barLeft + barWidth * Double(target) / scale
                svg.line(position, top + 1, position, top + rowHeight - 1, class: "target-mark")
            }
            let counts = "\(locale.integer(cell.completed)) / \(cell.target.map(locale.integer) ?? "–")"
            svg.text(barLeft + barWidth + 10, middle, counts, class: "label")
            if cell.behindSchedule {
                svg.text(barLeft + barWidth + 86, middle, "▲ " + locale.text(.behind), class: "behind-text")
            }
        }
        let behind = quota.cells.filter(\.behindSchedule).count
        let description =
            "\(locale.integer(quota.cells.count)) \(locale.text(.cells)), \(locale.integer(behind)) \(locale.text(.behindSchedule))"
        return svg.render(id: "chart-quota-\(index)", title: "\(locale.text(.chartQuota)): \(quota.name)", description: description)
    }

    /// Horizontal bars with a label column, a value column and a vertical reference line
    /// (`reference`, in the values' unit); bars at or beyond the reference's bad side get
    /// the warning class.
    static func bars(
        id: String, title: String, description: String, rows: [(label: String, value: Double, text: String, warn: Bool)],
        reference: (value: Double, label: String)?
    ) -> String? {
        let scale = max(rows.map(\.value).filter(\.isFinite).max() ?? 0, reference?.value ?? 0) * 1.1
        guard !rows.isEmpty, scale > 0, scale.isFinite else { return nil }
        let rowHeight = 22.0
        let (labelWidth, barLeft, barWidth) = (236.0, 244.0, 400.0)
        let top = reference == nil ? 6.0 : 26.0
        var svg = ReportSVG(width: 760, height: top + Double(rows.count) * rowHeight + 8)
        for (index, row) in rows.enumerated() {
            let rowTop = top + Double(index) * rowHeight
            let middle = rowTop + rowHeight / 2 + 4
            svg.text(labelWidth, middle, ReportSVG.fit(row.label, 32), anchor: "end", full: row.label)
            let length = row.value.isFinite ? barWidth * row.value / scale : 0
            svg.rect(
                barLeft, rowTop + 4, length, rowHeight - 8, class: row.warn ? "bar behind" : "bar", tooltip: "\(row.label): \(row.text)")
            svg.text(barLeft + length + 6, middle, row.text + (row.warn ? " *" : ""), class: row.warn ? "behind-text" : "label")
        }
        if let reference {
            let position = barLeft + barWidth * reference.value / scale
            svg.line(position, top - 6, position, top + Double(rows.count) * rowHeight, class: "reference")
            let anchor = position > barLeft + barWidth * 0.6 ? "end" : "start"
            svg.text(anchor == "end" ? position - 4 : position + 4, 14, reference.label, anchor: anchor, class: "reference-text")
        }
        return svg.render(id: id, title: title, description: description)
    }

    /// Ended interviews per outcome code, one bar each, grouped under their disposition.
    static func outcomes(_ outcomes: OutcomeFigures, _ locale: ReportLocale) -> String? {
        let scale = Double(outcomes.codes.map(\.count).max() ?? 0)
        guard scale > 0 else { return nil }
        let order = Disposition.allCases.map(\.rawValue)
        let groups = Dictionary(grouping: outcomes.codes) { $0.disposition ?? "" }
            .sorted { (order.firstIndex(of: $0.key) ?? order.count) < (order.firstIndex(of: $1.key) ?? order.count) }
        let rowHeight = 22.0
        let (labelWidth, barLeft, barWidth) = (236.0, 244.0, 400.0)
        let rows = groups.reduce(0) { $0 + 1 + $1.value.count }
        var svg = ReportSVG(width: 760, height: Double(rows) * rowHeight + 8)
        var top = 4.0
        for (disposition, codes) in groups {
            svg.text(8, top + rowHeight / 2 + 5, locale.disposition(disposition.isEmpty ? nil : disposition), class: "group")
            top += rowHeight
            for code in codes {
                let label = "\(code.code) \(code.label)"
                svg.text(labelWidth, top + rowHeight / 2 + 4, ReportSVG.fit(label, 32), anchor: "end", full: label)
                let length = barWidth * Double(code.count) / scale
                svg.rect(
                    barLeft, top + 4, length, rowHeight - 8, class: "bar disp-\(disposition.isEmpty ? "none" : disposition)",
                    tooltip: "\(label): \(code.count)")
                svg.text(barLeft + length + 6, top + rowHeight / 2 + 4, locale.integer(code.count), class: "label")
                top += rowHeight
            }
        }
        let total = outcomes.codes.reduce(0) { $0 + $1.count }
        return svg.render(
            id: "chart-outcomes", title: locale.text(.chartOutcomes), description: "\(locale.text(.count)): \(locale.integer(total))")
    }
}
