import Fieldwork
import SurveyModel

extension UIStrings {
    // MARK: - Invalid answers

    /// The message for an answer that cannot be stored.
    public func problem(_ p: AnswerProblem) -> String {
        let invalid = t("Érvénytelen válasz: ", "Invalid answer: ")
        switch p {
        case .notAnInteger: return invalid + t("egész számot adjon meg.", "enter a whole number.")
        case .notANumber: return invalid + t("számot adjon meg (pl. 12,5).", "enter a number (e.g. 12.5).")
        case .tooManyDecimals(let places):
            return invalid + t("legfeljebb \(places) tizedesjegy adható meg.", "at most \(places) decimal places.")
        case .notAnOption(let text):
            return invalid
                + t(
                    "„\(text)” nem választható. A felsorolt kódok közül válasszon.",
                    "“\(text)” is not one of the options. Type one of the codes shown.")
        case .notADate:
            return invalid + t("a dátumot ÉÉÉÉ-HH-NN alakban adja meg, pl. 2024-05-01.", "enter the date as YYYY-MM-DD, e.g. 2024-05-01.")
        case .noSuchDate(let text):
            return invalid
                + t(
                    "\(text) nem létező nap; ellenőrizze a hónapot és a napot.",
                    "\(text) is not a day of the calendar; check the month and the day.")
        case .notATime: return invalid + t("az időpontot ÓÓ:PP alakban adja meg, pl. 08:30.", "enter the time as HH:MM, e.g. 08:30.")
        case .notADateTime:
            return invalid
                + t(
                    "a dátumot és az időpontot ÉÉÉÉ-HH-NN ÓÓ:PP alakban adja meg, pl. 2026-11-26 14:05.",
                    "enter the date and time as YYYY-MM-DD HH:MM, e.g. 2026-11-26 14:05.")
        case .integerOutOfRange(let min, let max):
            return invalid + integerRangeProblem(min: min, max: max)
        case .decimalOutOfRange(let min, let max):
            let lo = min.map { number($0, places: 6) }, hi = max.map { number($0, places: 6) }
            return invalid + boundsProblem(lo, hi, noun: t("számot", "a number"))
        case .dateOutOfRange(let min, let max):
            return invalid + boundsProblem(min?.description, max?.description, noun: t("dátumot", "a date"))
        case .tooLong(let max, let actual):
            return t(
                "Túl hosszú válasz: legfeljebb \(max) karakter lehet (most \(actual)).",
                "Answer too long: at most \(max) characters (this one has \(actual)).")
        case .patternMismatch: return invalid + t("a válasz formája nem megfelelő.", "the answer does not have the expected form.")
        case .tooFewChoices(let min): return invalid + t("legalább \(min) választ jelöljön meg.", "tick at least \(min) answers.")
        case .tooManyChoices(let max): return invalid + t("legfeljebb \(max) választ jelölhet meg.", "tick at most \(max) answers.")
        case .exclusiveCombined(let code):
            return invalid + t("a(z) \(code) kód nem jelölhető más válasszal együtt.", "code \(code) cannot be ticked with other answers.")
        case .duplicateChoice(let code): return invalid + t("a(z) \(code) kód kétszer szerepel.", "code \(code) is given twice.")
        case .required:
            return t(
                "Erre a kérdésre válasz kell (vagy .nt = nem tudja, .nv = nem válaszol).",
                "This question needs an answer (or .dk = don't know, .rf = refused).")
        case .specialNotAllowed(let s):
            return t("Ennél a kérdésnél a(z) „\(special(s))” nem rögzíthető.", "“\(special(s))” is not allowed for this question.")
        case .notAnswerable: return t("Ez a tétel nem vár választ.", "This item takes no answer.")
        case .check(let message): return t("Hiba: ", "Error: ") + message
        }
    }

    private func integerRangeProblem(min: Int?, max: Int?) -> String {
        switch (min, max) {
        case (let lo?, let hi?): t("\(lo) és \(hi) közötti egész számot adjon meg.", "enter a whole number from \(lo) to \(hi).")
        case (let lo?, nil): t("legalább \(lo) értéket adjon meg.", "enter at least \(lo).")
        case (nil, let hi?): t("legfeljebb \(hi) értéket adjon meg.", "enter at most \(hi).")
        case (nil, nil): t("egész számot adjon meg.", "enter a whole number.")
        }
    }

    private func boundsProblem(_ lo: String?, _ hi: String?, noun: String) -> String {
        switch (lo, hi) {
        case (let lo?, let hi?): t("\(lo) és \(hi) közötti \(noun) adjon meg.", "enter \(noun) from \(lo) to \(hi).")
        case (let lo?, nil): t("legalább \(lo) értéket adjon meg.", "enter \(noun) no earlier or lower than \(lo).")
        case (nil, let hi?): t("legfeljebb \(hi) értéket adjon meg.", "enter \(noun) no later or higher than \(hi).")
        case (nil, nil): t("érvényes értéket adjon meg.", "enter a valid value.")
        }
    }

