/// The outcome, interviewer, sync and item sections of the HTML report.
extension HTMLReportWriter {
    mutating func outcomes() {
        section("outcomes", t(.outcomes)) { page in
            let o = page.report.outcomes
            page.figure(ReportCharts.outcomes(o, page.locale), otherwise: page.t(.noOutcomes))
            if !o.codes.isEmpty {
                let rows = o.codes.map { code in
                    [
                        (String(code.code), false), (code.label, false),
                        (page.locale.disposition(code.disposition), code.disposition == nil),
                        (page.n(code.count), false),
                    ]
                }
                page.dataTable([page.t(.code), page.t(.outcome), page.t(.disposition), page.t(.count)], rows, numeric: [0, 3])
            }
            page.paragraph("\(page.t(.inProgressNotInRates)): \(page.n(o.inProgress)); \(page.t(.unclassified)): \(page.n(o.unclassified))")
            if o.notFinal > 0 { page.paragraph("\(page.t(.notFinalNotInRates)): \(page.n(o.notFinal))") }
            page.html.open("table", ["class": "rates"])
            page.html.open("thead")
            page.html.open("tr")
            for title in [page.t(.rate), "", page.t(.formula)] { page.html.element("th", ["scope": "col"], text: title) }
            page.html.close()
            page.html.close()
            page.html.open("tbody")
            for rate in AAPORRate.allCases {
                page.html.open("tr")
                page.html.element("th", ["scope": "row"], text: "\(rate.name) (\(page.t(rate.word)))")
                if let value = rate.value(in: o) {
                    page.html.element("td", ["class": "num big"], text: page.locale.percent(value))
                } else {
                    page.html.element("td", ["class": "num"], text: page.t(.rateUnavailable))
                }
                page.html.element("td", ["class": "formula"], text: "\(rate.name) = \(rate.formula)")
                page.html.close()
            }
            page.html.close()
            page.html.close()
            if o.rr1 == nil { page.paragraph(page.t(.noDispositions), class: "note") }
            page.paragraph(AAPORRate.legend(page.locale), class: "note")
        }
    }

    mutating func interviewers() {
        section("interviewers", t(.interviewers)) { page in
            let list = page.report.interviewers
            guard !list.isEmpty else {
                page.paragraph(page.t(.noInterviewers), class: "empty")
                return
            }
            let header = [
                page.t(.interviewer), page.t(.devicesColumn), page.t(.interviewsColumn), page.t(.done), page.t(.medianMinutes),
                page.t(.dkShare), page.t(.rfShare), page.t(.softChecks), page.t(.speeders), page.t(.outsideHours),
            ]
            let rows = list.map { figures in
                let flags = InterviewerFlags(figures, in: page.report)
                return [
                    (figures.interviewer, false), (figures.devices.joined(separator: ", "), false),
                    (page.n(figures.interviews), false), (page.n(figures.completed), false),
                    (figures.medianMinutes.map { page.locale.decimal($0) } ?? "–", flags.median),
                    (figures.dontKnowShare.map { page.locale.percent($0) } ?? "–", flags.nonResponse),
                    (figures.refusedShare.map { page.locale.percent($0) } ?? "–", flags.nonResponse),
                    (page.n(figures.softChecksConfirmed), false), (page.n(figures.speeders), flags.speeders),
                    (page.n(figures.outsideHours), flags.outsideHours),
                ]
            }
            page.html.open("div", ["class": "scroll"])
            page.html.table(header, rows, numeric: Set(2...9))
            page.html.close()
            page.paragraph(page.t(.interviewerLegend) + ". " + page.t(.flaggedMark) + ".", class: "note")
            page.medianChart()
        }
    }

    private mutating func medianChart() {
        let limit = report.sync.speederMinutes.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        let rows = report.interviewers.compactMap { figures -> (label: String, value: Double, text: String, warn: Bool)? in
            guard let median = figures.medianMinutes, median.isFinite else { return nil }
            let warn = limit.map { median < $0 } ?? false
            return (figures.interviewer, median, "\(locale.decimal(median)) \(t(.minutesUnit))", warn)
        }
        html.element("h3", text: t(.chartMedian))
        let reference = limit.map { ($0, "\(t(.speederLimit)): \(locale.decimal($0)) \(t(.minutesUnit))") }
        let chart = ReportCharts.bars(
            id: "chart-medians", title: t(.chartMedian),
            description: reference?.1 ?? "\(t(.speederLimit)): –", rows: rows, reference: reference)
        figure(chart, otherwise: t(.noCompletes))
    }

