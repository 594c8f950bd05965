import SurveyModel

extension UIStrings {
    // MARK: - Input that cannot be taken

    public func unreadableInput(_ problem: TypedText.Problem) -> String {
        switch problem {
        case .controlCharacter:
            t(
                "A beírt sor vezérlőkaraktert tartalmaz (például egy nyílbillentyűét); nem került mentésre. Írja be újra, nyilak nélkül (javítani a Backspace-szel lehet).",
                "The line contains a control character (an arrow key, for example); nothing was saved. Type it again without arrow keys (Backspace corrects)."
            )
        case .notUTF8:
            t(
                "A beírt sor olvashatatlan karaktert tartalmaz (a terminál nem UTF-8 kódolású); nem került mentésre. Állítsa a terminált UTF-8-ra, és írja be újra.",
                "The line contains unreadable characters (the terminal is not set to UTF-8); nothing was saved. Set the terminal to UTF-8 and type it again."
            )
        }
    }

    // MARK: - Replies to the session's questions

    public func replyNotUnderstood(_ reply: SessionPrompt.Reply) -> String {
        switch reply {
        case .yesNo, .yesWithReason, .leaveKey: t("Kérem, i (igen) vagy n (nem) betűvel válaszoljon.", "Please answer y (yes) or n (no).")
        case .rows:
            t(
                "Kérem, a törlendő sorok számát írja be, vagy Enter, vagy n.",
                "Please type the numbers of the rows to remove, or Enter, or n.")
        }
    }

    // MARK: - Ending the visit

    public func confirmVisitEnd(_ code: Int, label: String?) -> String {
        let what = label.map { "\(code) (\($0))" } ?? "\(code)"
        return t(
            "A látogatás lezárása ezzel az eredménnyel: \(what). Lezárja? i = igen, n = nem",
            "End the visit with outcome \(what)? y = yes, n = no")
    }

    public var visitNotEnded: String { t("A látogatás nem zárult le; folytathatja.", "The visit was not ended; carry on.") }

    // MARK: - Leaving (Ctrl-C)

    /// The full screen's question: one key answers it. Its keys have a line of their own, so
    /// that a key and what it does are never wrapped apart.
    public var leaveQuestion: String {
        t(
            "Kilép? Minden megerősített válasz mentve van, az interjú később folytatható.\nEgy billentyű: i = kilépés, bármely más (n, Esc) = maradok",
            "Leave? Every confirmed answer is saved; the interview can be resumed later.\nOne key: y = leave, any other (n, Esc) = stay")
    }

    /// The line view's question: the reply is a line, so it says Enter.
    public var leaveQuestionLine: String {
        t(
            "Kilép? Minden megerősített válasz mentve van, az interjú később folytatható.\ni és Enter = kilépés, n és Enter = maradok (újabb Ctrl-C: kilépés azonnal)",
            "Leave? Every confirmed answer is saved; the interview can be resumed later.\ny and Enter = leave, n and Enter = stay (Ctrl-C again leaves at once)"
        )
    }

    public var leaveCancelled: String { t("Folytatja az interjút.", "Carrying on with the interview.") }

    // MARK: - Roster rows

    /// Which members go when an answer lowers a roster's row count.
    func chooseRowsToRemove(_ removal: RowRemoval) -> String {
        let members = (1...removal.count).map { row in removal.labels[row].map { "\(row) \($0)" } ?? "\(row)" }
            .joined(separator: " · ")
        let last = removal.lastRows.map { row in removal.labels[row].map { "\(row) \($0)" } ?? "\(row)" }.joined(separator: ", ")
        let n = removal.removing
        guard removal.movable else {
            return t(
                "\(removal.title): \(removal.count) helyett \(removal.count - n) sor lesz, az utolsó \(n) sor (\(last)) kikerül. Rendben? Enter = igen, n = nem (marad a régi szám)",
                "\(removal.title): \(removal.count - n) rows instead of \(removal.count); the last \(n) (\(last)) go. Enter = yes, n = no (keep the old number)"
            )
        }
        return t(
            "\(removal.title): \(removal.count) helyett \(removal.count - n) sor lesz, \(n) tagnak ki kell kerülnie. Ki(k)? \(members). Írja be a sorszámo(ka)t (Enter = \(last); n = mégsem). A törölt sorok válaszai a naplóban megmaradnak.",
            "\(removal.title): \(removal.count - n) rows instead of \(removal.count), so \(n) must go. Who? \(members). Type the row number(s) (Enter = \(last); n = cancel). The removed rows' answers stay in the log."
        )
    }

    public var rowCountKept: String {
        t(
            "A válasz nem került mentésre; a sorok száma maradt. Javítsa a választ.",
            "The answer was not saved; the rows stay. Correct the answer.")
    }

    func rowsRemoved(_ removal: RowRemoval) -> String {
        let named = removal.rows.map { row in removal.labels[row].map { "\(row). (\($0))" } ?? "\(row)." }.joined(separator: ", ")
        let moved = removal.rows != removal.lastRows
        return t(
            "\(removal.title): törölve: \(named) sor." + (moved ? " A későbbi sorok feljebb léptek." : ""),
            "\(removal.title): removed row(s) \(named)." + (moved ? " The rows after them moved up." : ""))
    }

    public func onlyLastRowRemovable(_ roster: String) -> String {
        t(
            "\(roster): csak az utolsó sor törölhető (a sorokban további listák vannak).",
            "\(roster): only the last row can be removed (its rows hold rosters of their own).")
    }

    public func rowsCameBack(_ roster: String, rows: [(row: Int, label: String?)]) -> String {
        let named = rows.map { r in r.label.flatMap { $0.isEmpty ? nil : "\(r.row). (\($0))" } ?? "\(r.row)." }.joined(separator: ", ")
        return t(
            "\(roster): a(z) \(named) sor korábbi válaszaival visszakerült; ellenőrizze őket.",
            "\(roster): row(s) \(named) came back with their earlier answers; check them.")
    }
}
