import Fieldwork
import InterviewEngine
import SurveyModel

extension InterviewController {
    /// An answer typed at a question (or Enter alone).
    func answer(_ text: String, at: Address) {
        guard let question = index[at.variable]?.question else { return }
        if text.isEmpty {
            if case .note = question.kind { return advance(from: at) }
            // An answer an earlier change made invalid is not kept by Enter.
            if let stale = staleNotice(at: at) { return say(stale, style: .error) }
            if interview.answer(at: at) != nil { return keep(at) }
            if let proposed = interview.defaultValue(at: at) { return submit(.value(proposed), at: at) }
            if !question.required { return advance(from: at) }
            say(strings.problem(.required), style: .error)
            return
        }
        // Typed at a note (meant for the next question, typing ahead): not dropped silently.
        if case .note = question.kind { return say(strings.noteTakesNoAnswer, style: .error) }
        let offered = interview.options(at: at).map(\.code)
        switch AnswerParser.parse(text, kind: question.kind, offered: offered) {
        case .success(let value): submit(.value(value), at: at)
        case .failure(let problem): say(strings.problem(problem), style: .error)
        }
    }

    /// The interview as it will be once `answer` is saved at `at` (itself when the engine refuses
    /// it), so that check messages show the values being typed, not the old ones.
    func previewing(_ answer: Answer, at: Address) -> Interview {
        var trial = interview
        guard (try? trial.apply(.answered(at, answer), context: interview.context)) != nil else { return interview }
        return trial
    }

    /// Validates an answer; hard problems are shown and nothing is saved, soft checks and rows to
    /// remove are asked about first, then the answer is saved and the session moves on.
    func submit(_ answer: Answer, at: Address) {
        let validation = interview.validate(answer, at: at)
        let preview = previewing(answer, at: at)
        guard validation.errors.isEmpty else {
            for issue in validation.errors {
                say(message(for: issue, submitted: answer, at: at, in: preview), style: .error)
            }
            return
        }
        var steps = validation.warnings.map(Proposal.Step.warning)
        if let removal = rowsDropped(by: answer, at: at, preview: preview) { steps.append(.rows(removal)) }
        if let end = endRuleReached(in: preview) { steps.append(.endRule(end.code, label: end.label)) }
        continueProposal(Proposal(action: .answer(answer, at: at), steps: steps, preview: preview))
    }

    /// Asks the next question of a proposal, or carries it out when none is left.
    func continueProposal(_ proposal: Proposal) {
        guard let step = proposal.steps.first else {
            pending = nil
            return carryOut(proposal)
        }
        let prompt: SessionPrompt
        switch step {
        case .warning(let warning):
            prompt = SessionPrompt(
                text: strings.warning + proposal.preview.render(warning.message, at: warning.question) + "\n"
                    + strings.confirmWarning,
                tone: .warning, reply: .yesWithReason, marker: false)
        case .rows(let removal):
            prompt = SessionPrompt(text: strings.chooseRowsToRemove(removal), tone: .warning, reply: .rows, marker: true)
        case .endVisit:
            guard case .endVisit(let visit) = proposal.action else { return }
            prompt = SessionPrompt(
                text: strings.confirmVisitEnd(visit.code, label: visit.label), tone: .warning, reply: .yesNo, marker: true)
        case .endRule(let code, let label):
            let text =
                if case .keep = proposal.action {
                    strings.confirmEndRuleKept(code, label: label)
                } else {
                    strings.confirmEndRule(code, label: label)
                }
            prompt = SessionPrompt(text: text, tone: .warning, reply: .yesNo, marker: true)
        }
        pending = Pending(kind: .proposal(proposal), prompt: prompt)
        say(prompt.text, style: prompt.tone)
    }

    /// Takes the interviewer's reply to the proposal's first question.
    func resolve(_ proposal: Proposal, reply: String) {
        var next = proposal
        let step = next.steps.removeFirst()
        switch step {
        case .warning(let warning):
            switch UIStrings.confirmation(reply) {
            case .yes(let reason): next.confirmations.append((warning, reason))
            case .no: return declined(strings.correctAnswer)
            case .unclear: return askAgain()
            }
        case .rows(var removal):
            guard let rows = RowChoice.parse(reply, removal: removal) else { return askAgain() }
            guard case .chosen(let chosen) = rows else { return declined(strings.rowCountKept) }
            removal.rows = chosen
            next.removal = removal
        case .endVisit:
            switch UIStrings.confirmation(reply) {
            case .yes: break
            case .no: return declined(strings.visitNotEnded)
            case .unclear: return askAgain()
            }
        case .endRule:
            switch UIStrings.confirmation(reply) {
            case .yes: break
            case .no:
                if case .keep = proposal.action { return declined(strings.endRuleNotRecorded) }
                return declined(strings.endRuleDeclined)
            case .unclear: return askAgain()
            }
        }
        continueProposal(next)
    }

    /// Drops the pending question after a "no".
    func declined(_ message: String) {
        pending = nil
        say(message, style: .plain)
    }

    /// Asks the pending question again after a reply that was neither of its keys.
    func askAgain() {
        guard let pending else { return }
        say(strings.replyNotUnderstood(pending.prompt.reply), style: .error)
        say(pending.prompt.text, style: pending.prompt.tone)
    }

    /// Saves what a proposal settled: the answer with its confirmations and row removal, or the
    /// end of the visit.
    private func carryOut(_ proposal: Proposal) {
        switch proposal.action {
        case .answer(let answer, let at):
            let before = rowCounts(changedBy: at)
            if let removal = proposal.removal, !moveRowsUp(removal) { return }
            guard commit(.answered(at, answer)) else { return }
            for (warning, reason) in proposal.confirmations {
                guard commit(.warningConfirmed(warning.check, rows: warning.rows, reason: reason)) else { return }
            }
            if !proposal.confirmations.isEmpty { say(strings.warningConfirmed, style: .plain) }
            if let removal = proposal.removal { say(strings.rowsRemoved(removal), style: .plain) }
            announceReturningRows(before)
            advance(from: at)
        case .endVisit(var visit):
            visit.confirmations = proposal.confirmations
            endVisit(visit)
        case .keep(let at):
            advance(from: at)
        }
    }
}