    // MARK: - Soft checks

    public var warning: String { t("Figyelmeztetés: ", "Warning: ") }
    public var confirmWarning: String {
        t(
            "Megerősíti? i = igen, megerősítem (utána indok is írható: i indok), n = nem, javítom",
            "Confirm? y = yes, confirm (a reason may follow: y reason), n = no, correct it")
    }
    public var warningConfirmed: String { t("Megerősítve.", "Confirmed.") }
    public var correctAnswer: String { t("Javítsa a választ.", "Correct the answer.") }

    /// Text typed at a note (a screen that only informs).
    public var noteTakesNoAnswer: String {
        t(
            "Ez a képernyő csak tájékoztat, választ nem kér: a beírt szöveg nincs rögzítve. Továbblépés: üres sor + Enter.",
            "This screen only informs and takes no answer: what was typed is not saved. To go on: empty line + Enter.")
    }

    // MARK: - Commands

    public func unknownCommand(_ typed: String) -> String {
        t("Ismeretlen parancs: \(typed) — a parancsok listája: ?", "Unknown command: \(typed) — list of commands: ?")
    }

    public func missingArgument(_ name: DotCommand.Name) -> String {
        switch name {
        case .jump: t("Adja meg a kérdés nevét: .u kérdésnév (pl. .u hh_size)", "Give the question name: .g name (e.g. .g hh_size)")
        case .note: t("Írja a megjegyzést a parancs után: .m szöveg", "Type the note after the command: .n text")
        case .language: t("Adja meg a nyelvet: .hu vagy .en", "Give the language: .hu or .en")
        }
    }

    public var atFirstQuestion: String { t("Ez az első kérdés.", "This is the first question.") }
    public var nothingUnanswered: String { t("Minden kérdés megválaszolva.", "Every question is answered.") }
    public func noSuchQuestion(_ name: String) -> String {
        t("Nincs ilyen kérdés: \(name)", "No such question: \(name)")
    }
    public func notOnRoute(_ name: String) -> String {
        t(
            "A(z) \(name) kérdés most nincs az útvonalon (a korábbi válaszok miatt kimarad).",
            "Question \(name) is not on the route now (earlier answers skip it).")
    }
    public func noSuchLanguage(_ code: String, available: [LanguageCode]) -> String {
        let list = available.map(\.rawValue).joined(separator: ", ")
        return t("A kérdőív nyelvei: \(list). Nincs „\(code)” nyelv.", "The questionnaire's languages are \(list); there is no “\(code)”.")
    }
    /// After `.hu`/`.en`: the questionnaire's language changed; the interviewer's texts did not.
    public func languageSwitched(_ language: LanguageCode) -> String {
        t(
            "A kérdőív nyelve mostantól: \(languageName(language)). A kérdezői felület nyelve nem változik (az indításkor --ui-lang választja).",
            "The questionnaire is now in \(languageName(language)). The interviewer's own texts stay as they are (chosen with --ui-lang at start)."
        )
    }

    public func languageUnchanged(_ language: LanguageCode) -> String {
        t("A kérdőív nyelve már \(languageName(language)).", "The questionnaire is already in \(languageName(language)).")
    }

    /// A language's name in the UI language (its code when unknown).
    public func languageName(_ language: LanguageCode) -> String {
        switch language.rawValue.lowercased() {
        case "hu": t("magyar", "Hungarian")
        case "en": t("angol", "English")
        case "de": t("német", "German")
        default: language.rawValue
        }
    }
    public var noteSaved: String { t("Megjegyzés rögzítve.", "Note saved.") }
    public var answerCleared: String { t("Válasz törölve.", "Answer removed.") }
    public var nothingToClear: String { t("Nincs törölhető válasz.", "There is no answer to remove.") }
    public var noOutcomeVariable: String {
        t("Ebben a kérdőívben nincs látogatási eredmény változó.", "This questionnaire declares no visit outcome.")
    }
    public var chooseOutcome: String {
        t("A látogatás lezárása: .z KÓD (pl. .z 21). Kódok:", "To end the visit: .o CODE (e.g. .o 21). Codes:")
    }
    public func invalidOutcome(_ code: Int) -> String {
        t("Nincs ilyen eredménykód: \(code).", "No such outcome code: \(code).")
    }
    public func visitEnded(_ code: Int, label: String?) -> String {
        let what = label.map { "\(code) (\($0))" } ?? "\(code)"
        return t("A látogatás lezárva, eredmény: \(what).", "Visit ended with outcome \(what).")
    }
    public var onlyCommandsNow: String {
        t(
            "Az interjú lezárult. Parancsok: .v vissza, .a áttekintés, .k kilépés",
            "The interview has ended. Commands: .b back, .r review, .q quit")
    }
}
