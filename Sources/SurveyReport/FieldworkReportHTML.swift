/// The coordinator's HTML report of a ``FieldworkReport``: one self-contained file.
///
/// Inline `<style>` and inline SVG only: no scripts, fonts, images or any other external
/// reference, so it opens offline in any browser and prints cleanly. The markup is also
/// well-formed XML. Sections carry stable ids: `summary`, `alerts`, `progress`, `quotas`,
/// `outcomes`, `cases`, `interviewers`, `sync`, `items`. Every chart has a title and description and a
/// data table beside it; empty data is said in words rather than drawn.
public enum FieldworkReportHTML {
    /// The section ids, in page order.
    public static let sectionIDs = ["summary", "alerts", "progress", "quotas", "outcomes", "cases", "interviewers", "sync", "items"]

    /// The complete HTML5 document.
    public static func render(_ report: FieldworkReport) -> String {
        var page = HTMLReportWriter(report: report)
        page.document()
        return "<!DOCTYPE html>\n" + page.html.output
    }
}

/// Writes the page section by section.
struct HTMLReportWriter {
    let report: FieldworkReport
    let locale: ReportLocale
    var html = ReportMarkup()

    init(report: FieldworkReport) {
        self.report = report
        locale = ReportLocale(language: report.language)
    }

    func t(_ word: ReportWord) -> String { locale.text(word) }
    func n(_ value: Int) -> String { locale.integer(value) }

    mutating func document() {
        html.open("html", ["lang": locale.code])
        html.raw("\n")
        html.open("head")
        html.empty("meta", ["charset": "utf-8"])
        html.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
        html.element("title", text: "\(t(.reportTitle)): \(report.title) (\(report.generatedAt))")
        html.open("style")
        html.raw("\n" + ReportStyle.css)
        html.close()
        html.close()
        html.raw("\n")
        html.open("body")
        summary()
        navigation()
        html.open("main")
        alerts()
        progress()
        quotas()
        outcomes()
        cases()
        interviewers()
        sync()
        items()
        html.close()
        html.close()
        html.close()
        html.raw("\n")
    }

    mutating func section(_ id: String, _ title: String, _ content: (inout HTMLReportWriter) -> Void) {
        html.open("section", ["id": id])
        html.element("h2", text: title)
        content(&self)
        html.close()
    }

    mutating func paragraph(_ text: String, class name: String? = nil) {
        if let name { html.element("p", ["class": name], text: text) } else { html.element("p", text: text) }
    }

    /// A data table folded under a "Data table" summary.
    mutating func dataTable(_ header: [String], _ rows: [[(text: String, flag: Bool)]], numeric: Set<Int>) {
        html.open("details", ["class": "data"])
        html.element("summary", text: t(.dataTable))
        html.table(header, rows, numeric: numeric)
        html.close()
    }

    mutating func figure(_ svg: String?, otherwise words: String) {
        if let svg {
            html.open("div", ["class": "figure"])
            html.raw(svg)
            html.close()
        } else {
            paragraph(words, class: "empty")
        }
    }

    mutating func summary() {
        let s = report.selection
        html.open("header", ["id": "summary"])
        html.element("p", ["class": "kicker"], text: t(.reportTitle))
        html.element("h1", text: report.title)
        html.open("dl", ["class": "meta"])
        for (word, value) in [(ReportWord.survey, report.survey), (.generatedAt, report.generatedAt), (.today, report.today)] {
            html.open("div")
            html.element("dt", text: t(word))
            html.element("dd", text: value)
            html.close()
        }
        html.close()
        keyFigures()
        paragraph(
            "\(t(.interviews)): \(n(s.interviews)) \(t(.inDataset)), \(n(s.included)) \(t(.included)): "
                + "\(n(s.completed)) \(t(.completedMany)), \(n(s.ended)) \(t(.endedOther)), \(n(s.inProgress)) \(t(.inProgress)).")
        let excluded = s.excluded.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !excluded.isEmpty {
            paragraph("\(t(.excluded)): " + excluded.map { "\(locale.exclusion($0.key)) \(n($0.value))" }.joined(separator: ", ") + ".")
        }
        if !s.versions.isEmpty { paragraph("\(t(.versions)): " + s.versions.joined(separator: ", ")) }
        if let file = s.correctionsFile { paragraph("\(t(.correctionsFile)): \(file)") }
        html.close()
    }

