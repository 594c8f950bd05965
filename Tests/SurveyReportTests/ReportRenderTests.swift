import Foundation
import InterviewEngine
import SurveyReport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One report fixture in one language, named for test output.
struct RenderCase: Sendable, CustomTestStringConvertible {
    let name: String
    let report: FieldworkReport
    var testDescription: String { "\(name) (\(report.language))" }

    static let all: [RenderCase] = ["hu", "en"].flatMap { language in
        [
            RenderCase(name: "realistic", report: ReportRenderFixtures.realistic(language: language)),
            RenderCase(name: "empty", report: ReportRenderFixtures.empty(language: language)),
            RenderCase(name: "hostile", report: ReportRenderFixtures.hostile(language: language)),
            RenderCase(name: "untargeted", report: ReportRenderFixtures.untargeted(language: language)),
        ]
    }
}

/// Terminal columns of a line, counted independently of the renderer: one per character,
/// two for East Asian wide characters and emoji.
func columns(_ line: Substring) -> Int {
    line.reduce(0) { total, character in
        let value = character.unicodeScalars.first?.value ?? 0
        let wide =
            (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0xFF00...0xFF60).contains(value) || (0x1F300...0x1FAFF).contains(value)
            || (0x20000...0x3FFFD).contains(value)
        return total + (wide ? 2 : 1)
    }
}

