import InterviewEngine
import SurveyModel

extension InterviewController {
    /// Takes the reply to the pending question.
    func resolve(_ pending: Pending, reply: String) {
        switch pending.kind {
        case .proposal(let proposal): resolve(proposal, reply: reply)
        case .closingWarning(let warning, let then): resolveClosingWarning(warning, then: then, reply: reply)
        case .addRow(let instance, let next): resolveAddRow(instance, next: next, reply: reply)
        case .removeRows(let removal):
            switch UIStrings.confirmation(reply) {
            case .yes:
                self.pending = nil
                removeRows(removal)
            case .no: declined(strings.rowKept)
            case .unclear: askAgain()
            }
        case .leave:
            switch UIStrings.confirmation(reply) {
            case .yes:
                self.pending = nil
                stop(.interrupted(2))
            case .no: declined(strings.leaveCancelled)
            case .unclear: askAgain()
            }
        }
    }

    /// Asks whether to leave the session (Ctrl-C); a second Ctrl-C leaves. With `oneKey` (the full
    /// screen) the reply is a single key, `i`/`y` to leave (``leaveKey(_:)``); else a line, and
    /// the question says that Enter is needed.
    public func askToLeave(oneKey: Bool) {
        guard end == nil else { return }
        if case .leave? = pending?.kind { return stop(.interrupted(2)) }
        pending = nil
        let prompt = SessionPrompt(
            text: oneKey ? strings.leaveQuestion : strings.leaveQuestionLine, tone: .warning, reply: oneKey ? .leaveKey : .yesNo,
            marker: true)
        pending = Pending(kind: .leave, prompt: prompt)
        say(prompt.text, style: prompt.tone)
    }

    /// The full screen's one-key reply to the Ctrl-C question: `i` or `y` leaves; any other key
    /// (`n`, Esc, Enter, a stray letter) stays, the safe choice: nothing typed is lost and the
    /// interview goes on where it was.
    public func leaveKey(_ key: String) {
        guard case .leave? = pending?.kind else { return }
        if ["i", "y"].contains(key.lowercased()) {
            pending = nil
            stop(.interrupted(2))
        } else {
            declined(strings.leaveCancelled)
        }
    }

    /// Drops the pending question without an answer (the full screen's Esc); what it was about
    /// is not saved.
    public func cancelPrompt() {
        guard let pending else { return }
        switch pending.kind {
        case .addRow(_, let next):
            self.pending = nil
            cursor = next
        case .closingWarning(let warning, _):
            self.pending = nil
            closing = true
            cursor = warning.question ?? route.last
        default:
            self.pending = nil
        }
    }

    /// Carries out a command typed at the question `at`.
    func perform(_ command: DotCommand, at: Address) {
        disturb()  // whatever the command prints, show the question again afterwards
        switch command {
        case .help: show(.help)
        case .back:
            if let previous = interview.previous(before: at) { cursor = previous } else { say(strings.atFirstQuestion, style: .plain) }
        case .forward:
            if let first = firstUnansweredRequired() ?? interview.nextUnanswered(after: at) {
                cursor = first
            } else {
                say(strings.nothingUnanswered, style: .plain)
            }
        case .jump(let name): jump(to: name)
        case .review: show(.review)
        case .language(let code): switchLanguage(code)
        case .special(let special): submit(.special(special), at: at)
        case .note(let text):
            if commit(.note(at, text)) { say(strings.noteSaved, style: .plain) }
        case .clear:
            guard interview.answer(at: at) != nil else { return say(strings.nothingToClear, style: .plain) }
            if commit(.cleared(at)) { say(strings.answerCleared, style: .plain) }
        case .outcome(let code, let note): proposeVisitEnd(code, note: note)
        case .removeRow: askToRemoveLastRow(at: at)
        case .quit:
            say(strings.savedAndQuit, style: .plain)
            stop(.savedAndQuit)
        case .training(let on):
            guard interview.isTraining != on else { return say(strings.trainingAlready(on), style: .plain) }
            if commit(.trainingMarked(on)) { say(on ? strings.trainingInterview : strings.trainingRemoved, style: .plain) }
        }
    }

