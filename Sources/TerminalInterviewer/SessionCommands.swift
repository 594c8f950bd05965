import InterviewEngine
import SurveyModel

extension InterviewSession {
    /// Carries out a command typed at the question `at`.
    func perform(_ command: InterviewCommand, at: Address) -> SessionEnd? {
        drawn = nil  // whatever the command prints, show the question again afterwards
        switch command {
        case .help: showHelp()
        case .back:
            if let previous = interview.previous(before: at) { moveTo(previous) } else { say(strings.atFirstQuestion, style: .plain) }
        case .forward:
            if let first = firstUnansweredRequired() ?? interview.nextUnanswered(after: at) {
                moveTo(first)
            } else {
                say(strings.nothingUnanswered, style: .plain)
            }
        case .jump(let name): jump(to: name)
        case .review: showReview()
        case .language(let code): return switchLanguage(code)
        case .special(let special): return submit(.special(special), at: at)
        case .note(let text):
            if let end = commit(.note(at, text)) { return end }
            say(strings.noteSaved, style: .plain)
        case .clear:
            guard interview.answer(at: at) != nil else {
                say(strings.nothingToClear, style: .plain)
                return nil
            }
            if let end = commit(.cleared(at)) { return end }
            say(strings.answerCleared, style: .plain)
        case .outcome(let code): return endVisit(code)
        case .removeRow: return removeLastRow(at: at)
        case .quit:
            say(strings.savedAndQuit, style: .plain)
            return .savedAndQuit
        case .training(let on):
            guard interview.isTraining != on else {
                say(strings.trainingAlready(on), style: .plain)
                return nil
            }
            if let end = commit(.trainingMarked(on)) { return end }
            say(on ? strings.trainingInterview : strings.trainingRemoved, style: .plain)
        }
        return nil
    }

    private func moveTo(_ address: Address) { cursor = address }

    private func jump(to name: String) {
        guard let typed = Address(parsing: name), let entry = index[typed.variable] else {
            say(strings.noSuchQuestion(name), style: .error)
            return
        }
        var target = typed
        if typed.rows.isEmpty && !entry.rosters.isEmpty {
            // `.u m_age` without rows: the first row on the route.
            guard let first = interview.route.first(where: { $0.variable == typed.variable }) else {
                say(strings.notOnRoute(name), style: .error)
                return
            }
            target = first
        }
        guard interview.route.contains(target) else {
            say(strings.notOnRoute(name), style: .error)
            return
        }
        moveTo(target)
    }

    private func switchLanguage(_ code: String) -> SessionEnd? {
        let language = LanguageCode(code)
        guard interview.definition.languages.contains(language) else {
            say(strings.noSuchLanguage(code, available: interview.definition.languages), style: .error)
            return nil
        }
        guard language != interview.language else { return nil }
        if let end = commit(.languageChanged(language)) { return end }
        let ui = UILanguage(language)
        say(ui.map { UIStrings($0).languageSwitched } ?? code, style: .plain)
        return nil
    }

    /// `.z CODE`: ends the visit with an outcome code of the questionnaire's outcome question.
    private func endVisit(_ code: Int?) -> SessionEnd? {
        guard let spec = interview.definition.outcome, let question = index[spec.variable]?.question else {
            say(strings.noOutcomeVariable, style: .error)
            return nil
        }
        let codes = index.answerSet(of: question)?.options ?? []
        guard let code, codes.contains(where: { $0.code == code }) else {
            if let code { say(strings.invalidOutcome(code), style: .error) }
            say(strings.chooseOutcome, style: .plain)
            for option in codes {
                terminal.writeLine("  \(option.code)  \(interview.render(option.label))")
            }
            return nil
        }
        if closesAsComplete(outcome: code, reason: nil) {
            switch settleBeforeClosing() {
            case .clear: break
            case .blocked: return nil
            case .stopped(let end): return end
            }
        }
        if let end = commit(.ended(outcome: code)) { return end }
        let label = codes.first { $0.code == code }.map { interview.render($0.label) }
        say(strings.visitEnded(code, label: label), style: .success)
        return .ended(outcome: code)
    }

    private func showHelp() {
        let commands = strings.commands
        let keyWidth = commands.map { TextLayout.width($0.0) }.max() ?? 0
        terminal.writeLine(Style(enabled: terminal.colour).bold(strings.helpTitle))
        for (keys, meaning) in commands {
            let lead = "  " + TextLayout.pad(keys, to: keyWidth) + "  "
            let indent = String(repeating: " ", count: TextLayout.width(lead))
            for line in TextLayout.wrap(meaning, width: terminal.width, indent: indent, firstIndent: lead) {
                terminal.writeLine(line)
            }
        }
        say(strings.helpFooter, style: .plain)
    }

    /// The review screen: answers on the route, open warnings, failing errors, what is missing.
    /// Off-route answers are kept but not shown.
    private func showReview() {
        let style = Style(enabled: terminal.colour)
        terminal.writeLine(style.bold("== \(strings.reviewTitle) =="))
        terminal.writeLine(style.bold(strings.reviewAnswers))
        let route = interview.route
        let nameWidth = min(24, route.map { $0.description.count }.max() ?? 0)
        var missing: [Address] = []
        for address in route {
            guard let question = index[address.variable]?.question, question.kind != .note else { continue }
            guard let answer = interview.answer(at: address) else {
                if question.required { missing.append(address) }
                continue
            }
            let lead = "  " + TextLayout.pad(address.description, to: nameWidth) + "  "
            let indent = String(repeating: " ", count: TextLayout.width(lead))
            for line in TextLayout.wrap(describe(answer, at: address), width: terminal.width, indent: indent, firstIndent: lead) {
                terminal.writeLine(line)
            }
        }
        let failing = interview.failingChecks
        reviewList(strings.reviewWarnings, interview.openWarnings, tone: .warning)
        reviewList(strings.reviewErrors, failing.filter { $0.severity == .error }, tone: .error)
        terminal.writeLine(style.bold(strings.reviewUnanswered))
        say(missing.isEmpty ? strings.reviewNone : missing.map(\.description).joined(separator: ", "), style: .plain, indent: "  ")
        listStaleAnswers()
    }

    private func reviewList(_ title: String, _ failures: [CheckFailure], tone: Tone) {
        terminal.writeLine(Style(enabled: terminal.colour).bold(title))
        guard !failures.isEmpty else {
            terminal.writeLine("  " + strings.reviewNone)
            return
        }
        for failure in failures {
            let at = failure.question ?? Address(VariableName(failure.check.rawValue), rows: failure.rows)
            say("\(at): " + interview.render(failure.message, at: failure.question), style: tone, indent: "  ")
        }
    }
}
