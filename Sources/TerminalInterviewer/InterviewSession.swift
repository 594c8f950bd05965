import Fieldwork
import InterviewEngine
import SurveyModel

/// How a session ended; the caller turns it into a message and an exit code.
public enum SessionEnd: Hashable, Sendable {
    /// The interview reached its end (route complete, an end rule, or an outcome the
    /// interviewer recorded); the payload is the visit outcome.
    case ended(outcome: Int?)
    /// The interviewer saved and quit; the interview is resumable.
    case savedAndQuit
    /// Standard input closed before the interview ended; resumable.
    case endOfInput
    /// A signal (Ctrl-C, SIGTERM, SIGHUP) stopped the session; resumable.
    case interrupted(Int32)
    /// An event could not be saved; nothing after the last saved event was kept.
    case storageFailed(String)
}

/// Settings of a session that do not come from the interview itself.
public struct SessionOptions: Sendable {
    /// The UI language given with `--ui-lang`; nil follows the questionnaire's first language.
    public var uiLanguage: UILanguage?
    /// Who is interviewing (recorded by the engine with soft-check confirmations).
    public var interviewer: String
    /// The command that resumes this interview, shown when the session stops early.
    public var resumeCommand: String
    /// Where the last session stopped (the last question shown), to resume on it.
    public var resumeAt: Address?

    public init(uiLanguage: UILanguage? = nil, interviewer: String, resumeCommand: String, resumeAt: Address? = nil) {
        self.uiLanguage = uiLanguage
        self.interviewer = interviewer
        self.resumeCommand = resumeCommand
        self.resumeAt = resumeAt
    }
}

/// Drives one interview over a terminal: shows a question, reads an answer or a command,
/// validates, commits, moves on.
///
/// Every event is validated by the engine, then handed to the ``InterviewRecorder`` (which
/// returns only once it is durable), and only then applied to the in-memory state — so the
/// screen never shows anything that is not saved, and nothing invalid is ever saved.
public final class InterviewSession {
    public private(set) var interview: Interview
    let terminal: any Terminal
    let recorder: any InterviewRecorder
    let clock: InterviewClock
    let options: SessionOptions
    let index: SurveyIndex
    /// The UI texts (the `--ui-lang` choice or the questionnaire's first language).
    public private(set) var strings: UIStrings
    /// The question on screen.
    public internal(set) var cursor: Address?
    /// The time spent so far, for `elapsed_minutes()` (sessions summed; docs/engine.md).
    private var spent: ActiveTime
    /// The last address recorded as shown, so a redraw is not logged twice.
    private var lastShown: Address?
    /// The question whose screen is the last thing drawn; nil after other output (help, review).
    var drawn: Address?
    /// Set when closing the interview was blocked: after each fix the cursor goes to the next
    /// problem (or to closing again), not through the rest of the route.
    var closing = false

    /// Creates a session on an interview already started (and, when resuming, replayed).
    public init(
        interview: Interview, spent: ActiveTime, terminal: any Terminal,
        recorder: any InterviewRecorder, clock: InterviewClock, options: SessionOptions
    ) {
        self.interview = interview
        self.spent = spent
        self.terminal = terminal
        self.recorder = recorder
        self.clock = clock
        self.options = options
        self.index = SurveyIndex(interview.definition)
        let first = interview.definition.languages.first.flatMap(UILanguage.init) ?? .en
        self.strings = UIStrings(options.uiLanguage ?? first)
    }

    /// Runs the interview until it ends or the fieldworker stops; never throws.
    public func run() -> SessionEnd {
        cursor = startingPoint()
        while true {
            guard let at = cursor else {
                if let end = finishIfDone() { return end }
                continue
            }
            if let end = show(at) { return end }
            switch terminal.readLine() {
            case .endOfInput: return .endOfInput
            case .interrupted(let signal): return .interrupted(signal)
            case .line(let line):
                if let end = handle(line, at: at) { return end }
            }
        }
    }

    /// Where to begin: the question the last session stopped on, or the first unanswered one.
    private func startingPoint() -> Address? {
        if let at = options.resumeAt, interview.isOnRoute(at) { return at }
        return interview.current ?? interview.route.last
    }

    // MARK: - One question

    /// Draws the question (unless it is still on screen, e.g. after an invalid answer), asks for
    /// input, and logs that it was shown (paradata, and the resume point).
    private func show(_ at: Address) -> SessionEnd? {
        if drawn != at {
            terminal.write(screen(for: at).render(width: terminal.width, colour: terminal.colour, strings: strings))
            drawn = at
            sayIfStale(at)
        }
        terminal.write(strings.prompt + "> ")
        guard lastShown != at else { return nil }
        lastShown = at
        return commit(.shown(at))
    }

    private func handle(_ line: String, at: Address) -> SessionEnd? {
        switch InterviewCommand.parse(line) {
        case .answer(let text): return answer(text, at: at)
        case .command(let command): return perform(command, at: at)
        case .unknownCommand(let typed):
            say(strings.unknownCommand(typed), style: .error)
        case .missingArgument(let name):
            say(strings.missingArgument(name), style: .error)
        }
        return nil
    }