    mutating func sync() {
        section("sync", t(.sync)) { page in
            let s = page.report.sync
            let limit =
                s.speederMinutes.map { "\(page.locale.decimal($0)) \(page.t(.minutesUnit)) (\(page.locale.speederRule(s.speederRule)))" }
                ?? "–"
            page.paragraph(
                "\(page.t(.acceptedBundles)): \(page.n(s.acceptedBundles)); \(page.t(.rejectedBundles)): \(page.n(s.rejectedBundles.count)); "
                    + "\(page.t(.speederLimit)): \(limit); \(page.t(.workingHours)): \(s.workingHours) "
                    + "(\(page.t(s.workingHoursDeclared ? .declared : .defaultValue)))")
            page.deviceTable()
            page.html.element("h3", text: page.t(.rejectedBundles))
            if s.rejectedBundles.isEmpty {
                page.paragraph(page.t(.noRejected), class: "ok")
            } else {
                let rows = s.rejectedBundles.map { [($0.at, false), ($0.file, false), ($0.device ?? "–", false), ($0.reason, true)] }
                page.html.table([page.t(.at), page.t(.file), page.t(.device), page.t(.reason)], rows)
            }
            page.html.element("h3", text: page.t(.conflicts))
            if s.conflicts.isEmpty {
                page.paragraph(page.t(.noConflicts), class: "ok")
            } else {
                page.html.open("details")
                page.html.element("summary", ["class": "behind-text"], text: "\(page.t(.interviews)): \(page.n(s.conflicts.count))")
                page.html.open("ul", ["class": "ids"])
                for id in s.conflicts { page.html.element("li", text: id) }
                page.html.close()
                page.html.close()
            }
        }
    }

    private mutating func deviceTable() {
        let devices = report.sync.devices
        guard !devices.isEmpty else {
            paragraph(t(.noDevices), class: "empty")
            return
        }
        let rows = devices.map { device in
            [
                (device.device, false), (locale.deviceStatus(device.status), device.status == "revoked"),
                (n(device.events), false), (device.lastBundleAt ?? t(.never), device.lastBundleAt == nil),
                (device.lastBundleFile ?? "–", false),
                (device.daysSinceLastBundle.map(n) ?? "–", report.hasAlert(.staleDevice, about: device.device)),
                (device.missing.isEmpty ? t(.none) : device.missing.joined(separator: ", "), !device.missing.isEmpty),
            ]
        }
        html.open("div", ["class": "scroll"])
        html.table(
            [t(.device), t(.status), t(.events), t(.lastBundle), t(.file), t(.daysSince), t(.missing)], rows, numeric: [2, 5])
        html.close()
    }

    mutating func items() {
        section("items", t(.items)) { page in
            let figures = page.report.items
            let flagged = figures.flagged
            page.paragraph(
                "\(page.t(.threshold)): \(page.locale.percent(figures.threshold)); \(page.n(flagged.count)) \(page.t(.flaggedCount)) "
                    + "(\(page.n(figures.items.count)))")
            if figures.items.isEmpty {
                page.paragraph(page.t(.noItems), class: "empty")
                return
            }
            let rows = flagged.map { item in
                (label: "\(item.variable) \(item.label)", value: item.share * 100, text: page.locale.percent(item.share), warn: true)
            }
            let reference = (figures.threshold * 100, "\(page.t(.threshold)): \(page.locale.percent(figures.threshold))")
            let chart = ReportCharts.bars(
                id: "chart-items", title: page.t(.chartItems), description: reference.1, rows: rows, reference: reference)
            page.figure(chart, otherwise: page.t(.noFlaggedItems))
            page.html.open("details", ["class": "data"])
            page.html.element("summary", text: "\(page.t(.allItems)) (\(page.n(figures.items.count)))")
            let tableRows = figures.items.map { item in
                let over = item.share > figures.threshold
                return [
                    (item.variable, false), (item.label, false), (page.n(item.answered), false), (page.n(item.dontKnow), false),
                    (page.n(item.refused), false), (page.locale.percent(item.share), over),
                ]
            }
            page.html.table(
                [page.t(.variable), page.t(.question), page.t(.answered), page.t(.dontKnow), page.t(.refused), page.t(.share)],
                tableRows, numeric: [2, 3, 4, 5])
            page.html.close()
        }
    }
}

