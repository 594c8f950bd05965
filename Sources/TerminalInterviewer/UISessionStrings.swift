import Fieldwork
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
            (
                t(".st", ".rr"),
                t(
                    "a nyitott lista utolsó sorának törlése (a válaszok a naplóban maradnak)",
                    "remove the last row of the open roster (answers stay in the log)")
            ),
            (
                t(".z KÓD [MEGJ.]", ".o CODE [NOTE]"),
                t("a látogatás lezárása eredménykóddal (és megjegyzéssel)", "end the visit with an outcome code (and a note)")
            ),
            (
                t(".gyakorló", ".training"),
                t(
                    "gyakorló (teszt) interjúnak jelöli (.gyakorló ki: visszavonja)",
                    "mark as a training (test) interview (.training off: undo)")
            ),
            (t(".k", ".q"), t("mentés és kilépés (később folytatható)", "save and quit (resume later)")),
            ("?", t("ez a lista", "this list")),
        ]
    }

    public var helpTitle: String { t("Parancsok", "Commands") }
    public var helpFooter: String {
        t(
            "Több válasz: a kódok szóközzel (pl. 1 3). Dátum: 2024-05-01. Ponttal kezdődő szöveg: ..szöveg",
            "Multiple choice: the codes with spaces (e.g. 1 3). Dates: 2024-05-01. Text starting with a dot: ..text")
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
        t(
            "Gyakorló (teszt) interjú: megmarad, de kimarad az exportokból és a jelentésekből.",
            "Training (test) interview: kept, but excluded from exports and reports.")
    }
    public func resumeHint(_ command: String) -> String {
        t("Minden megerősített válasz mentve. Folytatás: \(command)", "Every confirmed answer is saved. To resume: \(command)")
    }
    /// Said when the program crashes during the full screen, the terminal given back, before
    /// the runtime's own report (in English).
    public func crashed(resumeCommand: String) -> String {
        t("A program váratlan hibával leállt. ", "The program stopped on an unexpected error. ") + resumeHint(resumeCommand)
            + t(" Az alábbi (angol nyelvű) hibajelentést küldje el a koordinátornak.", " Send the error report below to the coordinator.")
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
        t(
            "Elérte a kérdőív végét, de van még megválaszolatlan kötelező kérdés:",
            "You reached the end, but required questions are still unanswered:")
    }
    public var closingTitle: String { t("Lezárás előtti ellenőrzés", "Check before closing") }
    public var closingBlocked: String {
        t(
            "Az interjú még nem zárható le teljesként. Javítsa az alábbiakat; minden javítás után a következőre lép.",
            "The interview cannot be closed as complete yet. Fix the items below; after each fix you go to the next one.")
    }

    // MARK: - Removing a roster row

    public var notInOpenRoster: String {
        t(
            "Ez a kérdés nem nyitott lista (szabadon bővíthető sorok) része. Lépjen egy sorára (.u NÉV), és ott írja: .st",
            "This question is not in an open roster (rows added by you). Go to one of its rows (.g NAME) and type .rr there")
    }
    public func noRowToRemove(_ roster: String) -> String {
        t("\(roster): nincs törölhető sor.", "\(roster): there is no row to remove.")
    }
    public func removeRowQuestion(_ roster: String, row: Int, label: String?) -> String {
        let named = label.map { $0.isEmpty ? "" : " (\($0))" } ?? ""
        return t(
            "\(roster): törli a(z) \(row). sort\(named)? A válaszai a naplóban megmaradnak. i = igen, n = nem",
            "\(roster): remove row \(row)\(named)? Its answers stay in the log. y = yes, n = no")
    }
    public func rowRemoved(_ roster: String, row: Int) -> String {
        t("\(roster): a(z) \(row). sor törölve.", "\(roster): row \(row) removed.")
    }
    public var rowKept: String { t("A sor megmaradt.", "The row was kept.") }

    public var completeAnyway: String {
        t("Lezárja így? i = igen, n = nem (visszalép)", "Close it like this? y = yes, n = no (go back)")
    }

    /// A storage failure: what happened, that earlier answers are safe, what to do, and the
    /// technical detail for the coordinator.
    public func storageFailed(_ error: RecordingError) -> String {
        let what: String
        let todo: String
        switch error.cause {
        case .diskFull, .writeFailed:
            what =
                error.cause == .diskFull
                ? t("megtelt a lemez.", "the disk is full.")
                : t(
                    "nem sikerült a lemezre írni (megtelt, vagy hibás az adathordozó).",
                    "writing to the disk failed (it is full, or the disk is faulty).")
            todo = t(
                "Szabadítson fel helyet a lemezen (töröljön felesleges fájlokat), majd folytassa az interjút.",
                "Free some disk space (delete files you do not need), then resume the interview.")
        case .readOnly:
            what = t("az adatbázis nem írható.", "the database cannot be written.")
            todo = t(
                "Ellenőrizze, hogy az adatbázis fájlja és mappája írható-e, majd folytassa az interjút.",
                "Check that the database file and its folder are writable, then resume the interview.")
        case .other:
            what = t("a válasz nem menthető.", "the answer could not be saved.")
            todo = t(
                "Próbálja folytatni az interjút; ha a hiba marad, szóljon a koordinátornak.",
                "Try to resume the interview; if it happens again, tell your coordinator.")
        }
        return t("MENTÉSI HIBA: ", "SAVE FAILED: ") + what + "\n"
            + t(
                "Az utolsó válasz NEM került mentésre; a korábbi válaszok biztonságban vannak. ",
                "The last answer was NOT saved; earlier answers are safe. ") + todo + "\n"
            + t("Részletek (a koordinátornak): ", "Details (for the coordinator): ") + error.message
    }

    public func addRowQuestion(_ roster: String, rows: Int) -> String {
        t(
            "\(roster): új sor hozzáadása? i = igen, n = nem (eddig \(rows) sor)",
            "\(roster): add a row? y = yes, n = no (\(rows) so far)")
    }

    /// The device database made on first use: where, whose, and the public key the coordinator
    /// registers (a command line) before merging the device's bundles. Names come escaped.
    public func deviceDatabaseCreated(path: String, device: String, interviewer: String, registration: String) -> String {
        t(
            """
            Létrejött az eszköz adatbázisa: \(path) (eszköz: \(device), kérdező: \(interviewer)).
            A nyilvános kulcsa; a koordinátor ezzel regisztrálja az eszközt, mielőtt a csomagjait összefésüli:
              \(registration)

            """,
            """
            Created the device database \(path) (device \(device), interviewer \(interviewer)).
            Its public key, for the coordinator to register before merging its bundles:
              \(registration)

            """)
    }

    public func unfinishedHint(_ count: Int, listCommand: String) -> String {
        t(
            "Figyelem: \(count) befejezetlen interjú van ezen a gépen (lista: \(listCommand)). Új interjú indul.",
            "Note: \(count) unfinished interview(s) on this device (list: \(listCommand)). Starting a new one.")
    }

    /// No interview with this id (or id prefix) on the device.
    public func unknownInterview(_ id: String, listCommand: String) -> String {
        t(
            "nincs „\(id)” azonosítójú interjú ezen a gépen. Az interjúk listája: \(listCommand)",
            "no interview '\(id)' on this device. To list the interviews: \(listCommand)")
    }

    /// An id prefix that fits more than one interview.
    public func ambiguousInterview(_ prefix: String, matches: Int, listCommand: String) -> String {
        t(
            "a(z) \(prefix) kezdetű azonosító \(matches) interjúra illik; írjon be többet belőle. Lista: \(listCommand)",
            "\(matches) interviews have ids starting with \(prefix); type more of it. To list them: \(listCommand)")
    }

    /// `--resume` of an interview that has already ended.
    public func interviewAlreadyEnded(_ id: InterviewID, outcome: Int?) -> String {
        let code = outcome.map { t(" (eredmény: \($0))", " (outcome \($0))") } ?? ""
        return t(
            "a(z) \(id) interjú már lezárult\(code); nem folytatható. Ha hibásan zárult le: --reopen \(id) --reason \"…\"",
            "interview \(id) has already ended\(code); it cannot be resumed. If it ended by mistake: --reopen \(id) --reason \"…\"")
    }

    public var unfinishedTitle: String { t("Befejezetlen interjúk", "Unfinished interviews") }
    public var noUnfinished: String { t("Nincs befejezetlen interjú.", "There are no unfinished interviews.") }
}
