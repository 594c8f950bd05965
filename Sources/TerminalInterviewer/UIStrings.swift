import SurveyModel

/// A language of the interviewer's own texts (prompts, messages, help).
public enum UILanguage: String, CaseIterable, Hashable, Sendable {
    case hu, en

    /// The UI language for a questionnaire language, if the UI has it.
    public init?(_ code: LanguageCode) { self.init(rawValue: code.rawValue.lowercased()) }
}

/// The interviewer's texts in Hungarian and English, side by side.
///
/// Every text is written as `t("magyar", "English")` so a reviewer sees both at once and a
/// missing translation cannot compile. Questionnaire texts (questions, options, check
/// messages) are not here: they come from the definition in the interview language.
public struct UIStrings: Hashable, Sendable {
    public var language: UILanguage

    public init(_ language: UILanguage) { self.language = language }

    func t(_ hu: String, _ en: String) -> String { language == .hu ? hu : en }

    // MARK: - Prompts and question screen

    public var prompt: String { t("Válasz", "Answer") }
    public var helpHint: String { t("? = parancsok", "? = commands") }
    public var continuePrompt: String { t("Enter = tovább", "Enter = continue") }
    public var interviewerOnly: String { t("KÉRDEZŐ TÖLTI KI", "INTERVIEWER ONLY") }
    public var dontKnow: String { t("nem tudja", "don't know") }
    public var refused: String { t("nem válaszol", "refused") }
    public var noAnswer: String { t("nincs válasz", "no answer") }

    public func special(_ s: SpecialAnswer) -> String {
        switch s {
        case .dontKnow: dontKnow
        case .refused: refused
        case .notApplicable: t("nem vonatkozik rá", "not applicable")
        }
    }

    public func currentAnswer(_ text: String) -> String {
        t("Jelenlegi válasz: \(text) (Enter = megtartja)", "Current answer: \(text) (Enter = keep)")
    }

    public func proposedValue(_ text: String) -> String {
        t("Javasolt érték: \(text) (Enter = elfogadja)", "Proposed value: \(text) (Enter = accept)")
    }

    public func rosterRow(_ row: Int, of count: Int?, label: String?) -> String {
        let position = count.map { "\(row)/\($0)" } ?? t("\(row). sor", "row \(row)")
        guard let label, !label.isEmpty else { return position }
        return "\(position) — \(label)"
    }

    public func specialsAllowed(_ specials: [SpecialAnswer]) -> String? {
        let parts = specials.compactMap { s -> String? in
            switch s {
            case .dontKnow: t(".nt = nem tudja", ".dk = don't know")
            case .refused: t(".nv = nem válaszol", ".rf = refused")
            case .notApplicable: nil
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    // MARK: - Allowed input

    public func integerRange(min: Int?, max: Int?) -> String {
        switch (min, max) {
        case (let lo?, let hi?): t("Egész szám, \(lo)–\(hi)", "Whole number, \(lo)–\(hi)")
        case (let lo?, nil): t("Egész szám, legalább \(lo)", "Whole number, at least \(lo)")
        case (nil, let hi?): t("Egész szám, legfeljebb \(hi)", "Whole number, at most \(hi)")
        case (nil, nil): t("Egész szám", "Whole number")
        }
    }

    public func decimalRange(min: Double?, max: Double?, places: Int) -> String {
        let range = rangeText(min.map { number($0, places: places) }, max.map { number($0, places: places) })
        return t("Szám, legfeljebb \(places) tizedesjegy", "Number, at most \(places) decimal places")
            + (range.isEmpty ? "" : ", " + range)
    }

    public func dateRange(min: LocalDate?, max: LocalDate?) -> String {
        let range = rangeText(min.map(\.description), max.map(\.description), dates: true)
        return t("Dátum ÉÉÉÉ-HH-NN alakban", "Date as YYYY-MM-DD") + (range.isEmpty ? "" : ", " + range)
    }

    public var timeFormat: String { t("Időpont ÓÓ:PP alakban, pl. 08:30", "Time as HH:MM, e.g. 08:30") }

    public var dateTimeFormat: String {
        t("Dátum és időpont ÉÉÉÉ-HH-NN ÓÓ:PP alakban, pl. 2026-11-26 14:05", "Date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-26 14:05")
    }

    public func textLimit(_ maxLength: Int) -> String {
        t("Szöveg, legfeljebb \(maxLength) karakter", "Text, at most \(maxLength) characters")
    }

    /// What a multiple-choice question takes; `example` are offered codes to show in the example.
    public func multipleChoice(min: Int?, max: Int?, example: [Int]) -> String {
        let codes = example.prefix(2).map(String.init).joined(separator: " ")
        var s =
            codes.isEmpty
            ? t("Több válasz is lehet, szóközzel elválasztva", "Several answers, separated by spaces")
            : t("Több válasz is lehet, szóközzel elválasztva (pl. \(codes))", "Several answers, separated by spaces (e.g. \(codes))")
        if let min, min > 1 { s += t(", legalább \(min)", ", at least \(min)") }
        if let max { s += t(", legfeljebb \(max)", ", at most \(max)") }
        return s
    }

    public func scaleRange(min: Int, max: Int) -> String { t("Skála: \(min)–\(max)", "Scale: \(min)–\(max)") }

    public var singleChoice: String { t("Írja be a válasz kódját", "Type the code of the answer") }

    /// A range's bounds in words: a date's are the earliest and the latest day, a number's the
    /// least and the most.
    private func rangeText(_ lo: String?, _ hi: String?, dates: Bool = false) -> String {
        switch (lo, hi) {
        case (let lo?, let hi?): "\(lo) – \(hi)"
        case (let lo?, nil): dates ? t("legkorábban \(lo)", "not before \(lo)") : t("legalább \(lo)", "at least \(lo)")
        case (nil, let hi?): dates ? t("legkésőbb \(hi)", "not after \(hi)") : t("legfeljebb \(hi)", "at most \(hi)")
        case (nil, nil): ""
        }
    }

    /// A number with a fixed number of decimals, with a decimal comma in Hungarian.
    public func number(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if places == 0, text.hasSuffix(".0") { text.removeLast(2) }
        return language == .hu ? String(text.map { $0 == "." ? "," : $0 }) : text
    }
}
