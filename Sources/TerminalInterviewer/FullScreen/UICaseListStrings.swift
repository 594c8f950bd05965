import Fieldwork
import SurveyModel

/// The full-screen case list's texts (``CaseListScreen``).
extension UIStrings {
    public func caseListTitle(interviewer: String, device: String) -> String {
        t("Esetek — \(interviewer), \(device)", "Cases — \(interviewer), \(device)")
    }

    /// A filter's name on the filter bar.
    public func filterName(_ filter: CaseFilter) -> String {
        switch filter {
        case .all: t("Mind", "All")
        case .toDo: t("Teendő", "To do")
        case .new: t("Új", "New")
        case .visited: t("Felkeresve", "Visited")
        case .appointment: t("Időpont", "Appointment")
        case .inProgress: t("Folyamatban", "In progress")
        case .completed: t("Kész", "Completed")
        case .rejected: t("Javítandó", "To fix")
        case .final: t("Lezárt", "Final")
        case .moved: t("Átadva", "Moved")
        case .withdrawn: t("Visszavonva", "Withdrawn")
        }
    }

    public var searchLabel: String { t("Keresés", "Search") }
    public func searchMatches(_ count: Int) -> String { t("\(count) találat", "\(count) found") }
    public var noCaseShown: String {
        t("Nincs ilyen eset (Esc: a keresés törlése, ←→: másik szűrő).", "No such case (Esc: clear the search, ←→: another filter).")
    }
    public var nextLabel: String { t("Teendő", "Next") }
    public var visitsLabel: String { t("Látogatások", "Visits") }
    public var noteLabel: String { t("Megjegyzés", "Note") }
    public var rejectionLabel: String { t("Visszaküldés oka", "Rejected") }
    public var noVisitYet: String { t("még nem volt látogatás", "not visited yet") }

    public var keyOpenCase: ScreenModel.KeyHint { .init(key: "Enter", action: t("megnyit", "open")) }
    public var keyFilter: ScreenModel.KeyHint { .init(key: "←→", action: t("szűrő", "filter")) }
    public var keySearch: ScreenModel.KeyHint { .init(key: t("betű", "letters"), action: t("keres", "search")) }
    public var keyQuit: ScreenModel.KeyHint { .init(key: "q/Esc", action: t("kilépés", "quit")) }
    public var keyClearSearch: ScreenModel.KeyHint { .init(key: "Esc", action: t("keresés törlése", "clear search")) }

    /// Back on the list after a case's interview ended: the case's status now, then what its end
    /// said (nil: already shown, as the line view does). The status comes first: an 80-column
    /// list's message line cuts the end of a long one.
    public func caseBack(_ id: CaseID, said: String?, status: CaseStatus?) -> String {
        let now = status.map { t(" Állapota most: \(caseStatus($0)).", " Now: \(caseStatus($0)).") } ?? ""
        return "\(id) —" + now + (said.map { " " + $0 } ?? "")
    }

    /// Back on the list after leaving a case's interview before its end (`.q`, or Ctrl-C and yes).
    public func caseLeft(_ id: CaseID, status: CaseStatus?) -> String {
        let now = status.map { t(" Állapota most: \(caseStatus($0)).", " Now: \(caseStatus($0)).") } ?? ""
        return "\(id) —" + now + " "
            + t("Minden megerősített válasz mentve, később folytatható.", "Every confirmed answer is saved; continue it later.")
    }

    /// Why a case picked on the list does not open (the line `terep interview --case` prints, in the UI language).
    public func caseRefused(_ error: CaseInterviewError) -> String {
        switch error {
        case .unknownCase(let id, _): t("A(z) \(id) eset nem ennek a gépnek az esete.", "Case \(id) is not one of this device's cases.")
        case .notAssigned(let id, .reassigned):
            t(
                "A(z) \(id) eset másik gépre került: szinkronizálja, amit rögzített.",
                "Case \(id) was moved to another device: sync what was recorded.")
        case .notAssigned(let id, _): t("A(z) \(id) esetet visszavonták: ne keresse fel.", "Case \(id) was withdrawn: do not visit it.")
        case .done(let id, .completed):
            t("A(z) \(id) eset kész és jóváhagyott: zárolva.", "Case \(id) is completed and approved: it is locked.")
        case .done(let id, _): t("A(z) \(id) eset lezárt: nincs vele teendő.", "Case \(id) is final: nothing more to do.")
        case .awaitingReview(let id):
            t("A(z) \(id) eset kész, az ellenőr döntésére vár.", "Case \(id) is completed and waits for the supervisor's review.")
        case .start(let inner): inner.description
        }
    }
}