/// The report's stylesheet: plain, readable on a laptop, printable. It holds no `<` or `&`
/// (it is written unescaped) and no external reference of any kind.
enum ReportStyle {
    static let css = """
        :root { --ink: #1d2430; --muted: #5b6472; --line: #d5dae1; --done: #2f6db5; --warn: #c2410c; --ok: #2f7d4f; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1040px; padding: 24px 28px 48px; color: var(--ink); background: #fff;
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
        h1 { font-size: 26px; margin: 2px 0 8px; }
        h2 { font-size: 20px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        section { margin-top: 30px; }
        .kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; font-size: 13px; }
        .meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 12px; }
        .meta div { display: flex; gap: 6px; } .meta dt { color: var(--muted); } .meta dt::after { content: ":"; } .meta dd { margin: 0; }
        .key { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
        .box { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 150px; }
        .box .value { display: block; font-size: 22px; font-weight: 600; } .box .name { color: var(--muted); font-size: 13px; }
        .box.warn { border-color: var(--warn); } .box.warn .value { color: var(--warn); }
        nav ul { list-style: none; padding: 8px 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
        nav a { color: var(--done); text-decoration: none; }
        ul.alerts { padding: 0; list-style: none; }
        li.alert { border-left: 4px solid var(--warn); background: #fff4ec; padding: 6px 10px; margin: 4px 0; }
        .ok { color: var(--ok); } .empty { color: var(--muted); font-style: italic; } .note { color: var(--muted); font-size: 13px; }
        .behind-text { color: var(--warn); font-weight: 600; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid var(--ink); }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.flag { background: #fde3d3; color: #8a2c06; font-weight: 600; }
        td.formula { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
        td.big { font-size: 18px; font-weight: 600; }
        .scroll { overflow-x: auto; }
        details.data summary, details summary { cursor: pointer; color: var(--done); margin: 4px 0; }
        ul.ids { columns: 3; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
        .figure { margin: 8px 0; }
        svg.chart { max-width: 100%; height: auto; font-size: 12px; }
        svg text { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
        svg .label { fill: var(--ink); } svg .tick { fill: var(--muted); font-size: 11px; }
        svg .note { fill: var(--muted); } svg .group { fill: var(--ink); font-weight: 600; }
        svg .grid { stroke: #eceff3; stroke-width: 1; } svg .axis { stroke: var(--muted); stroke-width: 1; }
        svg .track { fill: #eef1f5; } svg .bar { fill: var(--done); } svg .bar.behind { fill: var(--warn); }
        svg .behind-text { fill: var(--warn); font-weight: 600; }
        svg .target-mark { stroke: var(--ink); stroke-width: 2.5; }
        svg .expected-mark { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 3 2; }
        svg .target { stroke: var(--ink); stroke-width: 1; stroke-dasharray: 2 3; }
        svg .expected { fill: none; stroke: #8a93a0; stroke-width: 2; stroke-dasharray: 6 4; }
        svg .done-line { fill: none; stroke: var(--done); stroke-width: 2.5; }
        svg .done-point { fill: var(--done); }
        svg .reference { stroke: var(--warn); stroke-width: 2; stroke-dasharray: 5 3; }
        svg .reference-text { fill: var(--warn); font-size: 12px; }
        svg .disp-complete, svg .disp-partial { fill: var(--done); } svg .disp-refusal { fill: var(--warn); }
        svg .disp-noncontact, svg .disp-other { fill: #b7791f; } svg .disp-unknown, svg .disp-ineligible, svg .disp-none { fill: #8a93a0; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11pt; }
          nav { display: none; }
          section { break-inside: auto; } h2, h3, .figure, tr { break-inside: avoid; break-after: avoid-page; }
          li.alert, td.flag { background: none; }
          .scroll { overflow: visible; }
        }

        """
}
