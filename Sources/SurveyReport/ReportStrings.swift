/// One piece of fixed report wording, in Hungarian and English.
///
/// Both renderers (``FieldworkReportText``, ``FieldworkReportHTML``) take every fixed string
/// from ``ReportLocale/text(_:)``; the exhaustive switch there keeps the two languages complete.
enum ReportWord: CaseIterable, Sendable {
    case reportTitle, survey, generatedAt, today, interviews, inDataset, included, completedMany
    case endedOther, inProgress, excluded, versions, correctionsFile
    case alerts, noAlerts
    case progress, completed, target, expectedToday, period, behind, onTrack, noTarget, noPeriod
    case noCompletes, barLegend, lastDays, dailyCompletes, cumulative, expectedLine, date, chartProgress
    case quotas, noQuotas, quotaCell, cells, behindSchedule, quotaTargetMarker, chartQuota
    case outcomes, code, outcome, disposition, count, unclassified, inProgressNotInRates, notFinalNotInRates
    case noOutcomes, rate, formula, rateUnavailable, noDispositions, chartOutcomes
    case rr1Name, ref1Name, con1Name
    case interviewers, interviewer, devicesColumn, interviewsColumn, done, medianMinutes, dkShare, rfShare
    case softChecks, speeders, outsideHours, noInterviewers, interviewerLegend, flaggedMark, chartMedian
    case speederLimit, speederRuleDeclared, speederRuleMedian, workingHours, declared, defaultValue
    case sync, device, status, events, lastBundle, daysSince, missing, none, acceptedBundles
    case rejectedBundles, reason, at, file, conflicts, noDevices, noRejected, noConflicts, never
    case active, revoked, minutesUnit
    case items, variable, question, answered, dontKnow, refused, share, threshold, flaggedCount
    case noFlaggedItems, noItems, allItems, chartItems, dataTable
    case scopeLeftOut, scopeCondition, quotaCondition, quotaLeftOut, interviewsCounted
}

/// The report's language: fixed wording, alert sentences and number formats.
///
/// Hungarian (`hu`) writes a decimal comma and a space between thousands; every other
/// language code falls back to English with a decimal point and no grouping.
struct ReportLocale: Sendable {
    /// Whether the report is in Hungarian.
    let hungarian: Bool

    init(language: String) {
        hungarian = language.lowercased().hasPrefix("hu")
    }

    /// The language code written into `<html lang>`.
    var code: String { hungarian ? "hu" : "en" }

    /// The line on the interviews a targets `where` leaves out: what they are, why, and how
    /// many by status.
    func scopeLine(_ s: ScopeFigures) -> String {
        let what = s.label.map { "\($0) — " } ?? ""
        return "\(text(.scopeLeftOut)) (\(text(.scopeCondition)): \(s.condition)): \(what)"
            + "\(integer(s.interviews)) \(text(.interviewsCounted)): \(integer(s.completed)) \(text(.completedMany)), "
            + "\(integer(s.ended)) \(text(.endedOther)), \(integer(s.inProgress)) \(text(.inProgress))"
    }

    /// The line under a quota with its own `where`.
    func quotaScopeLine(_ q: QuotaFigures) -> String? {
        guard let condition = q.condition else { return nil }
        return "\(text(.quotaCondition)): \(condition); \(integer(q.leftOut ?? 0)) \(text(.quotaLeftOut))"
    }

    /// A fixed string in the report's language.
    func text(_ word: ReportWord) -> String {
        let pair = Self.words(word)
        return hungarian ? pair.hu : pair.en
    }