    /// An answer typed at a question (or Enter alone).
    private func answer(_ text: String, at: Address) -> SessionEnd? {
        guard let question = index[at.variable]?.question else { return nil }
        if text.isEmpty {
            if case .note = question.kind { return advance(from: at) }
            if sayIfStale(at) { return nil }
            if interview.answer(at: at) != nil { return advance(from: at) }
            if let proposed = interview.defaultValue(at: at) { return submit(.value(proposed), at: at) }
            if !question.required { return advance(from: at) }
            say(strings.problem(.required), style: .error)
            return nil
        }
        if case .note = question.kind { return advance(from: at) }
        let offered = interview.options(at: at).map(\.code)
        switch AnswerParser.parse(text, kind: question.kind, offered: offered) {
        case .success(let value): return submit(.value(value), at: at)
        case .failure(let problem):
            say(strings.problem(problem), style: .error)
            return nil
        }
    }

    /// Validates an answer, settles soft checks with the interviewer, commits, moves on.
    func submit(_ answer: Answer, at: Address) -> SessionEnd? {
        let validation = interview.validate(answer, at: at)
        guard validation.errors.isEmpty else {
            for issue in validation.errors { say(message(for: issue, submitted: answer, at: at), style: .error) }
            return nil
        }
        var confirmations: [(CheckFailure, String?)] = []
        for warning in validation.warnings {
            say(strings.warning + interview.render(warning.message, at: at), style: .warning)
            say(strings.confirmWarning, style: .plain)
            switch terminal.readLine() {
            case .endOfInput: return .endOfInput
            case .interrupted(let signal): return .interrupted(signal)
            case .line(let reply):
                let (yes, reason) = UIStrings.confirmation(reply)
                guard yes else {
                    say(strings.correctAnswer, style: .plain)
                    return nil
                }
                confirmations.append((warning, reason))
            }
        }
        if let end = commit(.answered(at, answer)) { return end }
        for (warning, reason) in confirmations {
            if let end = commit(.warningConfirmed(warning.check, rows: warning.rows, reason: reason)) { return end }
        }
        if !confirmations.isEmpty { say(strings.warningConfirmed, style: .plain) }
        return advance(from: at)
    }

    /// Moves to the next question on the route, or finishes when there is none.
    func advance(from at: Address) -> SessionEnd? {
        if closing {
            cursor = nextProblem()
            return nil
        }
        let next = interview.next(after: at)
        if let instance = openRosterDue(from: at, to: next) {
            let (moved, end) = offerRow(instance)
            if end != nil || moved { return end }
        }
        cursor = next
        return nil
    }

    /// At the end of the route: close the interview, or send the interviewer back to what is
    /// missing. Before it is marked complete everything is re-checked (``settleBeforeClosing()``).
    private func finishIfDone() -> SessionEnd? {
        let reason = interview.endReason
        if interview.recordedOutcome == nil {
            var outcome: Int?
            if case .ended(let o) = interview.status { outcome = o }
            if reason == nil || closesAsComplete(outcome: outcome, reason: reason) {
                switch settleBeforeClosing() {
                case .clear: break
                case .blocked: return nil
                case .stopped(let end): return end
                }
            }
        }
        if case .ended(let outcome) = interview.status {
            if interview.recordedOutcome == nil, let outcome {
                if let end = commit(.ended(outcome: outcome)) { return end }
            }
            if case .endRule(_, let message?)? = reason { say(interview.render(message), style: .plain) }
            say(strings.completed(outcome: outcome), style: .success)
            return .ended(outcome: outcome)
        }
        return .ended(outcome: nil)
    }

    /// The first on-route required question without an answer (notes and the outcome excluded).
    func firstUnansweredRequired() -> Address? {
        let outcome = interview.definition.outcome?.variable
        return interview.route.first { address in
            guard let q = index[address.variable]?.question, q.required, q.kind != .note, address.variable != outcome
            else { return false }
            return interview.answer(at: address) == nil
        }
    }

    // MARK: - Committing

    /// Makes one event durable, then applies it; nil when both succeeded.
    ///
    /// The engine applies the event to a copy first, so an event it refuses is never saved;
    /// the copy replaces the state only after the recorder confirmed the write.
    func commit(_ kind: InterviewEventKind) -> SessionEnd? {
        let moment = clock.now()
        var next = interview
        var nextSpent = spent
        let effects: [Effect]
        do {
            effects = try next.apply(kind, context: nextSpent.context(for: kind, at: moment, interviewer: options.interviewer))
        } catch {
            say(strings.engineRefused(error), style: .error)
            return nil
        }
        do {
            try recorder.record(kind, timestamp: moment.timestamp)
        } catch {
            say(strings.storageFailed(error), style: .error)
            return .storageFailed(error.message)
        }
        interview = next
        spent = nextSpent
        reportNewlyStale(effects)
        return nil
    }

    // MARK: - Output

    enum Tone { case plain, error, warning, success }

    /// Writes a message wrapped to the terminal, coloured by tone when colour is on.
    func say(_ text: String, style tone: Tone, indent: String = "") {
        let style = Style(enabled: terminal.colour)
        for line in TextLayout.wrap(text, width: terminal.width, indent: indent, firstIndent: indent) {
            switch tone {
            case .plain: terminal.writeLine(line)
            case .error: terminal.writeLine(style.red(line))
            case .warning: terminal.writeLine(style.yellow(line))
            case .success: terminal.writeLine(style.green(line))
            }
        }
    }
}