/// Matches a non-finite number as Swift or a browser would print it.
func containsNonFinite(_ text: String) -> Bool {
    text.range(of: #"(?i)\bnan\b|\b-?inf(inity)?\b"#, options: .regularExpression) != nil
}

@Suite("Text report")
struct ReportTextTests {
    @Test("every line fits the width", arguments: RenderCase.all, [80, 60, 40])
    func linesFitWidth(_ item: RenderCase, width: Int) {
        let text = FieldworkReportText.render(item.report, width: width)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 20)
        for line in lines { #expect(columns(line) <= width, "\(columns(line)) columns: \(line)") }
    }

    @Test(
        "sections come in order, alerts first",
        arguments: [
            ("hu", ["Figyelmet igényel", "Haladás", "Kvóták", "Kimenetek", "Kérdezők", "Szinkronizálás", "Tételes válaszhiány"]),
            ("en", ["Needs attention", "Progress", "Quotas", "Outcomes", "Interviewers", "Sync", "Item non-response"]),
        ])
    func sectionsInOrder(_ language: String, _ headings: [String]) throws {
        let text = FieldworkReportText.render(ReportRenderFixtures.realistic(language: language))
        let lines = text.split(separator: "\n").map(String.init)
        var previous = 0
        for heading in headings {
            let index = try #require(lines.firstIndex { $0.hasPrefix(heading) }, "missing \(heading)")
            #expect(index > previous, "\(heading) out of order")
            #expect(lines[index + 1].allSatisfy { $0 == "─" }, "\(heading) not underlined")
            previous = index
        }
    }

    @Test("every alert gets one worded line in the report's language")
    func alertsWorded() {
        let report = ReportRenderFixtures.realistic(language: "hu")
        let text = FieldworkReportText.render(report)
        let alertLines = text.split(separator: "\n").filter { $0.hasPrefix("  ! ") }
        #expect(alertLines.count == report.alerts.count)
        #expect(text.contains("! Túl rövid interjúk, kérdező: K07 (14 / 84)"))
        #expect(text.contains("! Sok nem tudja / nem válaszol, kérdező: K05 (18,4%)"))
        #expect(text.contains("! Kvótacella lemaradásban: district = Avas (12 / 37,2)"))
        #expect(text.contains("(signature does not verify)"))
        #expect(text.contains("! Hiányzó csomagok, eszköz: laptop-03 (41-80)"))
        let english = FieldworkReportText.render(ReportRenderFixtures.realistic(language: "en"))
        #expect(english.contains("! Very short interviews (speeders), interviewer: K07 (14 / 84)"))
        #expect(english.contains("K05 (18.4%)"))
        #expect(!english.contains("Túl rövid"))
    }

    @Test("numbers follow the language: decimal comma and space groups in Hungarian")
    func numberFormats() {
        let hu = FieldworkReportText.render(ReportRenderFixtures.realistic(language: "hu"))
        #expect(hu.contains("1\u{00A0}318 az adatbázisban"))  // a no-break space groups thousands
        #expect(hu.contains("22\u{00A0}234"))
        #expect(hu.contains("RR1 (válaszadási arány): 42,1%"))
        #expect(hu.contains("= I / ((I + P) + (R + NC + O) + (UH + UO))"))
        let en = FieldworkReportText.render(ReportRenderFixtures.realistic(language: "en"))
        #expect(en.contains("1,318 in the dataset"))
        #expect(en.contains("RR1 (response rate): 42.1%"))
        #expect(en.contains("CON1 (contact rate): 69.2%"))
    }

    @Test("behind-schedule quota cells and flagged interviewer figures are marked")
    func anomaliesMarked() throws {
        let text = FieldworkReportText.render(ReportRenderFixtures.realistic(language: "en"))
        let avas = try #require(text.split(separator: "\n").first { $0.hasPrefix("    Avas ") })
        #expect(avas.hasSuffix("BEHIND"))
        let belvaros = try #require(text.split(separator: "\n").first { $0.contains("Belváros") })
        #expect(!belvaros.contains("BEHIND"))
        let speeder = try #require(text.split(separator: "\n").first { $0.hasPrefix("    K07 ") })
        #expect(speeder.contains("6.5*"))
        #expect(speeder.contains("14*"))
        #expect(text.contains("41-80, 122 *"))
    }

    @Test("an empty report says so in words", arguments: ["hu", "en"])
    func emptyReport(_ language: String) {
        let text = FieldworkReportText.render(ReportRenderFixtures.empty(language: language))
        let words =
            language == "hu"
            ? [
                "Még nincs befejezett interjú.", "Nincs megadott kvóta.", "nincs megadott cél", "Még nincs interjú.",
                "Nincs regisztrált eszköz.",
            ]
            : ["No completed interviews yet.", "No quotas declared.", "no target declared", "No interviews yet.", "No devices registered."]
        for phrase in words { #expect(text.contains(phrase), "missing \(phrase)") }
        #expect(!containsNonFinite(text))
    }

    @Test("no label can break a line or print a non-finite number", arguments: ["hu", "en"])
    func hostileText(_ language: String) {
        let text = FieldworkReportText.render(ReportRenderFixtures.hostile(language: language))
        #expect(!containsNonFinite(text))
        #expect(text.contains("<script>alert('x')"))
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" })
        #expect(text.contains("K [2J [31mred  next line "))
        #expect(text.contains("東京都 🏠🏠"))
    }
}

/// Element ids, tag counts and the text of an HTML document parsed as XML.
final class ParsedDocument: NSObject, XMLParserDelegate {
    var ids: Set<String> = []
    var tags: [String: Int] = [:]
    var attributes: [(tag: String, attributes: [String: String])] = []
    var text = ""
    var error: Error?

    init(_ markup: String) {
        super.init()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = self
        if !parser.parse() { error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        tags[name, default: 0] += 1
        if let id = attributes["id"] { ids.insert(id) }
        self.attributes.append((name, attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite("HTML report")
struct ReportHTMLTests {
    static let sections = ["summary", "alerts", "progress", "quotas", "outcomes", "cases", "interviewers", "sync", "items"]

    @Test("the HTML parses as XML and has every section", arguments: RenderCase.all)
    func wellFormed(_ item: RenderCase) throws {
        let html = FieldworkReportHTML.render(item.report)
        let document = ParsedDocument(html)
        #expect(document.error == nil, "\(String(describing: document.error))")
        for id in Self.sections { #expect(document.ids.contains(id), "missing section \(id)") }
        #expect(FieldworkReportHTML.sectionIDs == Self.sections)
        let root = try #require(document.attributes.first)
        #expect(root.tag == "html" && root.attributes["lang"] == item.report.language)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta charset=\"utf-8\"/>"))
    }

    @Test("the HTML references nothing outside itself", arguments: RenderCase.all)
    func selfContained(_ item: RenderCase) {
        let html = FieldworkReportHTML.render(item.report)
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for forbidden in ["http:", "https:", "//", "<script", "<link", "@import", "url(", "src=", "<img", "<iframe"] {
            #expect(!withoutNamespace.lowercased().contains(forbidden), "found \(forbidden)")
        }
        #expect(!html.contains("<script"))
    }

    @Test("user labels are escaped and come back intact", arguments: ["hu", "en"])
    func labelsEscaped(_ language: String) {
        let report = ReportRenderFixtures.hostile(language: language)
        let html = FieldworkReportHTML.render(report)
        #expect(!html.contains("<script"))
        #expect(!html.contains("'x'"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        let document = ParsedDocument(html)
        #expect(document.error == nil)
        #expect(document.text.contains(ReportRenderFixtures.hostileLabel))
        #expect(document.tags["script", default: 0] == 0)
        #expect(document.text.contains(ReportRenderFixtures.wideLabel))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(document.text.contains("K\u{FFFD}[2J\u{FFFD}[31mred\u{FFFD}\nnext\tline\u{FFFD}"))
    }

    @Test("no NaN or infinity reaches the page", arguments: RenderCase.all)
    func finiteNumbers(_ item: RenderCase) {
        let html = FieldworkReportHTML.render(item.report)
        #expect(!containsNonFinite(html))
        let document = ParsedDocument(html)
        for element in document.attributes where ["line", "rect", "circle", "polyline", "text", "svg"].contains(element.tag) {
            for (name, value) in element.attributes
            where ["x", "y", "x1", "x2", "y1", "y2", "width", "height", "cx", "cy", "r", "points"].contains(name) {
                #expect(value.allSatisfy { "0123456789.,- ".contains($0) }, "\(element.tag) \(name)=\(value)")
            }
        }
    }

    @Test("each chart is inline SVG with a title and a text alternative")
    func chartsAccessible() throws {
        let html = FieldworkReportHTML.render(ReportRenderFixtures.realistic(language: "hu"))
        let document = ParsedDocument(html)
        let charts = ["chart-progress", "chart-quota-0", "chart-quota-1", "chart-outcomes", "chart-medians", "chart-items"]
        for chart in charts {
            #expect(document.ids.contains(chart), "missing \(chart)")
            #expect(document.ids.contains(chart + "-title"))
            let svg = try #require(document.attributes.first { $0.attributes["id"] == chart })
            #expect(svg.attributes["role"] == "img" && svg.attributes["aria-labelledby"] == "\(chart)-title \(chart)-desc")
        }
        #expect(document.tags["details", default: 0] >= 5)
        #expect(html.contains("RR1 = I / ((I + P) + (R + NC + O) + (UH + UO))"))
        #expect(html.contains("CON1 = ((I + P) + R + O) / ((I + P) + R + O + NC + (UH + UO))"))
        #expect(html.contains("Gyorsasági határ: 8,0 perc"))
    }

    @Test("behind cells, flagged interviewers and missing ranges are marked in text, not colour alone")
    func anomaliesMarked() {
        let html = FieldworkReportHTML.render(ReportRenderFixtures.realistic(language: "en"))
        #expect(html.contains("<td class=\"num flag\">14 *</td>"))
        #expect(html.contains("<td class=\"flag\">41-80, 122 *</td>"))
        #expect(html.contains("<td class=\"flag\">signature does not verify *</td>"))
        let fixture = ReportRenderFixtures.realistic()
        let behindCells = fixture.quotas.flatMap(\.cells).filter(\.behindSchedule).count
        #expect(behindCells > 0)
        #expect(html.components(separatedBy: "class=\"behind-text\">▲ BEHIND</text>").count - 1 == behindCells)
        let warningBars = html.components(separatedBy: "class=\"bar behind\"").count - 1
        #expect(warningBars == behindCells + 1 + fixture.items.flagged.count)  // quota cells, the speeder's median, flagged items
    }

    @Test("without targets or a period the charts show the completes alone")
    func untargeted() {
        let html = FieldworkReportHTML.render(ReportRenderFixtures.untargeted(language: "en"))
        let document = ParsedDocument(html)
        for chart in ["chart-progress", "chart-quota-0", "chart-outcomes", "chart-items"] { #expect(document.ids.contains(chart)) }
        #expect(!html.contains("class=\"expected\""))
        #expect(!html.contains("class=\"target-mark\""))
        #expect(!html.contains("▲ BEHIND"))
        #expect(document.text.contains("no target declared"))
        #expect(document.text.contains("no fieldwork period declared"))
        #expect(!document.ids.contains("chart-medians"))
        let text = FieldworkReportText.render(ReportRenderFixtures.untargeted(language: "en"))
        #expect(text.contains("Completed: 414 (no target declared)"))
        #expect(text.contains("    Avas                                          12 / –  [██"))
    }

    @Test("before the period starts (expected 0) no expected-by-today marker is drawn")
    func noMarkerAtZero() {
        var report = ReportRenderFixtures.realistic(language: "en")
        report.progress.expectedToday = 0
        for quota in report.quotas.indices {
            for cell in report.quotas[quota].cells.indices { report.quotas[quota].cells[cell].expectedToday = 0 }
        }
        #expect(!FieldworkReportHTML.render(report).contains("class=\"expected-mark\""))
        let bars = FieldworkReportText.render(report).split(separator: "\n").filter { $0.contains("[█") || $0.contains("[·") }
        #expect(bars.count == report.quotas.flatMap(\.cells).count + 1)
        #expect(bars.allSatisfy { !$0.contains("|") })
        #expect(FieldworkReportHTML.render(ReportRenderFixtures.realistic()).contains("class=\"expected-mark\""))
    }

    @Test("the page has a print stylesheet")
    func printable() {
        let html = FieldworkReportHTML.render(ReportRenderFixtures.realistic())
        #expect(html.contains("@media print {"))
        #expect(html.contains("<meta name=\"viewport\""))
    }

    @Test("an empty report draws no chart and says why", arguments: ["hu", "en"])
    func emptyReport(_ language: String) {
        let html = FieldworkReportHTML.render(ReportRenderFixtures.empty(language: language))
        let document = ParsedDocument(html)
        #expect(document.tags["svg", default: 0] == 0)
        let phrase = language == "hu" ? "Még nincs befejezett interjú." : "No completed interviews yet."
        #expect(document.text.contains(phrase))
        #expect(document.text.contains(language == "hu" ? "Nincs megadott kvóta." : "No quotas declared."))
    }
}

/// Renders the realistic report to a file and loads it in headless Chromium. Without Chromium
/// the test fails saying how to install it; only `TEREP_SKIP_BROWSER=1`, set on purpose, runs
/// the same checks on the XML parse of the file instead (and says so).
@Suite("HTML report in a browser")
struct ReportBrowserTests {
    /// `TEREP_CHROMIUM` if set, else the first `chromium` or `chromium-browser` on `PATH`.
    static func chromium() -> String? {
        if let chosen = ProcessInfo.processInfo.environment["TEREP_CHROMIUM"], !chosen.isEmpty { return chosen }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Runs a process to its end or until `timeout` seconds pass (then kills it); returns
    /// its standard output (through a file, so a large DOM cannot fill a pipe) and the exit
    /// status (nil when killed).
    static func run(_ executable: String, _ arguments: [String], output: URL, timeout: Double) throws -> (output: String, status: Int32?) {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let killed = process.isRunning
        if killed { process.terminate() }
        process.waitUntilExit()
        return (try String(contentsOf: output, encoding: .utf8), killed ? nil : process.terminationStatus)
    }

    @Test("the page loads with every section and its charts")
    func pageLoads() throws {
        let environment = ProcessInfo.processInfo.environment
        let directory =
            environment["TEREP_REPORT_SAMPLE_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("terep-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if environment["TEREP_REPORT_SAMPLE_DIR"] == nil { try? FileManager.default.removeItem(at: directory) } }
        for language in ["hu", "en"] {
            let report = ReportRenderFixtures.realistic(language: language)
            try FieldworkReportHTML.render(report).write(
                to: directory.appendingPathComponent("report-\(language).html"), atomically: true, encoding: .utf8)
            try FieldworkReportText.render(report).write(
                to: directory.appendingPathComponent("report-\(language).txt"), atomically: true, encoding: .utf8)
        }
        for (name, report) in [
            ("empty", ReportRenderFixtures.empty()), ("untargeted", ReportRenderFixtures.untargeted()),
            ("hostile", ReportRenderFixtures.hostile()),
        ] {
            try FieldworkReportHTML.render(report).write(
                to: directory.appendingPathComponent("report-\(name).html"), atomically: true, encoding: .utf8)
            try FieldworkReportText.render(report, width: 60).write(
                to: directory.appendingPathComponent("report-\(name)-60.txt"), atomically: true, encoding: .utf8)
        }
        let file = directory.appendingPathComponent("report-hu.html")
        let dom: String
        if let chromium = Self.chromium() {
            let profile = directory.appendingPathComponent("profile").path
            let result = try Self.run(
                chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile)", "--dump-dom",
                    file.absoluteString,
                ],
                output: directory.appendingPathComponent("dom.html"), timeout: 60)
            #expect(result.status == 0, "chromium exited with \(String(describing: result.status))")
            dom = result.output
        } else if environment["TEREP_SKIP_BROWSER"] == "1" {
            print("ReportBrowserTests: TEREP_SKIP_BROWSER=1: checking the page through XMLParser, not in a browser")
            let document = ParsedDocument(try String(contentsOf: file, encoding: .utf8))
            #expect(document.error == nil)
            dom =
                document.ids.sorted().map { "id=\"\($0)\"" }.joined(separator: " ")
                + String(repeating: " <svg", count: document.tags["svg", default: 0])
        } else {
            Issue.record(
                """
                no chromium or chromium-browser on PATH: the HTML report is checked in a real browser. \
                Install it (Debian: apt-get install chromium, as .ci/run does; macOS: brew install --cask chromium \
                and set TEREP_CHROMIUM to its binary), or set TEREP_SKIP_BROWSER=1 to check the page \
                through XMLParser instead
                """)
            return
        }
        for id in ReportHTMLTests.sections + ["chart-progress", "chart-quota-0", "chart-outcomes", "chart-medians", "chart-items"] {
            #expect(dom.contains("id=\"\(id)\""), "the page has no \(id)")
        }
        #expect(dom.components(separatedBy: "<svg").count - 1 == 6)
    }
}

@Suite("Random reports")
struct ReportRandomTests {
    static let pieces = ["Avas", "Győri kapu", "<b>", "&amp;", "\"", "'", "東京", "🏠", "\u{1B}[0m", "\n", "x", "", "…", "]]>"]
    static let doubles: [Double] = [0, 0.5, 1, 7.25, 1e6, 1e300, -3, .nan, .infinity, -.infinity]

    static func label<G: RandomNumberGenerator>(_ g: inout G) -> String {
        (0..<Int.random(in: 0...8, using: &g)).map { _ in pieces.randomElement(using: &g) ?? "" }.joined(separator: " ")
    }

    static func report<G: RandomNumberGenerator>(_ g: inout G) -> FieldworkReport {
        var report = ReportRenderFixtures.empty(language: Bool.random(using: &g) ? "hu" : "en")
        let double = { (g: inout G) in doubles.randomElement(using: &g) ?? 0 }
        report.title = label(&g)
        report.progress.completed = Int.random(in: 0...2_000_000, using: &g)
        report.progress.target = Bool.random(using: &g) ? Int.random(in: 0...5_000, using: &g) : nil
        report.progress.expectedToday = Bool.random(using: &g) ? double(&g) : nil
        report.progress.days = (0..<Int.random(in: 0...90, using: &g)).map { index in
            ProgressDay(
                date: "2026-10-\(index)", completed: Int.random(in: 0...50, using: &g), cumulative: index * 7,
                expected: Bool.random(using: &g) ? double(&g) : nil)
        }
        report.quotas = (0..<Int.random(in: 0...3, using: &g)).map { _ in
            QuotaFigures(
                name: label(&g), variables: [label(&g)],
                cells: (0..<Int.random(in: 0...12, using: &g)).map { _ in
                    QuotaCellFigures(
                        values: ["1"], label: label(&g), completed: Int.random(in: 0...100, using: &g),
                        target: Bool.random(using: &g) ? Int.random(in: 0...100, using: &g) : nil,
                        expectedToday: Bool.random(using: &g) ? double(&g) : nil,
                        behindSchedule: Bool.random(using: &g))
                })
        }
        report.outcomes.codes = (0..<Int.random(in: 0...10, using: &g)).map { code in
            OutcomeCount(
                code: code, label: label(&g), disposition: ["complete", "refusal", nil, "weird"].randomElement(using: &g) ?? nil,
                count: Int.random(in: 0...500, using: &g))
        }
        report.outcomes.rr1 = Bool.random(using: &g) ? double(&g) : nil
        report.interviewers = (0..<Int.random(in: 0...12, using: &g)).map { _ in
            InterviewerFigures(
                interviewer: label(&g), devices: [label(&g)], interviews: 5, completed: 4,
                medianMinutes: Bool.random(using: &g) ? double(&g) : nil,
                answers: Int.random(in: 0...100, using: &g), dontKnow: 3, refused: 2, softChecksConfirmed: 1,
                speeders: Int.random(in: 0...2, using: &g), outsideHours: 0)
        }
        report.sync.speederMinutes = Bool.random(using: &g) ? double(&g) : nil
        report.sync.devices = (0..<Int.random(in: 0...4, using: &g)).map { _ in
            DeviceFigures(
                device: label(&g), status: "active", events: 10, lastBundleAt: nil, lastBundleFile: nil, daysSinceLastBundle: nil,
                missing: [label(&g)])
        }
        report.items = ItemFigures(
            threshold: double(&g),
            items: (0..<Int.random(in: 0...20, using: &g)).map { _ in
                ItemNonResponse(
                    variable: label(&g), label: label(&g), answered: Int.random(in: 0...100, using: &g),
                    dontKnow: Int.random(in: 0...60, using: &g), refused: 3)
            })
        report.alerts = (0..<Int.random(in: 0...5, using: &g)).map { _ in
            ReportAlert(kind: ReportAlert.Kind.allCases.randomElement(using: &g) ?? .speeder, subject: label(&g), value: label(&g))
        }
        return report
    }

    @Test("random reports fit the width, parse as XML and print no non-finite number", arguments: 0..<4)
    func randomReports(_ seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 7_919)
        for _ in 0..<50 {
            let report = Self.report(&generator)
            let text = FieldworkReportText.render(report)
            for line in text.split(separator: "\n") { #expect(columns(line) <= 80, "\(line)") }
            #expect(!containsNonFinite(text))
            let html = FieldworkReportHTML.render(report)
            let document = ParsedDocument(html)
            #expect(document.error == nil, "\(String(describing: document.error))")
            #expect(!containsNonFinite(html))
            #expect(Set(FieldworkReportHTML.sectionIDs).isSubset(of: document.ids))
        }
    }
}
