/// The terminal summary of a ``FieldworkReport``: every line fits the given width.
///
/// Sections in order: header, alerts ("Needs attention"), progress, quotas, outcomes, cases,
/// interviewers, sync and item non-response, worded in the report's language
/// (``FieldworkReport/language``) with that language's number format.
public enum FieldworkReportText {
    /// The report as plain text lines of at most `width` display columns (at least 40),
    /// ending with a newline.
    public static func render(_ report: FieldworkReport, width: Int = 80) -> String {
        var writer = TextReportWriter(report: report, width: max(40, width))
        writer.header()
        writer.alerts()
        writer.progress()
        writer.quotas()
        writer.outcomes()
        writer.cases()
        writer.interviewers()
        writer.sync()
        writer.items()
        return writer.lines.joined(separator: "\n") + "\n"
    }
}

/// Accumulates the lines of the text report; every line is cut to the width on the way in.
struct TextReportWriter {
    typealias Layout = ReportTextLayout

    let report: FieldworkReport
    let width: Int
    let locale: ReportLocale
    var lines: [String] = []

    init(report: FieldworkReport, width: Int) {
        self.report = report
        self.width = width
        locale = ReportLocale(language: report.language)
    }

    func t(_ word: ReportWord) -> String { locale.text(word) }
    func n(_ value: Int) -> String { locale.integer(value) }

    mutating func line(_ text: String) {
        var cut = Layout.truncate(text, to: width)
        while cut.last == " " { cut.removeLast() }
        lines.append(cut)
    }

    /// A wrapped paragraph: first line starts with `indent`, continuations with `indent` + 2.
    mutating func paragraph(_ text: String, indent: String = "  ", hanging: String? = nil) {
        let wrapped = Layout.wrap(text, width: width, first: indent, indent: hanging ?? indent + "  ")
        lines.append(contentsOf: wrapped)
    }

    mutating func heading(_ title: String) {
        lines.append("")
        line(title)
        line(String(repeating: "─", count: min(width, Layout.width(Layout.clean(title)))))
    }

    mutating func header() {
        let s = report.selection
        line("\(t(.reportTitle)): \(report.title)")
        paragraph(
            "\(t(.survey)): \(report.survey) · \(t(.generatedAt)): \(report.generatedAt) · \(t(.today)): \(report.today)",
            indent: "")
        paragraph(
            "\(t(.interviews)): \(n(s.interviews)) \(t(.inDataset)), \(n(s.included)) \(t(.included)): "
                + "\(n(s.completed)) \(t(.completedMany)), \(n(s.ended)) \(t(.endedOther)), "
                + "\(n(s.inProgress)) \(t(.inProgress))", indent: "")
        let excluded = s.excluded.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !excluded.isEmpty {
            let parts = excluded.map { "\(locale.exclusion($0.key)) \(n($0.value))" }
            paragraph("\(t(.excluded)): " + parts.joined(separator: ", "), indent: "")
        }
        if !s.versions.isEmpty { paragraph("\(t(.versions)): " + s.versions.joined(separator: ", "), indent: "") }
        if let file = s.correctionsFile { paragraph("\(t(.correctionsFile)): \(file)", indent: "") }
    }

    mutating func alerts() {
        heading("\(t(.alerts)) (\(report.alerts.count))")
        if report.alerts.isEmpty { paragraph(t(.noAlerts)) }
        for alert in report.alerts { paragraph("! " + locale.alert(alert), hanging: "    ") }
    }

