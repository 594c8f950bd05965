import InterviewEngine
import SurveyModel

/// What the closing gate decided.
enum ClosingGate {
    /// Nothing blocks: the interview may be marked complete.
    case clear
    /// Something must be fixed first; the cursor is on it and the session is in closing mode.
    case blocked
    /// The session stopped while asking (end of input, a signal, a storage failure).
    case stopped(SessionEnd)
}

extension InterviewSession {
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
    /// by one: confirmed (recorded with who/when/why), or the cursor goes to them to correct.
    func settleBeforeClosing() -> ClosingGate {
        let errors = interview.failingChecks.filter { $0.severity == .error }
        let missing = interview.unansweredRequired
        if !errors.isEmpty || !missing.isEmpty || !interview.staleAnswers.isEmpty {
            showClosingProblems(errors: errors, missing: missing)
            closing = true
            cursor = nextProblem()
            return .blocked
        }
        for warning in interview.openWarnings {
            let at = warning.question
            say(strings.warning + interview.render(warning.message, at: at) + location(of: warning), style: .warning)
            say(strings.confirmWarning, style: .plain)
            switch terminal.readLine() {
            case .endOfInput: return .stopped(.endOfInput)
            case .interrupted(let signal): return .stopped(.interrupted(signal))
            case .line(let reply):
                let (yes, reason) = UIStrings.confirmation(reply)
                guard yes else {
                    say(strings.correctAnswer, style: .plain)
                    closing = true
                    cursor = at ?? interview.route.last
                    return .blocked
                }
                if let end = commit(.warningConfirmed(warning.check, rows: warning.rows, reason: reason)) {
                    return .stopped(end)
                }
                say(strings.warningConfirmed, style: .plain)
            }
        }
        closing = false
        return .clear
    }

    /// In closing mode: the first failing hard check or unanswered required question, in route
    /// order (nil when none). Soft checks are not here: closing asks about them one by one.
    func nextProblem() -> Address? {
        let route = interview.route
        var blocking = Set(interview.unansweredRequired + interview.staleAnswers.map(\.address))
        for failure in interview.failingChecks where failure.severity == .error {
            blocking.insert(failure.question ?? route.last ?? Address(VariableName(failure.check.rawValue)))
        }
        return route.first { blocking.contains($0) }
    }

    /// The closing review: what blocks completion, in the UI language.
    private func showClosingProblems(errors: [CheckFailure], missing: [Address]) {
        let style = Style(enabled: terminal.colour)
        terminal.writeLine(style.bold("== \(strings.closingTitle) =="))
        say(strings.closingBlocked, style: .warning)
        terminal.writeLine(style.bold(strings.reviewErrors))
        if errors.isEmpty { terminal.writeLine("  " + strings.reviewNone) }
        for failure in errors {
            let at = failure.question.map(\.description) ?? failure.check.rawValue
            say("\(at): " + interview.render(failure.message, at: failure.question), style: .error, indent: "  ")
        }
        terminal.writeLine(style.bold(strings.reviewUnanswered))
        say(missing.isEmpty ? strings.reviewNone : missing.map(\.description).joined(separator: ", "), style: .plain, indent: "  ")
        listStaleAnswers()
        let warnings = interview.openWarnings
        if !warnings.isEmpty {
            terminal.writeLine(style.bold(strings.reviewWarnings))
            for failure in warnings {
                let at = failure.question.map(\.description) ?? failure.check.rawValue
                say("\(at): " + interview.render(failure.message, at: failure.question), style: .warning, indent: "  ")
            }
        }
    }

    private func location(of failure: CheckFailure) -> String {
        failure.question.map { " (\($0))" } ?? ""
    }
}
