extension UIStrings {
    // MARK: - Full screen: status line

    public var keyEnterSaves: ScreenModel.KeyHint { .init(key: "Enter", action: t("rögzít", "save")) }
    public var keyFields: ScreenModel.KeyHint { .init(key: "↑↓", action: t("mező", "field")) }
    public var keyPages: ScreenModel.KeyHint { .init(key: "PgUp/PgDn", action: t("oldal", "page"), spare: 3) }
    public var keySections: ScreenModel.KeyHint { .init(key: "F2", action: t("szakaszok", "sections"), spare: 2) }
    public var keyReview: ScreenModel.KeyHint { .init(key: "F3", action: t("áttekintés", "review"), spare: 1) }
    public var keyHelp: ScreenModel.KeyHint { .init(key: "F1", action: t("súgó", "help")) }
    public var keyLeave: ScreenModel.KeyHint { .init(key: "Ctrl-C", action: t("kilépés", "leave")) }
    public var keyAddRow: ScreenModel.KeyHint { .init(key: "F5", action: t("új sor", "add row")) }
    public var keyRemoveRow: ScreenModel.KeyHint { .init(key: "F8", action: t("sor törlése", "remove row")) }
    /// A yes/no question's keys: the reply is typed and Enter sends it (a reason may follow the
    /// yes), so the key line says Enter; only the Ctrl-C question takes a single key.
    public var keyYes: ScreenModel.KeyHint { .init(key: t("i+Enter", "y+Enter"), action: t("igen", "yes")) }
    public var keyNo: ScreenModel.KeyHint { .init(key: "n+Enter", action: t("nem", "no")) }
    /// The Ctrl-C question's keys: each answers alone, no Enter.
    public var keyLeaveNow: ScreenModel.KeyHint { .init(key: t("i", "y"), action: t("kilépés", "leave")) }
    public var keyStay: ScreenModel.KeyHint { .init(key: t("n/Esc", "n/Esc"), action: t("maradok", "stay")) }
    public var keyCancel: ScreenModel.KeyHint { .init(key: "Esc", action: t("mégsem", "cancel")) }
    public var keyBack: ScreenModel.KeyHint { .init(key: "Esc", action: t("vissza", "back")) }
    public var keyRowNumbers: ScreenModel.KeyHint { .init(key: t("sorszám+Enter", "row no.+Enter"), action: t("törlendő", "to remove")) }
    public var keyEnterLastRows: ScreenModel.KeyHint { .init(key: "Enter", action: t("az utolsó", "the last")) }
    public var keyMove: ScreenModel.KeyHint { .init(key: "↑↓", action: t("választ", "choose")) }
    public var keyScroll: ScreenModel.KeyHint { .init(key: "↑↓ PgUp/PgDn", action: t("lapoz", "scroll")) }
    public var keyJump: ScreenModel.KeyHint { .init(key: "Enter", action: t("odaugrik", "go there")) }

    // MARK: - Full screen: texts

    public var inputLabel: String { t("Válasz", "Answer") }
    public var sectionsTitle: String { t("Szakaszok — válasszon, Enter: odaugrik", "Sections — choose, Enter: go there") }
    /// A section's completion in the sections menu; one with no question on the route yet (the
    /// outcome's, before the end) is not "done (0)".
    public func sectionProgress(_ answered: Int, of total: Int) -> String {
        if total == 0 { return t("még nincs kérdés", "no questions yet") }
        return answered == total
            ? t("kész (\(total))", "done (\(total))") : t("\(answered)/\(total) kész", "\(answered)/\(total) done")
    }
    public func headerProgress(answered: Int, remaining: Int) -> String {
        t("\(answered) kész, hátra kb. \(remaining)", "\(answered) done, about \(remaining) to go")
    }
    public func headerSection(_ number: Int, of count: Int) -> String {
        t("\(number)/\(count). szakasz", "section \(number)/\(count)")
    }
    public func headerInterview(_ id: String) -> String { t("interjú \(id)", "interview \(id)") }
    public var headerTraining: String { t("GYAKORLÓ", "TRAINING") }
    public var notAsked: String { "·" }
    /// Marks an answer the supervisor commented on (in the form) and the comment (at the question).
    public var commentFlag: String { "⚑" }
    public var saveOrDiscardFirst: String {
        t("A beírt választ előbb rögzítse (Enter) vagy vesse el (Esc).", "Save the answer you typed first (Enter), or discard it (Esc).")
    }
    public func limitReached(_ limit: Int) -> String {
        t(
            "Elérte a legfeljebb \(limit) karaktert; több nem írható.",
            "The limit of \(limit) characters is reached; nothing more can be typed.")
    }
    public var keyRefused: String {
        t("Ez a billentyű itt nem használható (F1: súgó).", "That key does nothing here (F1: help).")
    }
    public var unreadableKey: String {
        t(
            "Olvashatatlan bevitel (nem UTF-8); nem került be. Állítsa a terminált UTF-8-ra.",
            "Unreadable input (not UTF-8); it was not taken. Set the terminal to UTF-8.")
    }
    public var notInRoster: String {
        t(
            "Sort hozzáadni és törölni egy nyitott lista (pl. utazások) oldalán lehet.",
            "Rows are added and removed on the page of an open roster (e.g. trips).")
    }
    /// Under the empty input line of an optional question without an answer.
    public var skipsOptionalHint: String {
        t("Nem kötelező: üres sor + Enter = kihagyja", "Optional: empty line + Enter skips it")
    }

    public var keepsAnswerHint: String {
        t("Üres sor + Enter: a jelenlegi válasz marad (törlés: .t)", "Empty line + Enter keeps the current answer (remove it: .c)")
    }

    // MARK: - Full screen: help

    /// The keys of the full screen, for the help (F1), before the dot commands.
    public var screenKeys: [(String, String)] {
        [
            (
                "Enter",
                t(
                    "a beírt válasz rögzítése (üresen: a jelenlegi marad), tovább",
                    "save what is typed (empty: keep the current answer), go on")
            ),
            ("← → Home End", t("mozgás a beírt szövegben", "move in the text typed")),
            ("Backspace Del", t("törlés a kurzor előtt / után", "delete before / after the caret")),
            ("Ctrl-U  Ctrl-K", t("törlés a sor elejéig / végéig", "delete to the start / end of the line")),
            ("Esc", t("a beírt szöveg elvetése; kérdésnél: mégsem", "discard what is typed; at a question: cancel")),
            ("↑ ↓", t("előző / következő mező az oldalon", "previous / next field of the page")),
            ("PgUp PgDn", t("előző / következő oldal (szakasz, lista, rács)", "previous / next page (section, roster, grid)")),
            ("F2  Ctrl-G", t("szakaszok menüje, készültséggel", "the sections, with how far each is done")),
            (
                "F3  Ctrl-R",
                t("áttekintés: válaszok, megjegyzések, figyelmeztetések, hiányzók", "review: answers, notes, warnings, what is missing")
            ),
            ("F5  F8", t("nyitott listán: új sor / a sor törlése", "in an open roster: add a row / remove the row")),
            ("Ctrl-L", t("a képernyő újrarajzolása", "redraw the screen")),
            (
                "Ctrl-C",
                t(
                    "kilépés (előtte megkérdezi; minden megerősített válasz mentve van)",
                    "leave (asks first; every confirmed answer is saved)")
            ),
        ]
    }
}