    /// The wording table: a data table written as one exhaustive switch, so a new word
    /// cannot be added without both languages.
    private static func words(_ word: ReportWord) -> (hu: String, en: String) {
        switch word {
        case .reportTitle: ("Terepmunka-jelentés", "Fieldwork report")
        case .scopeLeftOut:
            ("Nem számít a haladásba, a kvótákba és a válaszadási arányokba", "Not counted in the progress, quotas and response rates")
        case .scopeCondition: ("a célok feltétele", "the targets' condition")
        case .interviewsCounted: ("interjú", "interviews")
        case .quotaCondition: ("a kvóta feltétele", "the quota's condition")
        case .quotaLeftOut: ("befejezett interjú maradt ki miatta", "completed interviews left out by it")
        case .survey: ("Kérdőív", "Survey")
        case .generatedAt: ("Készült", "Generated")
        case .today: ("Mai nap", "Today")
        case .interviews: ("Interjúk", "Interviews")
        case .inDataset: ("az adatbázisban", "in the dataset")
        case .included: ("figyelembe véve", "included")
        case .completedMany: ("befejezett", "completed")
        case .endedOther: ("más kimenettel lezárt", "ended otherwise")
        case .inProgress: ("folyamatban", "in progress")
        case .excluded: ("Kihagyva", "Excluded")
        case .versions: ("Verziók", "Versions")
        case .correctionsFile: ("Javítófájl", "Corrections file")
        case .alerts: ("Figyelmet igényel", "Needs attention")
        case .noAlerts: ("Nincs teendő: minden mutató rendben.", "Nothing needs attention.")
        case .progress: ("Haladás", "Progress")
        case .completed: ("Befejezett", "Completed")
        case .target: ("Cél", "Target")
        case .expectedToday: ("Mára várt", "Expected by today")
        case .period: ("Időszak", "Period")
        case .behind: ("LEMARADÁS", "BEHIND")
        case .onTrack: ("ütemben", "on track")
        case .noTarget: ("nincs megadott cél", "no target declared")
        case .noPeriod: ("nincs megadott terepidőszak", "no fieldwork period declared")
        case .noCompletes: ("Még nincs befejezett interjú.", "No completed interviews yet.")
        case .barLegend: ("█ befejezett · | mára várt · a sáv vége a cél", "█ completed · | expected by today · bar end = target")
        case .lastDays: ("Utolsó napok", "Last days")
        case .dailyCompletes: ("Napi befejezett", "Completed that day")
        case .cumulative: ("Összesen", "Cumulative")
        case .expectedLine: ("Várt (egyenletes ütem)", "Expected (even pace)")
        case .date: ("Dátum", "Date")
        case .chartProgress:
            ("Befejezett interjúk összesen naponta, a várt ütemmel", "Cumulative completed interviews per day against the expected pace")
        case .quotas: ("Kvóták", "Quotas")
        case .noQuotas: ("Nincs megadott kvóta.", "No quotas declared.")
        case .cells: ("cella", "cells")
        case .behindSchedule: ("lemaradásban", "behind schedule")
        case .quotaCell: ("Cella", "Cell")
        case .quotaTargetMarker: ("függőleges vonal: cél; szaggatott: mára várt", "vertical line: target; dashed: expected by today")
        case .chartQuota: ("Befejezett interjúk cellánként a célhoz képest", "Completed interviews per cell against the target")
        case .outcomes: ("Kimenetek", "Outcomes")
        case .code: ("Kód", "Code")
        case .outcome: ("Kimenet", "Outcome")
        case .disposition: ("Besorolás", "Disposition")
        case .count: ("Db", "Count")
        case .unclassified: ("besorolatlan", "unclassified")
        case .inProgressNotInRates: ("Folyamatban (egyik arányban sem)", "In progress (in no rate)")
        case .notFinalNotInRates:
            (
                "Még nem végleges kimenet, újabb látogatás jön (egyik arányban sem)",
                "Outcome not final yet, another visit to come (in no rate)"
            )
        case .noOutcomes: ("Még nincs lezárt interjú.", "No ended interviews yet.")
        case .rate: ("Arány", "Rate")
        case .formula: ("Képlet", "Formula")
        case .rateUnavailable: ("nem számolható", "not available")
        case .noDispositions:
            ("Nincs megadott AAPOR-besorolás, vagy a nevező 0.", "No AAPOR dispositions declared, or the denominator is 0.")
        case .chartOutcomes:
            ("Lezárt interjúk kimenetkódonként, besorolás szerint", "Ended interviews per outcome code, grouped by disposition")
        case .rr1Name: ("válaszadási arány", "response rate")
        case .ref1Name: ("elutasítási arány", "refusal rate")
        case .con1Name: ("elérési arány", "contact rate")
        case .interviewers: ("Kérdezők", "Interviewers")
        case .interviewer: ("Kérdező", "Interviewer")
        case .devicesColumn: ("Eszközök", "Devices")
        case .interviewsColumn: ("Interjú", "Interviews")
        case .done: ("Kész", "Done")
        case .medianMinutes: ("Medián", "Median")
        case .dkShare: ("NT%", "DK%")
        case .rfShare: ("NV%", "RF%")
        case .softChecks: ("Ell.", "Checks")
        case .speeders: ("Gyors", "Speed")
        case .outsideHours: ("Időn k.", "Off-hrs")
        case .noInterviewers: ("Még nincs interjú.", "No interviews yet.")
        case .interviewerLegend:
            (
                "Medián: befejezett interjú hossza percben; NT: nem tudja; NV: nem válaszol; Ell.: megerősített figyelmeztetés; Gyors: túl rövid interjú; Időn k.: munkaidőn kívül kezdett",
                "Median: minutes per completed interview; DK: don't know; RF: refused; Checks: soft checks confirmed; Speed: too short (speeders); Off-hrs: started outside working hours"
            )
        case .flaggedMark: ("* figyelmet igényel", "* needs attention")
        case .chartMedian:
            (
                "Befejezett interjúk medián hossza kérdezőnként, a gyorsasági határral",
                "Median interview duration per interviewer, with the speeder limit"
            )
        case .speederLimit: ("Gyorsasági határ", "Speeder limit")
        case .speederRuleDeclared: ("megadott", "declared")
        case .speederRuleMedian: ("medián/3", "median/3")
        case .workingHours: ("Munkaidő", "Working hours")
        case .declared: ("megadott", "declared")
        case .defaultValue: ("alapértelmezett", "default")
        case .sync: ("Szinkronizálás", "Sync")
        case .device: ("Eszköz", "Device")
        case .status: ("Állapot", "Status")
        case .events: ("Esemény", "Events")
        case .lastBundle: ("Utolsó csomag", "Last bundle")
        case .daysSince: ("Napja", "Days")
        case .missing: ("Hiányzó sorszámok", "Missing ranges")
        case .none: ("nincs", "none")
        case .acceptedBundles: ("Elfogadott csomagok", "Accepted bundles")
        case .rejectedBundles: ("Elutasított csomagok", "Rejected bundles")
        case .reason: ("Ok", "Reason")
        case .at: ("Időpont", "At")
        case .file: ("Fájl", "File")
        case .conflicts: ("Ütközések (átnézendő interjúk)", "Conflicts (interviews to review)")
        case .noDevices: ("Nincs regisztrált eszköz.", "No devices registered.")
        case .noRejected: ("Nincs elutasított csomag.", "No rejected bundles.")
        case .noConflicts: ("Nincs ütközés.", "No conflicts.")
        case .never: ("soha", "never")
        case .active: ("aktív", "active")
        case .revoked: ("visszavont", "revoked")
        case .minutesUnit: ("perc", "min")
        case .items: ("Tételes válaszhiány", "Item non-response")
        case .variable: ("Változó", "Variable")
        case .question: ("Kérdés", "Question")
        case .answered: ("Válasz", "Answered")
        case .dontKnow: ("NT", "DK")
        case .refused: ("NV", "RF")
        case .share: ("Arány", "Share")
        case .threshold: ("Küszöb", "Threshold")
        case .flaggedCount: ("kérdés a küszöb felett", "questions above the threshold")
        case .noFlaggedItems: ("Egyik kérdés sincs a küszöb felett.", "No question is above the threshold.")
        case .noItems: ("Még nincs megválaszolt kérdés.", "No questions answered yet.")
        case .allItems: ("Minden kérdés", "All questions")
        case .chartItems:
            (
                "Nem tudja + nem válaszol aránya a küszöb feletti kérdéseknél",
                "Don't know + refused share of the questions above the threshold"
            )
        case .dataTable: ("Adattábla", "Data table")
        }
    }
}

