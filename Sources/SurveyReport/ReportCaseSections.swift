/// The report's "Cases" section (``CaseFigures``), in the text and HTML reports, with its own
/// wording in Hungarian and English.
enum CaseWord: CaseIterable, Sendable {
    case title, noSample, sampled, assigned, visited, final, open, notVisited, withdrawn, withoutCase
    case ratesTitle, periodOver, periodRunning, leftOut, workload, device, interviewers, completed, visits, leftOutVisits
    case leftOutVisitsNote
    case stale, noStale, lastVisit, days, neverVisited, visitTimes, hours, weekdays, rateWord

    func text(hungarian: Bool) -> String {
        let pair: (hu: String, en: String) =
            switch self {
            case .title: ("Esetek (a minta)", "Cases (the sample)")
            case .noSample: ("A felméréshez nincs minta a központi adatbázisban.", "The survey has no sample in the central dataset.")
            case .sampled: ("a mintában", "sampled")
            case .assigned: ("kiosztva", "assigned")
            case .visited: ("meglátogatva", "visited")
            case .final: ("végleges", "final")
            case .open: ("nyitott (újabb látogatás jön)", "open (another visit to come)")
            case .notVisited: ("még nem látogatott", "not visited yet")
            case .withdrawn: ("visszavonva", "withdrawn")
            case .withoutCase: ("mintán kívüli interjú", "interviews outside the sample")
            case .ratesTitle: ("AAPOR-arányok a teljes mintára", "AAPOR rates over the whole sample")
            case .periodOver:
                (
                    "A terepidőszak véget ért: a nyitott esetek az utolsó kimenetükkel, a meg nem látogatottak ismeretlen jogosultságként számítanak.",
                    "The period is over: open cases count by their last outcome, unvisited ones as unknown eligibility."
                )
            case .periodRunning:
                (
                    "A terepidőszak tart: a nyitott és a még nem látogatott esetek egyik arányban sem szerepelnek.",
                    "The period is running: open and not yet visited cases are in no rate."
                )
            case .leftOut: ("A célokon kívüli esetek", "Cases outside the targets")
            case .workload: ("Eszközönkénti munka", "Workload per device")
            case .device: ("Eszköz", "Device")
            case .interviewers: ("Kérdezők", "Interviewers")
            case .completed: ("befejezett", "completed")
            case .visits: ("látogatás", "visits")
            case .leftOutVisits: ("+ kívül", "+ outside")
            case .leftOutVisitsNote:
                (
                    "„+ kívül”: látogatás a célokon kívüli esetekhez, a „látogatás” oszlopon kívül",
                    "'+ outside': visits to the cases outside the targets, not in 'visits'"
                )
            case .stale: ("Nyitott esetek látogatás nélkül legalább", "Open cases with no visit for at least")
            case .noStale: ("nincs ilyen", "none")
            case .lastVisit: ("utolsó látogatás", "last visit")
            case .days: ("nap", "days")
            case .neverVisited: ("még nem volt", "never")
            case .visitTimes: ("Látogatások kezdete (a látogatási szabály ellenőrzéséhez)", "When visits began (to audit the visit rules)")
            case .hours: ("óra", "hour")
            case .weekdays: ("H K Sze Cs P Szo V", "Mon Tue Wed Thu Fri Sat Sun")
            case .rateWord: ("arány", "rate")
            }
        return hungarian ? pair.hu : pair.en
    }
}

extension CaseFigures {
    /// The headline counts as (word, count) pairs, in order.
    var headline: [(CaseWord, Int)] {
        [(.sampled, sampled), (.assigned, assigned), (.visited, visited), (.final, final), (.open, open), (.notVisited, notVisited)]
    }

    /// Whether the workload shows the visits to the cases outside the targets in a column of their own.
    var showsLeftOutVisits: Bool { leftOut != nil || workload.contains { $0.leftOutVisits > 0 } }

    /// The rates as (name, value) in AAPOR order.
    var rates: [(String, Double?)] { [("RR1", rr1), ("REF1", ref1), ("CON1", con1)] }

    /// Visits per hour, only the hours with any, as `17h: 4`.
    var hourList: [(hour: Int, count: Int)] { visitsByHour.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) } }
}

extension ReportLocale {
    func c(_ word: CaseWord) -> String { word.text(hungarian: hungarian) }

    /// `1 704 sampled · 120 assigned · …`
    func caseHeadline(_ f: CaseFigures) -> String {
        f.headline.map { "\(integer($0.1)) \(c($0.0))" }.joined(separator: " · ")
    }

    func caseRates(_ f: CaseFigures) -> String {
        f.rates.map { "\($0.0) \($0.1.map { percent($0) } ?? text(.rateUnavailable))" }.joined(separator: " · ")
    }

    func weekdayLine(_ f: CaseFigures) -> String {
        zip(c(.weekdays).split(separator: " "), f.visitsByWeekday).map { "\($0.0) \(integer($0.1))" }.joined(separator: " · ")
    }

    func hourLine(_ f: CaseFigures) -> String {
        let hours = f.hourList.map { "\($0.hour):00 \(integer($0.count))" }
        return hours.isEmpty ? "–" : hours.joined(separator: " · ")
    }

    func staleLine(_ s: StaleCase) -> String {
        "\(s.caseID)  \(s.device ?? "–")  \(c(.lastVisit)): \(s.lastVisit ?? c(.neverVisited))  (\(integer(s.days)) \(c(.days)))"
    }
}