    private mutating func keyFigures() {
        let p = report.progress
        let completed = n(p.completed) + (p.target.map { " / " + n($0) } ?? "")
        let rr1 = AAPORRate.rr1.value(in: report.outcomes).map { locale.percent($0) } ?? "–"
        let figures: [(String, String, Bool)] = [
            (t(.completed), completed, p.behindSchedule),
            (t(.expectedToday), p.expectedToday.map { locale.decimal($0, digits: 0) } ?? "–", false),
            ("RR1", rr1, false),
            (t(.alerts), n(report.alerts.count), !report.alerts.isEmpty),
        ]
        html.open("div", ["class": "key"])
        for (label, value, warn) in figures {
            html.open("div", warn ? ["class": "box warn"] : ["class": "box"])
            html.element("span", ["class": "value"], text: value + (warn ? " *" : ""))
            html.element("span", ["class": "name"], text: label)
            html.close()
        }
        html.close()
    }

    private mutating func navigation() {
        let titles = [t(.alerts), t(.progress), t(.quotas), t(.outcomes), locale.c(.title), t(.interviewers), t(.sync), t(.items)]
        html.open("nav")
        html.open("ul")
        for (id, title) in zip(FieldworkReportHTML.sectionIDs.dropFirst(), titles) {
            html.open("li")
            html.element("a", ["href": "#" + id], text: title)
            html.close()
        }
        html.close()
        html.close()
    }

    mutating func alerts() {
        section("alerts", "\(t(.alerts)) (\(n(report.alerts.count)))") { page in
            if page.report.alerts.isEmpty {
                page.paragraph(page.t(.noAlerts), class: "ok")
                return
            }
            page.html.open("ul", ["class": "alerts"])
            for alert in page.report.alerts {
                page.html.element("li", ["class": "alert kind-\(alert.kind.rawValue)"], text: "⚠ " + page.locale.alert(alert))
            }
            page.html.close()
        }
    }

    mutating func progress() {
        section("progress", t(.progress)) { page in
            let p = page.report.progress
            var summary = "\(page.t(.completed)): \(page.n(p.completed))"
            summary += p.target.map { " / \(page.n($0)) (\(page.locale.percent(p.completed, of: $0)))" } ?? " (\(page.t(.noTarget)))"
            if let expected = p.expectedToday { summary += "; \(page.t(.expectedToday)): \(page.locale.decimal(expected, digits: 0))" }
            if p.behindSchedule { summary += " ▲ \(page.t(.behind))" }
            page.paragraph(summary, class: p.behindSchedule ? "status behind-text" : "status")
            if let scope = page.report.scope { page.paragraph(page.locale.scopeLine(scope), class: "scope") }
            let period = p.periodFirst.flatMap { first in p.periodLast.map { "\(first) – \($0)" } } ?? page.t(.noPeriod)
            page.paragraph("\(page.t(.period)): \(period)")
            page.figure(ReportCharts.progress(page.report, page.locale), otherwise: page.t(.noCompletes))
            guard !p.days.isEmpty else { return }
            let rows = p.days.map { day in
                [
                    (day.date, false), (page.n(day.completed), false), (page.n(day.cumulative), false),
                    (day.expected.map { page.locale.decimal($0) } ?? "–", false),
                ]
            }
            page.dataTable([page.t(.date), page.t(.dailyCompletes), page.t(.cumulative), page.t(.expectedLine)], rows, numeric: [1, 2, 3])
        }
    }

    mutating func quotas() {
        section("quotas", t(.quotas)) { page in
            if page.report.quotas.isEmpty { page.paragraph(page.t(.noQuotas), class: "empty") }
            if page.report.quotas.contains(where: { $0.cells.contains { $0.target != nil } }) {
                page.paragraph(page.t(.quotaTargetMarker), class: "note")
            }
            for (index, quota) in page.report.quotas.enumerated() {
                let variables = quota.variables.joined(separator: " × ")
                page.html.element("h3", text: quota.name == variables ? quota.name : "\(quota.name) (\(variables))")
                if let scope = page.locale.quotaScopeLine(quota) { page.paragraph(scope, class: "scope") }
                page.figure(ReportCharts.quota(quota, index: index, page.locale), otherwise: page.t(.noCompletes))
                let rows = quota.cells.map { cell in
                    [
                        (cell.label, false), (page.n(cell.completed), false), (cell.target.map(page.n) ?? "–", false),
                        (cell.expectedToday.map { page.locale.decimal($0) } ?? "–", false),
                        (cell.behindSchedule ? page.t(.behind) : "", cell.behindSchedule),
                    ]
                }
                page.dataTable(
                    [page.t(.quotaCell), page.t(.completed), page.t(.target), page.t(.expectedToday), ""], rows, numeric: [1, 2, 3])
            }
        }
    }
}
