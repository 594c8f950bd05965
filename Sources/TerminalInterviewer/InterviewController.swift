import Fieldwork
import InterviewEngine
import SurveyModel

/// The logic of one interview session, shared by the line-by-line view (``InterviewSession``)
/// and the full screen (``FullScreenSession``): which question is current, what a typed line
/// does, and the engine and recorder calls.
///
/// A view feeds it typed lines (``enter(_:)``) and navigation (``go(to:)``), then shows what
/// it says (``takeOutputs()``), the pending question (``prompt``) and the current question
/// (``cursor``). It never reads input itself, so a question the session asks in the middle of
/// an action (confirm a warning, add a row…) is a pending state the next line answers.
///
/// Every event is validated by the engine, then handed to the ``InterviewRecorder`` (which
/// returns only once it is durable), and only then applied to the in-memory state — so no view
/// ever shows anything that is not saved, and nothing invalid is ever saved.
public final class InterviewController {
    public private(set) var interview: Interview
    let recorder: any InterviewRecorder
    let clock: InterviewClock
    let options: SessionOptions
    public let index: SurveyIndex
    /// The UI texts (the `--ui-lang` choice or the questionnaire's first language).
    public let strings: UIStrings
    /// The question on screen.
    public internal(set) var cursor: Address?
    /// The time spent so far, for `elapsed_minutes()` (sessions summed; docs/engine.md).
    private var spent: ActiveTime
    /// The last address recorded as shown, so a redraw is not logged twice.
    private var lastShown: Address?
    /// Set when closing the interview was blocked: after each fix the cursor goes to the next
    /// problem (or to closing again), not through the rest of the route.
    var closing = false
    /// The question the session waits an answer to, with what to do with the reply.
    var pending: Pending?
    /// How the session ended; nil while it goes on.
    public private(set) var end: SessionEnd?
    private var outputs: [SessionOutput] = []
    /// Set when a command printed something over the question, so a line view draws it again.
    private var disturbed = false
    /// The route, computed once per change of the interview (views ask for it many times).
    private var cachedRoute: [Address]?
    /// Counts the changes of the interview (not the paradata), so views can cache what they
    /// derive from it.
    public private(set) var revision = 0
    /// The addresses answered or cleared by the latest revisions (the revision each made), and
    /// the revision up to which older ones were forgotten: see ``answersChanged(since:)``.
    private var answerLog: [(revision: Int, address: Address)] = []
    private var answerLogFloor = 0

    /// Creates a controller on an interview already started (and, when resuming, replayed).
    public init(
        interview: Interview, spent: ActiveTime, recorder: any InterviewRecorder, clock: InterviewClock,
        options: SessionOptions
    ) {
        self.interview = interview
        self.spent = spent
        self.recorder = recorder
        self.clock = clock
        self.options = options
        self.index = SurveyIndex(interview.definition)
        let first = interview.definition.languages.first.flatMap(UILanguage.init) ?? .en
        self.strings = UIStrings(options.uiLanguage ?? first)
    }

    /// The questions and notes on the route now (cached until the next event).
    public var route: [Address] {
        if let cachedRoute { return cachedRoute }
        let route = interview.route
        cachedRoute = route
        return route
    }

    /// The supervisor's comments at an answer of a rejected interview (the full screen shows
    /// them with the question; the line view says them when the question is shown).
    public func reviewComments(at address: Address) -> [ReviewMark] {
        options.review?.comments(at: address) ?? []
    }

    /// The addresses whose answer was given, changed or cleared after `revision`, in order (an
    /// address may repeat): what a view that derived something from the answers at `revision`
    /// must look at again. Nil when `revision` is too old to say (derive it all again).
    public func answersChanged(since revision: Int) -> [Address]? {
        guard revision >= answerLogFloor, revision <= self.revision else { return nil }
        return answerLog.filter { $0.revision > revision }.map(\.address)
    }

    /// The question the session waits an answer to, as shown; nil when it waits for an answer
    /// to the current question.
    public var prompt: SessionPrompt? { pending?.prompt }

    // MARK: - Input

    /// Goes to the first question: where the last session stopped, or the first unanswered one.
    public func start() {
        if let notes = options.review { say(strings.rejected(notes.rejection), style: .warning) }
        if let at = options.resumeAt, interview.isOnRoute(at) {
            cursor = at
        } else {
            cursor = interview.current ?? route.last
        }
        settle()
    }

    /// Handles one typed line: the reply to the pending question, or an answer or a command at
    /// the current question.
    public func enter(_ line: String) {
        guard end == nil else { return }
        if let problem = TypedText.problem(in: line) {
            say(strings.unreadableInput(problem), style: .error)
            if let pending { say(pending.prompt.text, style: pending.prompt.tone) }
            return
        }
        if let pending {
            resolve(pending, reply: line)
        } else if let at = cursor {
            handle(line, at: at)
        }
        settle()
    }