extension TextReportWriter {
    mutating func cases() {
        heading(locale.c(.title))
        guard let f = report.cases else {
            paragraph(locale.c(.noSample))
            return
        }
        paragraph(locale.caseHeadline(f))
        var extra: [String] = []
        if f.withdrawn > 0 { extra.append("\(n(f.withdrawn)) \(locale.c(.withdrawn))") }
        if f.interviewsWithoutCase > 0 { extra.append("\(n(f.interviewsWithoutCase)) \(locale.c(.withoutCase))") }
        if !extra.isEmpty { paragraph(extra.joined(separator: " · ")) }
        if let l = f.leftOut {
            paragraph(
                "\(locale.c(.leftOut))\(l.label.map { " (\($0))" } ?? ""): \(n(l.sampled)) \(locale.c(.sampled)) · "
                    + "\(n(l.assigned)) \(locale.c(.assigned)) · \(n(l.visited)) \(locale.c(.visited)) · \(n(l.final)) \(locale.c(.final))")
        }
        paragraph("\(locale.c(.ratesTitle)): \(locale.caseRates(f))")
        paragraph(locale.c(f.periodOver ? .periodOver : .periodRunning), indent: "    ")
        if !f.workload.isEmpty {
            line("  \(locale.c(.workload)):")
            var columns: [(CaseWord, Int)] = [(.assigned, 10), (.visited, 12), (.completed, 11), (.final, 10), (.visits, 10)]
            if f.showsLeftOutVisits { columns.append((.leftOutVisits, 10)) }
            let idWidth = max(8, width - 4 - columns.reduce(0) { $0 + $1.1 })
            var header = "    " + Layout.pad(locale.c(.device), to: idWidth)
            for (word, w) in columns { header += Layout.pad(locale.c(word) + " ", to: w, right: true) }
            line(header)
            for w in f.workload {
                let cells = [w.assigned, w.visited, w.completed, w.final, w.visits, w.leftOutVisits]
                var row = "    " + Layout.pad(w.device, to: idWidth)
                for (value, (_, columnWidth)) in zip(cells, columns) { row += Layout.pad(n(value) + " ", to: columnWidth, right: true) }
                line(row)
                if !w.interviewers.isEmpty {
                    paragraph("\(locale.c(.interviewers)): \(w.interviewers.joined(separator: ", "))", indent: "      ")
                }
            }
            if f.showsLeftOutVisits { paragraph(locale.c(.leftOutVisitsNote), indent: "    ") }
        }
        paragraph("\(locale.c(.stale)) \(n(f.staleDays)) \(locale.c(.days)): \(f.stale.isEmpty ? locale.c(.noStale) : n(f.stale.count))")
        for s in f.stale.prefix(20) { paragraph(locale.staleLine(s), indent: "    ") }
        if f.stale.count > 20 { paragraph("… (+\(n(f.stale.count - 20)))", indent: "    ") }
        paragraph("\(locale.c(.visitTimes)):")
        paragraph(locale.weekdayLine(f), indent: "    ")
        paragraph(locale.hourLine(f), indent: "    ")
    }
}

extension HTMLReportWriter {
    mutating func cases() {
        section("cases", locale.c(.title)) { page in
            let locale = page.locale
            guard let f = page.report.cases else {
                page.paragraph(locale.c(.noSample), class: "empty")
                return
            }
            page.paragraph(locale.caseHeadline(f))
            if let l = f.leftOut {
                page.paragraph(
                    "\(locale.c(.leftOut))\(l.label.map { " (\($0))" } ?? ""): \(page.n(l.sampled)) \(locale.c(.sampled)) · "
                        + "\(page.n(l.assigned)) \(locale.c(.assigned)) · \(page.n(l.visited)) \(locale.c(.visited)) · \(page.n(l.final)) \(locale.c(.final))"
                )
            }
            if f.withdrawn > 0 || f.interviewsWithoutCase > 0 {
                page.paragraph(
                    "\(page.n(f.withdrawn)) \(locale.c(.withdrawn)) · \(page.n(f.interviewsWithoutCase)) \(locale.c(.withoutCase))")
            }
            page.paragraph("\(locale.c(.ratesTitle)): \(locale.caseRates(f))")
            page.paragraph(locale.c(f.periodOver ? .periodOver : .periodRunning), class: "note")
            if !f.workload.isEmpty {
                page.html.element("h3", text: locale.c(.workload))
                let apart = f.showsLeftOutVisits
                let rows = f.workload.map { w in
                    [
                        (w.device, false), (w.interviewers.joined(separator: ", "), false), (page.n(w.assigned), false),
                        (page.n(w.visited), false), (page.n(w.completed), false), (page.n(w.final), false), (page.n(w.visits), false),
                    ] + (apart ? [(page.n(w.leftOutVisits), false)] : [])
                }
                let words: [CaseWord] =
                    [.device, .interviewers, .assigned, .visited, .completed, .final, .visits] + (apart ? [.leftOutVisits] : [])
                page.html.table(words.map(locale.c), rows, numeric: apart ? [2, 3, 4, 5, 6, 7] : [2, 3, 4, 5, 6])
                if apart { page.paragraph(locale.c(.leftOutVisitsNote), class: "note") }
            }
            page.html.element("h3", text: "\(locale.c(.stale)) \(page.n(f.staleDays)) \(locale.c(.days))")
            if f.stale.isEmpty { page.paragraph(locale.c(.noStale), class: "empty") }
            for s in f.stale.prefix(200) { page.paragraph(locale.staleLine(s)) }
            page.html.element("h3", text: locale.c(.visitTimes))
            page.paragraph(locale.weekdayLine(f))
            page.paragraph(locale.hourLine(f))
        }
    }
}