    mutating func progress() {
        let p = report.progress
        heading(t(.progress))
        var summary = "\(t(.completed)): \(n(p.completed))"
        if let target = p.target {
            summary += " / \(n(target)) (\(locale.percent(p.completed, of: target)))"
        } else {
            summary += " (\(t(.noTarget)))"
        }
        if let expected = p.expectedToday { summary += " · \(t(.expectedToday)): \(locale.decimal(expected, digits: 0))" }
        summary += p.behindSchedule ? " · \(t(.behind))" : (p.expectedToday == nil ? "" : " · \(t(.onTrack))")
        paragraph(summary)
        if let scope = report.scope { paragraph(locale.scopeLine(scope)) }
        if let target = p.target, target > 0 {
            line("  [" + Layout.bar(Double(p.completed), of: Double(target), columns: width - 6, marker: p.expectedToday) + "]")
            paragraph(t(.barLegend))
        }
        if let first = p.periodFirst, let last = p.periodLast {
            paragraph("\(t(.period)): \(first) – \(last)")
        } else {
            paragraph("\(t(.period)): \(t(.noPeriod))")
        }
        if p.completed == 0 { paragraph(t(.noCompletes)) }
        let recent = p.days.suffix(7).map { "\($0.date.suffix(5)):\u{00A0}\(n($0.completed))" }
        if !recent.isEmpty { paragraph("\(t(.lastDays)): " + recent.joined(separator: " · ")) }
    }

    mutating func quotas() {
        heading(t(.quotas))
        if report.quotas.isEmpty { paragraph(t(.noQuotas)) } else { paragraph(t(.barLegend)) }
        let markWidth = Layout.width(t(.behind))
        let labelWidth = max(8, width - 4 - 1 - 15 - 2 - 14 - 2 - markWidth)
        for quota in report.quotas {
            let variables = quota.variables.joined(separator: " × ")
            paragraph(quota.name == variables ? quota.name : "\(quota.name) (\(variables))")
            if let scope = locale.quotaScopeLine(quota) { paragraph(scope, indent: "    ") }
            let scale = Double(quota.cells.map { max($0.completed, $0.target ?? 0) }.max() ?? 0)
            for cell in quota.cells {
                let counts = n(cell.completed) + " / " + (cell.target.map(n) ?? "–")
                let bar: String
                if let target = cell.target, target > 0 {
                    bar = Layout.bar(Double(cell.completed), of: Double(target), columns: 12, marker: cell.expectedToday)
                } else {
                    bar = Layout.bar(Double(cell.completed), of: scale, columns: 12)
                }
                let mark = cell.behindSchedule ? t(.behind) : ""
                line(
                    "    " + Layout.pad(cell.label, to: labelWidth) + " " + Layout.pad(counts, to: 15, right: true)
                        + "  [" + bar + "]  " + mark)
            }
        }
    }

    mutating func outcomes() {
        let o = report.outcomes
        heading(t(.outcomes))
        if o.codes.allSatisfy({ $0.count == 0 }) { paragraph(t(.noOutcomes)) }
        if !o.codes.isEmpty {
            let dispositionWidth = min(31, (width - 4 - 6 - 2 - 2 - 9) / 2)
            let labelWidth = width - 4 - 6 - 2 - dispositionWidth - 2 - 9
            func row(_ code: String, _ label: String, _ disposition: String, _ count: String) -> String {
                "    " + Layout.pad(code, to: 6, right: true) + "  " + Layout.pad(label, to: labelWidth) + "  "
                    + Layout.pad(disposition, to: dispositionWidth) + Layout.pad(count, to: 9, right: true)
            }
            line(row(t(.code), t(.outcome), t(.disposition), t(.count)))
            for code in o.codes {
                line(row(String(code.code), code.label, locale.disposition(code.disposition), n(code.count)))
            }
        }
        paragraph("\(t(.inProgressNotInRates)): \(n(o.inProgress))")
        if o.notFinal > 0 {
            let codes = o.codes.filter { $0.notFinal > 0 }.map { "\($0.code): \(n($0.notFinal))" }.joined(separator: ", ")
            paragraph("\(t(.notFinalNotInRates)): \(n(o.notFinal)) (\(codes))")
        }
        if o.unclassified > 0 {
            paragraph("\(t(.unclassified).prefix(1).uppercased() + t(.unclassified).dropFirst()): \(n(o.unclassified))")
        }
        for rate in AAPORRate.allCases {
            let value = rate.value(in: o).map { locale.percent($0) } ?? "\(t(.rateUnavailable))"
            paragraph("\(rate.name) (\(t(rate.word))): \(value)")
            paragraph("= " + rate.formula, indent: "        ")
        }
        if o.rr1 == nil { paragraph(t(.noDispositions)) }
        paragraph(AAPORRate.legend(locale), indent: "    ", hanging: "      ")
    }
}

