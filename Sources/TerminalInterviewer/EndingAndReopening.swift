import Fieldwork
import InterviewEngine
import SurveyModel

// Reopening an ended interview (`terep interview FILE --reopen ID --reason "…"`), and:
// an answer that makes an end rule end the interview (`end outcome 42 if hh_n16 == 0`) is
// confirmed first, naming the outcome it records, so a mistyped answer does not close the
// interview without the interviewer knowing (issue 17, point 5).

extension InterviewController {
    /// The outcome code (and its label) an end rule would end the interview with once the
    /// previewed answer is saved; nil when the answer does not end it.
    func endRuleReached(in preview: Interview) -> (code: Int, label: String?)? {
        guard interview.recordedOutcome == nil, interview.endReason == nil, case .endRule? = preview.endReason,
            case .ended(let code?) = preview.status
        else { return nil }
        let outcome = interview.definition.outcome.flatMap { index[$0.variable]?.question }
        let option = outcome.flatMap { index.answerSet(of: $0) }?.options.first { $0.code == code }
        return (code, option.map { interview.render($0.label) })
    }
}

extension UIStrings {
    func confirmEndRule(_ code: Int, label: String?) -> String {
        let what = label.map { "\(code) (\($0))" } ?? "\(code)"
        return t("Ez a válasz lezárja az interjút ezzel az eredménnyel: \(what). Rögzíti és lezárja? i = igen, n = nem",
                 "This answer ends the interview with outcome \(what). Save it and end? y = yes, n = no")
    }

    public func reopened(_ id: InterviewID, previousOutcome: Int?) -> String {
        let was = previousOutcome.map { t(" (eddigi eredménye: \($0))", " (its outcome was \($0))") } ?? ""
        return t("Az interjú újranyitva: \(id)\(was). Az újranyitás oka, ideje és a kérdező rögzítve.",
                 "Interview reopened: \(id)\(was). Who reopened it, when and why are recorded.")
    }

    var endRuleDeclined: String {
        t("A válasz nincs rögzítve, az interjú folytatódik; javítsa a választ.",
          "The answer was not saved and the interview goes on; correct the answer.")
    }
}
