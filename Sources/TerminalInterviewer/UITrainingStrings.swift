import SurveyModel

extension UIStrings {
    // MARK: - Training mark in the session (`.gyakorló`, `.gyakorló ki`)

    /// `.gyakorló ki`: the interview is real again.
    public var trainingRemoved: String {
        t(
            "A gyakorló jelölés visszavonva: valódi interjú, bekerül az exportokba és a jelentésekbe.",
            "Training mark removed: a real interview, included in exports and reports.")
    }

    /// The interview already has the mark typed.
    public func trainingAlready(_ on: Bool) -> String {
        on
            ? t(
                "Ez már gyakorló (teszt) interjú. (.gyakorló ki: visszavonja)",
                "This is already a training (test) interview. (.training off: undo)")
            : t("Ez nem gyakorló interjú; nincs mit visszavonni.", "This is not a training interview; nothing to undo.")
    }

    // MARK: - Training mark after the fact (`terep device training`)

    /// The interview now carries the requested mark.
    public func trainingMarkSet(_ id: InterviewID, training: Bool) -> String {
        training
            ? t(
                "A(z) \(id) interjú gyakorló (teszt) interjú lett: megmarad, de kimarad az exportokból és a jelentésekből.",
                "Interview \(id) is now marked as training (test): kept, but left out of exports and reports.")
            : t(
                "A(z) \(id) interjú valódi interjú lett: bekerül az exportokba és a jelentésekbe.",
                "Interview \(id) is now marked as a real interview: included in exports and reports.")
    }

    /// How the change reaches the central dataset.
    public var trainingMarkTravels: String {
        t(
            "A változás a következő csomaggal jut el a koordinátorhoz (terep bundle create).",
            "The change reaches the coordinator with the next bundle (terep bundle create).")
    }

    /// The interview already has the requested mark.
    public func trainingMarkUnchanged(_ id: InterviewID, training: Bool) -> String {
        training
            ? t(
                "A(z) \(id) interjú már gyakorló (teszt) interjú; nincs teendő.",
                "Interview \(id) is already marked as training (test); nothing to do.")
            : t(
                "A(z) \(id) interjú már valódi interjú (nincs gyakorló jelölése); nincs teendő.",
                "Interview \(id) is already a real interview (not marked as training); nothing to do.")
    }

    /// The heading of the device's interview list.
    public var trainingListTitle: String {
        t(
            "Az interjúk ezen a gépen (azonosító, kezdés, állapot, eredmény, jelölés)",
            "Interviews on this device (id, started, status, outcome, mark)")
    }

    /// The mark column of the list.
    public var trainingListMark: String { t("GYAKORLÓ", "TRAINING") }

    /// The device holds no interviews.
    public var trainingListEmpty: String { t("Ezen a gépen még nincs interjú.", "There are no interviews on this device yet.") }
}