// MARK: - Interviewers, sync, items

extension TextReportWriter {
    mutating func interviewers() {
        heading(t(.interviewers))
        if report.interviewers.isEmpty {
            paragraph(t(.noInterviewers))
            return
        }
        let columns: [(ReportWord, Int)] = [
            (.done, 7), (.medianMinutes, 8), (.dkShare, 8), (.rfShare, 8), (.softChecks, 7), (.speeders, 7),
            (.outsideHours, 9),
        ]
        let idWidth = max(8, width - 4 - columns.reduce(0) { $0 + $1.1 })
        var header = "    " + Layout.pad(t(.interviewer), to: idWidth)
        for (word, columnWidth) in columns { header += Layout.pad(t(word) + " ", to: columnWidth, right: true) }
        line(header)
        for figures in report.interviewers {
            let flags = InterviewerFlags(figures, in: report)
            let cells: [(String, Bool)] = [
                (n(figures.completed), false),
                (figures.medianMinutes.map { locale.decimal($0) } ?? "–", flags.median),
                (figures.dontKnowShare.map { locale.percent($0) } ?? "–", flags.nonResponse),
                (figures.refusedShare.map { locale.percent($0) } ?? "–", flags.nonResponse),
                (n(figures.softChecksConfirmed), false),
                (n(figures.speeders), flags.speeders),
                (n(figures.outsideHours), flags.outsideHours),
            ]
            var row = "    " + Layout.pad(figures.interviewer, to: idWidth)
            for ((text, flagged), (_, columnWidth)) in zip(cells, columns) {
                row += Layout.pad(text + (flagged ? "*" : " "), to: columnWidth, right: true)
            }
            line(row)
        }
        paragraph(t(.interviewerLegend) + "; " + t(.flaggedMark), indent: "    ", hanging: "      ")
    }

    mutating func sync() {
        let s = report.sync
        heading(t(.sync))
        let limit = s.speederMinutes.map { "\(locale.decimal($0)) \(t(.minutesUnit)) (\(locale.speederRule(s.speederRule)))" } ?? "–"
        let hours = "\(s.workingHours) (\(t(s.workingHoursDeclared ? .declared : .defaultValue)))"
        paragraph(
            "\(t(.acceptedBundles)): \(n(s.acceptedBundles)) · \(t(.rejectedBundles)): \(n(s.rejectedBundles.count))"
                + " · \(t(.speederLimit)): \(limit) · \(t(.workingHours)): \(hours)")
        if s.devices.isEmpty { paragraph(t(.noDevices)) }
        if !s.devices.isEmpty { deviceTable(s.devices) }
        if s.rejectedBundles.isEmpty { paragraph(t(.noRejected)) } else { paragraph(t(.rejectedBundles) + ":") }
        for bundle in s.rejectedBundles {
            paragraph("\(bundle.at)  \(bundle.device ?? "–")  \(bundle.file)", indent: "    ")
            paragraph("\(t(.reason)): \(bundle.reason)", indent: "        ")
        }
        if s.conflicts.isEmpty {
            paragraph(t(.noConflicts))
        } else {
            paragraph("\(t(.conflicts)): \(n(s.conflicts.count))")
            let shown = s.conflicts.prefix(30).joined(separator: ", ")
            let more = s.conflicts.count > 30 ? ", … (+\(n(s.conflicts.count - 30)))" : ""
            paragraph(shown + more, indent: "    ", hanging: "    ")
        }
    }

