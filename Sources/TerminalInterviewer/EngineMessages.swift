import InterviewEngine
import SurveyModel

extension UIStrings {
    /// Why the engine refused an event, for the fieldworker, in the UI language.
    ///
    /// The session validates before it commits, so these are rare (a definition and a resumed
    /// log that disagree, a command at the wrong moment); nothing was saved when one is shown.
    public func engineRefused(_ error: EngineError) -> String {
        t("Nem rögzíthető: ", "Not recorded: ") + engineReason(error)
    }

    private func engineReason(_ error: EngineError) -> String {
        switch error {
        case .notStarted, .alreadyStarted:
            t(
                "az interjú naplója hibás; ne folytassa, szóljon a koordinátornak.",
                "the interview log is inconsistent; stop and tell your coordinator.")
        case .unknownVariable(let n):
            t("\(n) nem kérdése ennek a kérdőívnek.", "\(n) is not a question of this questionnaire.")
        case .unknownRoster(let g):
            t("\(g) nem listája ennek a kérdőívnek.", "\(g) is not a roster of this questionnaire.")
        case .unknownCheck(let c):
            t("\(c) nem ellenőrzése ennek a kérdőívnek.", "\(c) is not a check of this questionnaire.")
        case .noSuchRow(let a): t("\(a): ilyen sor nincs.", "\(a): there is no such row.")
        case .notAnswerable(let a):
            t(
                "\(a) tájékoztató szöveg vagy számított érték, nem kell rá válaszolni.",
                "\(a) is a note or a calculated value; it takes no answer.")
        case .offRoute(let a):
            t("\(a) a korábbi válaszok miatt most nem kérdezendő.", "\(a) is not asked, given the earlier answers.")
        case .invalidAnswer(let a, _): t("\(a): érvénytelen válasz.", "\(a): invalid answer.")
        case .rosterFull(let g, let m):
            t("\(g): elérte a legfeljebb \(m) sort.", "\(g) already has its maximum of \(m) rows.")
        case .notOpenRoster(let g):
            t(
                "\(g) sorainak száma egy korábbi válaszból adódik; azt javítsa.",
                "\(g) gets its rows from an earlier answer; correct that answer instead.")
        case .noRowToRemove(let g): t("\(g): nincs törölhető sor.", "\(g): there is no row to remove.")
        case .nothingToConfirm: t("nincs megerősítendő figyelmeztetés.", "there is no warning to confirm.")
        case .interviewEnded:
            t("az interjú már lezárult; a válaszok nem módosíthatók.", "the interview has ended; answers cannot be changed.")
        case .notEnded: t("az interjú nincs lezárva, nincs mit újranyitni.", "the interview has not ended; there is nothing to reopen.")
        }
    }
}