// MARK: - Alerts, dispositions and other coded values

extension ReportLocale {
    /// One alert as a sentence in the report's language: what, about whom, the figure.
    func alert(_ alert: ReportAlert) -> String {
        let (hu, en) = Self.alertWords(alert.kind)
        return "\(hungarian ? hu : en): \(alert.subject) (\(figure(alert)))"
    }

    /// The alert's figure with its numbers in the report's format (`18.4%` → `18,4%` in
    /// Hungarian); values of text kinds (a rejection reason, sequence ranges) stay as given.
    func figure(_ alert: ReportAlert) -> String {
        switch alert.kind {
        case .rejectedBundle, .missingBundles: return alert.value
        default: break
        }
        let tokens = alert.value.split(separator: " ", omittingEmptySubsequences: false).map { token -> String in
            let percent = token.hasSuffix("%")
            let number = percent ? token.dropLast() : token[...]
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let value = Double(number)
            else { return String(token) }
            let digits = number.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0
            return decimal(value, digits: digits) + (percent ? "%" : "")
        }
        return tokens.joined(separator: " ")
    }

    private static func alertWords(_ kind: ReportAlert.Kind) -> (String, String) {
        switch kind {
        case .behindSchedule: ("Lemaradás a terv szerinti ütemtől", "Behind schedule")
        case .quotaBehind: ("Kvótacella lemaradásban", "Quota cell behind schedule")
        case .quotaCellsBehind: ("Kvótacellák lemaradásban (lemaradt / célos)", "Quota cells behind schedule (behind / with a target)")
        case .speeder: ("Túl rövid interjúk, kérdező", "Very short interviews (speeders), interviewer")
        case .outsideHours: ("Munkaidőn kívül kezdett interjúk, kérdező", "Interviews started outside working hours, interviewer")
        case .highNonResponse: ("Magas tételes válaszhiány, kérdés", "High item non-response, question")
        case .interviewerNonResponse: ("Sok nem tudja / nem válaszol, kérdező", "Many don't know / refused answers, interviewer")
        case .missingBundles: ("Hiányzó csomagok, eszköz", "Missing bundles, device")
        case .staleDevice: ("Régóta nem érkezett csomag, eszköz (napok)", "No recent bundle, device (days)")
        case .rejectedBundle: ("Elutasított csomag", "Rejected bundle")
        case .conflicts: ("Több eszközről érkezett interjúk, átnézendő", "Interviews from several devices, to review")
        }
    }

