import SurveyModel

extension UIStrings {
    // MARK: - Help

    /// The command list shown by `?`, one command per entry: (what to type, what it does).
    public var commands: [(String, String)] {
        [
            (t("Enter", "Enter"), t("a jelenlegi válasz megtartása, tovább", "keep the current answer, go on")),
            (t(".v", ".b"), t("vissza az előző kérdésre", "back to the previous question")),
            (t(".e", ".f"), t("előre az első megválaszolatlan kérdésre", "forward to the first unanswered question")),
            (t(".u NÉV", ".g NAME"), t("ugrás egy kérdésre (pl. .u hh_size)", "go to a question (e.g. .g hh_size)")),
            (t(".a", ".r"), t("áttekintés: válaszok, figyelmeztetések, hibák", "review: answers, warnings, errors")),
            (".hu  .en", t("a kérdőív nyelvének váltása", "switch the questionnaire language")),
            (t(".nt", ".dk"), t("nem tudja", "don't know")),
            (t(".nv", ".rf"), t("nem válaszol (megtagadta)", "refused")),
            (t(".m SZÖVEG", ".n TEXT"), t("kérdezői megjegyzés ehhez a kérdéshez", "interviewer note on this question")),
            (t(".t", ".c"), t("a válasz törlése", "remove the answer")),
            (t(".z KÓD", ".o CODE"), t("a látogatás lezárása eredménykóddal", "end the visit with an outcome code")),
            (t(".k", ".q"), t("mentés és kilépés (később folytatható)", "save and quit (resume later)")),
            ("?", t("ez a lista", "this list")),
        ]
    }

    public var helpTitle: String { t("Parancsok", "Commands") }
    public var helpFooter: String {
        t("Több válasz: kódok szóközzel (1 3 96). Dátum: 2024-05-01. Ponttal kezdődő szöveg: ..szöveg",
          "Multiple choice: codes with spaces (1 3 96). Dates: 2024-05-01. Text starting with a dot: ..text")
    }

    // MARK: - Review screen

    public var reviewTitle: String { t("Áttekintés", "Review") }
    public var reviewAnswers: String { t("Válaszok", "Answers") }
    public var reviewWarnings: String { t("Nyitott figyelmeztetések", "Open warnings") }
    public var reviewErrors: String { t("Hibák", "Errors") }
    public var reviewUnanswered: String { t("Megválaszolatlan kötelező kérdések", "Unanswered required questions") }
    public var reviewNone: String { t("nincs", "none") }
    public var unanswered: String { t("(megválaszolatlan)", "(unanswered)") }

    // MARK: - Session

    public func started(_ id: InterviewID) -> String { t("Új interjú: \(id)", "New interview: \(id)") }
    public func resumed(_ id: InterviewID) -> String { t("Interjú folytatása: \(id)", "Resuming interview \(id)") }
    public var trainingInterview: String {
        t("Gyakorló (teszt) interjú: megmarad, de kimarad az exportokból és a jelentésekből.",
          "Training (test) interview: kept, but excluded from exports and reports.")
    }
    public func resumeHint(_ command: String) -> String {
        t("Minden megerősített válasz mentve. Folytatás: \(command)", "Every confirmed answer is saved. To resume: \(command)")
    }
    public var savedAndQuit: String { t("Mentve, kilépés.", "Saved; quitting.") }
    public var endOfInput: String { t("A bemenet véget ért.", "Input ended.") }
    public func interrupted(_ signal: Int32) -> String {
        switch signal {
        case 2: t("Megszakítva (Ctrl-C).", "Interrupted (Ctrl-C).")
        case 1: t("A terminál bezárult (SIGHUP).", "The terminal was closed (SIGHUP).")
        default: t("Leállítási kérés érkezett (\(signal)-es jel).", "Asked to stop (signal \(signal)).")
        }
    }
    public func completed(outcome: Int?) -> String {
        let code = outcome.map { t(" (eredmény: \($0))", " (outcome \($0))") } ?? ""
        return t("Az interjú véget ért\(code). Köszönjük!", "The interview is complete\(code). Thank you!")
    }
    public var endReached: String {
        t("Elérte a kérdőív végét, de van még megválaszolatlan kötelező kérdés:", "You reached the end, but required questions are still unanswered:")
    }
    public var completeAnyway: String {
        t("Lezárja így? i = igen, n = nem (visszalép)", "Close it like this? y = yes, n = no (go back)")
    }

    /// A storage failure: the answer was not saved, earlier ones are safe.
    public func storageFailed(_ reason: String) -> String {
        t("MENTÉSI HIBA: \(reason)\nAz utolsó válasz NEM került mentésre; a korábbi válaszok biztonságban vannak. "
            + "Szabadítson fel helyet, vagy ellenőrizze az adatbázis írási jogát, majd folytassa az interjút.",
          "SAVE FAILED: \(reason)\nThe last answer was NOT saved; earlier answers are safe. "
            + "Free some disk space or check that the database is writable, then resume the interview.")
    }

    public func addRowQuestion(_ roster: String, rows: Int) -> String {
        t("\(roster): új sor hozzáadása? i = igen, n = nem (eddig \(rows) sor)",
          "\(roster): add a row? y = yes, n = no (\(rows) so far)")
    }

    public func unfinishedHint(_ count: Int, listCommand: String) -> String {
        t("Figyelem: \(count) befejezetlen interjú van ezen a gépen (lista: \(listCommand)). Új interjú indul.",
          "Note: \(count) unfinished interview(s) on this device (list: \(listCommand)). Starting a new one.")
    }

    public var unfinishedTitle: String { t("Befejezetlen interjúk", "Unfinished interviews") }
    public var noUnfinished: String { t("Nincs befejezetlen interjú.", "There are no unfinished interviews.") }
}
