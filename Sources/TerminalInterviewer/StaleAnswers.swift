import Fieldwork
import InterviewEngine
import SurveyModel

// Answers that an earlier change made invalid (the engine's stale answers, docs/engine.md):
// said when they become stale, at their question, in the review and at closing, where they
// block completion like a failing hard check. Enter does not keep one.

extension InterviewController {
    /// Says which stored answers the last event made invalid.
    func reportNewlyStale(_ effects: [Effect]) {
        for case .answerNoLongerFits(let at, let issues) in effects where interview.isOnRoute(at) {
            say(strings.answerNoLongerFits(at.description) + " " + reasons(issues, at: at), style: .warning)
        }
    }

    /// At a question whose stored answer no longer fits: what to say about it (nil when it fits).
    public func staleNotice(at: Address) -> String? {
        guard let issues = interview.staleIssues(at: at), let answer = interview.answer(at: at) else { return nil }
        return strings.staleAnswerHere(describe(answer, at: at)) + " " + reasons(issues, at: at)
    }

    /// The stale answers as the review and the closing list them: where, the answer, and why.
    func staleLines() -> [CheckLine] {
        interview.staleAnswers.map { item in
            CheckLine(
                place: item.address.description,
                message: describe(item.answer, at: item.address) + " — " + reasons(item.issues, at: item.address))
        }
    }

    private func reasons(_ issues: [ValidationIssue], at: Address) -> String {
        let answer = interview.answer(at: at) ?? .special(.notApplicable)
        return issues.map { message(for: $0, submitted: answer, at: at, in: interview) }.joined(separator: " ")
    }
}

extension UIStrings {
    func answerNoLongerFits(_ question: String) -> String {
        t(
            "Figyelem: a(z) \(question) kérdés korábbi válasza a módosítás után már nem érvényes, újra meg kell kérdezni.",
            "Note: the earlier answer to \(question) no longer fits after this change; it must be asked again.")
    }

    func staleAnswerHere(_ answer: String) -> String {
        t(
            "A tárolt válasz (\(answer)) egy korábbi válasz módosítása miatt már nem érvényes; adjon meg új választ.",
            "The stored answer (\(answer)) no longer fits after an earlier answer changed; give a new answer.")
    }

    public var reviewStale: String { t("Már nem érvényes válaszok", "Answers that no longer fit") }
}