    /// Moves to an on-route question (the full screen's arrows, pages and menus).
    public func go(to address: Address) {
        guard end == nil, pending == nil, route.contains(address) else { return }
        cursor = address
        settle()
    }

    /// Stops the session (end of input, a signal); everything confirmed is already saved.
    public func stop(_ why: SessionEnd) {
        if end == nil { end = why }
    }

    /// What the session said since the last call, in order, and whether a line view should draw
    /// the current question again (a command printed over it).
    public func takeOutputs() -> (outputs: [SessionOutput], redraw: Bool) {
        defer {
            outputs.removeAll()
            disturbed = false
        }
        return (outputs, disturbed)
    }

    /// Marks the question on screen as covered by other output (help, review…).
    func disturb() { disturbed = true }

    private func handle(_ line: String, at: Address) {
        switch DotCommand.parse(line) {
        case .answer(let text): answer(text, at: at)
        case .command(let command): perform(command, at: at)
        case .unknownCommand(let typed): say(strings.unknownCommand(typed), style: .error)
        case .missingArgument(let name): say(strings.missingArgument(name), style: .error)
        }
    }

    /// After an input: closes the interview when the route is done, and logs the question now
    /// shown (paradata, and where a resumed session starts).
    func settle() {
        var rounds = 0
        while end == nil, pending == nil {
            guard let at = cursor else {
                rounds += 1
                finishIfDone()
                // Blocked with nowhere to go (cannot happen with a consistent definition): stop.
                if rounds > 2, end == nil, pending == nil, cursor == nil { end = .ended(outcome: nil) }
                continue
            }
            if lastShown != at {
                lastShown = at
                commit(.shown(at))
                for comment in reviewComments(at: at) { say(strings.reviewComment(comment), style: .warning) }
            }
            return
        }
    }

    // MARK: - Moving on

    /// Moves to the next question on the route, or finishes when there is none.
    func advance(from at: Address) {
        if closing {
            cursor = nextProblem()
            return
        }
        let next = next(after: at)
        if let instance = openRosterDue(from: at, to: next), offerRow(instance, then: next) { return }
        cursor = next
    }

    /// The route item after `at`: the engine's `next(after:)`, over the route already computed.
    func next(after at: Address) -> Address? {
        let route = self.route
        guard let i = route.firstIndex(of: at) else { return interview.next(after: at) }
        return i + 1 < route.count ? route[i + 1] : nil
    }

    /// The first on-route required question without an answer (notes and the outcome excluded).
    func firstUnansweredRequired() -> Address? {
        let outcome = interview.definition.outcome?.variable
        return route.first { address in
            guard let q = index[address.variable]?.question, q.required, q.kind != .note, address.variable != outcome
            else { return false }
            return interview.answer(at: address) == nil
        }
    }

    // MARK: - Committing

    /// Makes one event durable, then applies it; false (and the session told why, unless
    /// `quietly`) when either failed. A storage failure ends the session.
    ///
    /// The engine applies the event to a copy first, so an event it refuses is never saved;
    /// the copy replaces the state only after the recorder confirmed the write.
    @discardableResult
    func commit(_ kind: InterviewEventKind, quietly: Bool = false) -> Bool {
        let moment = clock.now()
        var next = interview
        var nextSpent = spent
        let effects: [Effect]
        do {
            effects = try next.apply(kind, context: nextSpent.context(for: kind, at: moment, interviewer: options.interviewer))
        } catch {
            if !quietly { say(strings.engineRefused(error), style: .error) }
            return false
        }
        do {
            try recorder.record(kind, timestamp: moment.timestamp)
        } catch {
            say(strings.storageFailed(error), style: .error)
            end = .storageFailed(error.message)
            return false
        }
        interview = next
        spent = nextSpent
        if case .shown = kind {
        } else {
            cachedRoute = nil
            revision += 1
            logAnswerChange(kind)
        }
        reportNewlyStale(effects)
        return true
    }

    /// Notes the address an answer event changed (``answersChanged(since:)``); only the last
    /// revisions are kept.
    private func logAnswerChange(_ kind: InterviewEventKind) {
        switch kind {
        case .answered(let at, _), .cleared(let at): answerLog.append((revision, at))
        default: return
        }
        if answerLog.count > 256 {
            answerLogFloor = answerLog[127].revision
            answerLog.removeFirst(128)
        }
    }

    // MARK: - Output

    func say(_ text: String, style tone: MessageTone) {
        outputs.append(.notice(text, tone))
    }

    func show(_ output: SessionOutput) {
        outputs.append(output)
    }
}