    private mutating func deviceTable(_ devices: [DeviceFigures]) {
        let fixed = 4 + 14 + 11 + 8 + 2 + 17 + 5 + 2
        let missingWidth = max(6, width - fixed)
        func row(_ cells: [String]) -> String {
            "    " + Layout.pad(cells[0], to: 14) + Layout.pad(cells[1], to: 11) + Layout.pad(cells[2], to: 8, right: true)
                + "  " + Layout.pad(cells[3], to: 17) + Layout.pad(cells[4], to: 5, right: true) + "  "
                + Layout.truncate(cells[5], to: missingWidth)
        }
        line(row([t(.device), t(.status), t(.events), t(.lastBundle), t(.daysSince), t(.missing)]))
        for device in devices {
            let stale = report.hasAlert(.staleDevice, about: device.device)
            let days = device.daysSinceLastBundle.map { n($0) + (stale ? "*" : "") } ?? "–"
            let missing = device.missing.isEmpty ? t(.none) : device.missing.joined(separator: ", ") + " *"
            line(
                row([device.device, locale.deviceStatus(device.status), n(device.events), device.lastBundleAt ?? t(.never), days, missing]))
            if Layout.width(missing) > missingWidth {
                paragraph("\(t(.missing)): " + device.missing.joined(separator: ", "), indent: "      ")
            }
        }
    }

    mutating func items() {
        let figures = report.items
        let flagged = figures.flagged
        heading(t(.items))
        paragraph(
            "\(t(.threshold)): \(locale.percent(figures.threshold)) · \(n(flagged.count)) \(t(.flaggedCount))"
                + " (\(n(figures.items.count)))")
        if figures.items.isEmpty { paragraph(t(.noItems)) } else if flagged.isEmpty { paragraph(t(.noFlaggedItems)) }
        guard !flagged.isEmpty else { return }
        let labelWidth = max(8, width - 4 - 13 - 9 - 7 - 7 - 8)
        func row(_ cells: [String]) -> String {
            "    " + Layout.pad(cells[0], to: 12) + " " + Layout.pad(cells[1], to: labelWidth)
                + Layout.pad(cells[2], to: 9, right: true) + Layout.pad(cells[3], to: 7, right: true)
                + Layout.pad(cells[4], to: 7, right: true) + Layout.pad(cells[5], to: 8, right: true)
        }
        line(row([t(.variable), t(.question), t(.answered), t(.dontKnow), t(.refused), t(.share)]))
        for item in flagged {
            line(row([item.variable, item.label, n(item.answered), n(item.dontKnow), n(item.refused), locale.percent(item.share)]))
        }
    }
}

/// The three AAPOR rates the report shows, with their formulas written out.
enum AAPORRate: CaseIterable {
    case rr1, ref1, con1

    var name: String {
        switch self {
        case .rr1: "RR1"
        case .ref1: "REF1"
        case .con1: "CON1"
        }
    }

    var word: ReportWord {
        switch self {
        case .rr1: .rr1Name
        case .ref1: .ref1Name
        case .con1: .con1Name
        }
    }

    /// The AAPOR Standard Definitions formula.
    var formula: String {
        switch self {
        case .rr1: "I / ((I + P) + (R + NC + O) + (UH + UO))"
        case .ref1: "R / ((I + P) + (R + NC + O) + (UH + UO))"
        case .con1: "((I + P) + R + O) / ((I + P) + R + O + NC + (UH + UO))"
        }
    }

    func value(in outcomes: OutcomeFigures) -> Double? {
        let value =
            switch self {
            case .rr1: outcomes.rr1
            case .ref1: outcomes.ref1
            case .con1: outcomes.con1
            }
        return value.flatMap { $0.isFinite ? $0 : nil }
    }

    /// What the letters of the formulas stand for.
    static func legend(_ locale: ReportLocale) -> String {
        let letters = ["complete", "partial", "refusal", "noncontact", "other", "unknown"].map { locale.disposition($0) }
        return letters.joined(separator: "; ")
    }
}