    /// A disposition class (a ``Disposition`` raw value) with its AAPOR letter.
    func disposition(_ raw: String?) -> String {
        guard let raw else { return text(.unclassified) }
        let pair: (String, String) =
            switch raw {
            case "complete": ("teljes interjú (I)", "complete interview (I)")
            case "partial": ("részleges interjú (P)", "partial interview (P)")
            case "refusal": ("elutasítás, megszakítás (R)", "refusal and break-off (R)")
            case "noncontact": ("nem sikerült elérni (NC)", "non-contact (NC)")
            case "other": ("egyéb meghiúsulás (O)", "other non-interview (O)")
            case "unknown": ("ismeretlen jogosultság (UH, UO)", "unknown eligibility (UH, UO)")
            case "ineligible": ("nem jogosult", "not eligible")
            default: (raw, raw)
            }
        return hungarian ? pair.0 : pair.1
    }

    /// A reason interviews were left out of the figures.
    func exclusion(_ reason: String) -> String {
        let pair: (String, String) =
            switch reason {
            case "training": ("gyakorló", "training")
            case "corrections": ("javítófájl szerint", "by corrections file")
            case "not_started": ("el nem kezdett", "not started")
            case "version": ("más kérdőívverzió", "other definition version")
            default: (reason, reason)
            }
        return hungarian ? pair.0 : pair.1
    }

    /// A device status (`active`, `revoked`).
    func deviceStatus(_ status: String) -> String {
        switch status {
        case "active": text(.active)
        case "revoked": text(.revoked)
        default: status
        }
    }

    /// How the speeder limit was set (`declared`, `median/3`).
    func speederRule(_ rule: String) -> String {
        rule == "declared" ? text(.speederRuleDeclared) : (rule.hasPrefix("median") ? text(.speederRuleMedian) : rule)
    }
}

// MARK: - Numbers

extension ReportLocale {
    /// An integer with the language's thousands separator (`12 345` / `12,345`); the
    /// Hungarian separator is a no-break space (U+00A0), so wrapping never splits a number.
    func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        let separator: Character = hungarian ? "\u{00A0}" : ","
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(separator) }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// A decimal number with `digits` decimals; "–" when not finite.
    func decimal(_ value: Double, digits: Int = 1) -> String {
        guard let (whole, fraction, negative) = Self.split(value, digits: digits) else { return "–" }
        let mark = hungarian ? "," : "."
        let wholeText = integer(whole)
        let sign = negative ? "-" : ""
        return digits == 0 ? sign + wholeText : sign + wholeText + mark + fraction
    }

    /// A share (0–1) as a percentage with one decimal, e.g. `12,5%` / `12.5%`.
    func percent(_ share: Double, digits: Int = 1) -> String {
        share.isFinite ? decimal(share * 100, digits: digits) + "%" : "–"
    }

    /// A share `part / whole` as a percentage; "–" when `whole` is 0.
    func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : percent(Double(part) / Double(whole))
    }

    /// Splits a finite value rounded to `digits` decimals (0–6) into whole part, zero-padded
    /// fraction digits and sign; nil for NaN and infinities (or magnitudes no `Int` holds).
    static func split(_ value: Double, digits requested: Int) -> (Int, String, Bool)? {
        guard value.isFinite else { return nil }
        let digits = min(6, max(0, requested))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return nil }
        let units = Int(scaled)
        let factor = Int(scale)
        let fraction = String(units % factor)
        let padded = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        return (units / factor, digits == 0 ? "" : padded, value < 0 && units != 0)
    }
}
