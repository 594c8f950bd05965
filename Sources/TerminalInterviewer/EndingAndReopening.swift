import Fieldwork
import InterviewEngine
import SurveyModel

// Reopening an ended interview (`terep interview FILE --reopen ID --reason "…"`), and:
// an answer that makes an end rule end the interview (`end outcome 42 if hh_n16 == 0`) is
// confirmed first, naming the outcome it records, so a mistyped answer does not close the
// interview without the interviewer knowing (issue 17, point 5).

extension InterviewController {
    /// The outcome code (and its label) an end rule would end the interview with once the
    /// previewed answer is saved; nil when the answer does not end it. In a reopened interview
    /// the end rule may hold already: saving the same answer again is asked about too.
    /// Asked at every answer, so the route is walked only when an end rule holds.
    func endRuleReached(in preview: Interview) -> (code: Int, label: String?)? {
        guard interview.recordedOutcome == nil, preview.endRuleHolds, case .endRule? = preview.endReason,
            case .ended(let code?) = preview.status
        else { return nil }
        let outcome = interview.definition.outcome.flatMap { index[$0.variable]?.question }
        let option = outcome.flatMap { index.answerSet(of: $0) }?.options.first { $0.code == code }
        return (code, option.map { interview.render($0.label) })
    }

    /// Enter at an answer: go on, unless the answers already make an end rule hold and the end
    /// is not recorded (a reopened interview whose answer was not changed); then going on ends
    /// the interview, and the interviewer is asked first, as when the answer was typed.
    func keep(_ at: Address) {
        guard let end = endRuleReached(in: interview) else { return advance(from: at) }
        continueProposal(Proposal(action: .keep(at: at), steps: [.endRule(end.code, label: end.label)], preview: interview))
    }
}

extension UIStrings {
    func confirmEndRule(_ code: Int, label: String?) -> String {
        let what = label.map { "\(code) (\($0))" } ?? "\(code)"
        return t(
            "Ez a válasz lezárja az interjút ezzel az eredménnyel: \(what). Rögzíti és lezárja? i = igen, n = nem",
            "This answer ends the interview with outcome \(what). Save it and end? y = yes, n = no")
    }

    /// Enter at a stored answer that ends the interview (a reopened interview not yet corrected).
    func confirmEndRuleKept(_ code: Int, label: String?) -> String {
        let what = label.map { "\(code) (\($0))" } ?? "\(code)"
        return t(
            "A válaszok alapján az interjú ezzel az eredménnyel zárul: \(what). Lezárja? i = igen, n = nem",
            "With these answers the interview ends with outcome \(what). End it? y = yes, n = no")
    }

    public func reopened(_ id: InterviewID, previousOutcome: Int?) -> String {
        let was = previousOutcome.map { t(" (eddigi eredménye: \($0))", " (its outcome was \($0))") } ?? ""
        return t(
            "Az interjú újranyitva: \(id)\(was). Az újranyitás oka, ideje és a kérdező rögzítve.",
            "Interview reopened: \(id)\(was). Who reopened it, when and why are recorded.")
    }

    var endRuleNotRecorded: String {
        t("Az interjú nem zárult le; ha a válasz hibás, javítsa.", "The interview was not ended; correct the answer if it is wrong.")
    }

    var endRuleDeclined: String {
        t(
            "A válasz nincs rögzítve, az interjú folytatódik; javítsa a választ.",
            "The answer was not saved and the interview goes on; correct the answer.")
    }
}

// A rejected interview: the supervisor's rejection when the session starts, and each of their
// comments when its question is shown (ReviewNotes, from the device's newest package).
extension UIStrings {
    public func rejected(_ mark: ReviewMark) -> String {
        let when = LocalClock.text(mark.at)
        let why = mark.text.map { DisplayText.escaped($0) } ?? ""
        return t(
            "Visszaküldve javításra (\(DisplayText.escaped(mark.actor)), \(when)): \(why)",
            "Rejected — to fix (\(DisplayText.escaped(mark.actor)), \(when)): \(why)")
    }

    public func reviewComment(_ mark: ReviewMark) -> String {
        let text = mark.text.map { DisplayText.escaped($0) } ?? ""
        return t(
            "Az ellenőr megjegyzése (\(DisplayText.escaped(mark.actor))): \(text)",
            "The supervisor's comment (\(DisplayText.escaped(mark.actor))): \(text)")
    }
}
