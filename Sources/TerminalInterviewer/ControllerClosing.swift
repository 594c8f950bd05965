import InterviewEngine
import SurveyModel

/// What the closing gate decided.
enum ClosingGate {
    /// Nothing blocks: the interview may be marked complete.
    case clear
    /// Something must be fixed first; the cursor is on it and the session is in closing mode.
    case blocked
    /// An unconfirmed soft check is being asked about; the reply continues the closing.
    case asking
}

extension InterviewController {
    /// At the end of the route: close the interview, or send the interviewer back to what is
    /// missing. Before it is marked complete everything is re-checked (``settleBeforeClosing(then:)``).
    func finishIfDone() {
        let reason = interview.endReason
        if interview.recordedOutcome == nil {
            var outcome: Int?
            if case .ended(let o) = interview.status { outcome = o }
            if reason == nil || closesAsComplete(outcome: outcome, reason: reason) {
                switch settleBeforeClosing(then: .route) {
                case .clear: break
                case .blocked, .asking: return
                }
            }
        }
        guard case .ended(let outcome) = interview.status else { return stop(.ended(outcome: nil)) }
        if interview.recordedOutcome == nil, let outcome {
            guard commit(.ended(outcome: outcome)) else { return }
        }
        if case .endRule(_, let message?)? = reason { say(interview.render(message), style: .plain) }
        say(strings.completed(outcome: outcome), style: .success)
        stop(.ended(outcome: outcome))
    }

    /// Whether ending with this outcome marks the interview complete (so everything must be settled):
    /// the route was finished, or the outcome is the questionnaire's "complete" code.
    func closesAsComplete(outcome: Int?, reason: EndReason?) -> Bool {
        if case .completed? = reason { return true }
        guard let outcome, let complete = interview.definition.outcome?.completeCode else { return false }
        return outcome == complete
    }

    /// Re-checks the whole interview before it is marked complete.
    ///
    /// Failing hard checks and unanswered required questions on the route are listed and block
    /// completion: the cursor goes to the first of them and the session enters closing mode (after
    /// each fix it goes straight to the next problem). Unconfirmed soft checks are asked about one
    /// at a time: confirmed (recorded with who/when/why), or the cursor goes to them to correct.
    func settleBeforeClosing(then: Closing) -> ClosingGate {
        let errors = interview.failingChecks.filter { $0.severity == .error }
        let missing = interview.unansweredRequired
        if !errors.isEmpty || !missing.isEmpty || !interview.staleAnswers.isEmpty {
            disturb()
            show(.closingProblems(closingReport(errors: errors, missing: missing)))
            closing = true
            cursor = nextProblem()
            return .blocked
        }
        if let warning = interview.openWarnings.first {
            let location = warning.question.map { " (\($0))" } ?? ""
            let prompt = SessionPrompt(
                text: strings.warning + interview.render(warning.message, at: warning.question) + location + "\n"
                    + strings.confirmWarning,
                tone: .warning, reply: .yesWithReason, marker: false)
            pending = Pending(kind: .closingWarning(warning, then: then), prompt: prompt)
            say(prompt.text, style: prompt.tone)
            return .asking
        }
        closing = false
        return .clear
    }

    /// The reply to an unconfirmed soft check asked while closing.
    func resolveClosingWarning(_ warning: CheckFailure, then: Closing, reply: String) {
        switch UIStrings.confirmation(reply) {
        case .yes(let reason):
            pending = nil
            guard commit(.warningConfirmed(warning.check, rows: warning.rows, reason: reason)) else { return }
            say(strings.warningConfirmed, style: .plain)
            switch then {
            case .route: finishIfDone()
            case .visit(let visit): endVisit(visit)
            }
        case .no:
            declined(strings.correctAnswer)
            closing = true
            cursor = warning.question ?? route.last
        case .unclear:
            askAgain()
        }
    }

    /// In closing mode: the first failing hard check or unanswered required question, in route
    /// order (nil when none). Soft checks are not here: closing asks about them one by one.
    func nextProblem() -> Address? {
        let route = self.route
        var blocking = Set(interview.unansweredRequired + interview.staleAnswers.map(\.address))
        for failure in interview.failingChecks where failure.severity == .error {
            blocking.insert(failure.question ?? route.last ?? Address(VariableName(failure.check.rawValue)))
        }
        return route.first { blocking.contains($0) }
    }

    /// What blocks completion, rendered in the interview language.
    private func closingReport(errors: [CheckFailure], missing: [Address]) -> ClosingReport {
        func line(_ failure: CheckFailure) -> CheckLine {
            CheckLine(
                place: failure.question.map(\.description) ?? failure.check.rawValue,
                message: interview.render(failure.message, at: failure.question))
        }
        return ClosingReport(
            errors: errors.map(line), missing: missing, stale: staleLines(), warnings: interview.openWarnings.map(line))
    }
}