    private func jump(to name: String) {
        guard let typed = Address(parsing: name), let entry = index[typed.variable] else {
            return say(strings.noSuchQuestion(name), style: .error)
        }
        var target = typed
        if typed.rows.isEmpty && !entry.rosters.isEmpty {
            // `.u m_age` without rows: the first row on the route.
            guard let first = route.first(where: { $0.variable == typed.variable }) else {
                return say(strings.notOnRoute(name), style: .error)
            }
            target = first
        }
        guard route.contains(target) else { return say(strings.notOnRoute(name), style: .error) }
        cursor = target
    }

    /// `.hu`, `.en`: the questionnaire's language changes; the interviewer's own texts keep theirs.
    private func switchLanguage(_ code: String) {
        let language = LanguageCode(code)
        guard interview.definition.languages.contains(language) else {
            return say(strings.noSuchLanguage(code, available: interview.definition.languages), style: .error)
        }
        guard language != interview.language else { return say(strings.languageUnchanged(language), style: .plain) }
        if commit(.languageChanged(language)) { say(strings.languageSwitched(language), style: .plain) }
    }

    // MARK: - Ending the visit with a code

    /// `.z CODE`: checks the code exactly as answering the outcome question would, asks to
    /// confirm (naming the code), then ends the visit (with the note on it, when one was typed).
    private func proposeVisitEnd(_ code: Int?, note: String?) {
        guard let spec = interview.definition.outcome, let question = index[spec.variable]?.question else {
            return say(strings.noOutcomeVariable, style: .error)
        }
        let outcome = Address(spec.variable)
        let codes = index.answerSet(of: question)?.options ?? []
        guard let code, let option = codes.first(where: { $0.code == code }) else {
            if let code { say(strings.invalidOutcome(code), style: .error) }
            say(strings.chooseOutcome, style: .plain)
            show(.outcomeCodes(codes.map { QuestionScreen.OptionLine(code: $0.code, label: interview.render($0.label)) }))
            return
        }
        let visit = VisitEnd(
            code: code, label: interview.render(option.label), answersOutcome: interview.isOnRoute(outcome), note: note)
        var steps: [Proposal.Step] = [.endVisit]
        var preview = interview
        if visit.answersOutcome {
            let answer = Answer.value(.choice(code))
            let validation = interview.validate(answer, at: outcome)
            preview = previewing(answer, at: outcome)
            guard validation.errors.isEmpty else {
                for issue in validation.errors {
                    say(message(for: issue, submitted: answer, at: outcome, in: preview), style: .error)
                }
                return
            }
            steps = validation.warnings.map(Proposal.Step.warning) + steps
        }
        continueProposal(Proposal(action: .endVisit(visit), steps: steps, preview: preview))
    }

    /// Ends the visit once it is confirmed; with the "complete" code, only when nothing blocks it.
    func endVisit(_ visit: VisitEnd) {
        if closesAsComplete(outcome: visit.code, reason: nil) {
            switch settleBeforeClosing(then: .visit(visit)) {
            case .clear: break
            case .blocked, .asking: return
            }
        }
        if visit.answersOutcome, let spec = interview.definition.outcome {
            guard commit(.answered(Address(spec.variable), .value(.choice(visit.code)))) else { return }
            for (warning, reason) in visit.confirmations {
                guard commit(.warningConfirmed(warning.check, rows: warning.rows, reason: reason)) else { return }
            }
        }
        // The visit's note is a note on the whole interview, made before the visit ends.
        if let note = visit.note { guard commit(.note(nil, note)) else { return } }
        guard commit(.ended(outcome: visit.code)) else { return }
        say(strings.visitEnded(visit.code, label: visit.label), style: .success)
        stop(.ended(outcome: visit.code))
    }
}
