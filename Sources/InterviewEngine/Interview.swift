import SurveyModel

/// One interview on a compiled definition: the state rebuilt from its event log.
///
/// A value type. Create it from the `.started` event, then ``apply(_:context:)`` every later
/// event in order; the same definition and events (with the same contexts) always give the same
/// state. After each answer only the rules that read the changed variable are re-evaluated
/// (transitively), so the cost of an answer follows its dependents, not the size of the form.
/// Answers that fall off the route are kept, marked off-route, and come back with the route.
public struct Interview: Sendable {
    let plan: EnginePlan
    /// The randomisation seed recorded in the `.started` event.
    public private(set) var seed: UInt64
    /// The current interview language.
    public private(set) var language: LanguageCode
    /// The clock of the last applied event.
    public private(set) var context: EngineContext
    /// The outcome recorded by an `.ended` event (nil when none, or after `.reopened`).
    public private(set) var recordedOutcome: Int?
    /// Whether the latest `.trainingMarked` event marked this a test/training interview.
    public private(set) var isTraining = false
    /// Interviewer notes, in the order recorded.
    public private(set) var notes: [InterviewNote] = []
    /// Every time the interview was reopened after it ended: the outcome it had, who, when, why.
    public private(set) var reopenings: [Reopening] = []
    /// The visits so far, by SurveyModel's one rule (``VisitTracker``): the start, each
    /// reopening, and the first event of each later local day.
    public private(set) var visitTracker: VisitTracker
    /// The visits so far (`visits()`, `visit_start()`).
    public var visits: [Visit] { visitTracker.visits }
    /// When each visit began.
    public var visitStarts: [LocalDateTime] { visitTracker.visits.map(\.start) }

    /// The case data the interview started with (`preloaded(x)`).
    public private(set) var preloadedValues: [VariableName: Value] = [:]
    /// Every stored answer, on route or not (never deleted by routing).
    var answers: [Address: Answer] = [:]
    /// Values of calculated variables (absent when missing).
    var calculated: [Address: Value] = [:]
    /// Results of question, calculation and group conditions, per instance.
    var conditions: InstanceTable<Bool>
    /// Row counts of roster instances, keyed by the roster's `.group` rule at the parent rows.
    var rowCounts: InstanceTable<Int>
    /// Failing check instances.
    var failing: Set<RuleInstance> = []
    /// Stored answers that no longer fit their question, with why (AnswerFit.swift).
    var stale: [Address: [ValidationIssue]] = [:]
    var confirmations: [RuleInstance: WarningConfirmation] = [:]
    /// End rules whose condition holds and that are on route.
    var activeEnds: Set<RuleInstance> = []
    /// Cached per-row results of aggregates, by aggregate and parent rows.
    var aggregateStates: [Int: [[Int]: AggregateState]] = [:]
    /// Document order of the first active end (everything after it is off route).
    var routeLimit: Int = .max
    /// Answers stand as given, with no route (``AnswerCondition`` over an ended interview's answers).
    var detached = false

    /// The definition this interview runs.
    public var definition: SurveyDefinition { plan.definition }

    /// Starts an interview from its `.started` event (seed, language, preloaded case data).
    /// Throws for another event kind, or preload of an unknown or non-top-level question.
    public init(definition: SurveyDefinition, started: InterviewEventKind, context: EngineContext) throws(EngineError) {
        try self.init(plan: InterviewPlan(definition), started: started, context: context)
    }

    /// Starts an interview on a prepared plan: replaying many interviews of one definition
    /// (exports, reports) builds the plan once instead of once per interview.
    public init(plan prepared: InterviewPlan, started: InterviewEventKind, context: EngineContext) throws(EngineError) {
        guard case .started(_, let seed, let language, let preload) = started else { throw .notStarted }
        let plan = prepared.plan
        for name in preload.keys.sorted() {
            guard let info = plan.variables[name] else { throw .unknownVariable(name) }
            guard info.rosters.isEmpty, !info.isCalculated, !info.isNote else { throw .notAnswerable(Address(name)) }
        }
        self.init(plan: plan, seed: seed, language: language, preload: preload, context: context)
    }

    /// Starts an interview, skipping preloaded values that no top-level question takes.
    init(plan: EnginePlan, seed: UInt64, language: LanguageCode, preload: [VariableName: Value], context: EngineContext) {
        self.plan = plan
        self.seed = seed
        self.language = language
        self.context = context
        self.visitTracker = VisitTracker(completeCode: plan.definition.outcome?.completeCode)
        conditions = InstanceTable(rules: plan.rules.count)
        rowCounts = InstanceTable(rules: plan.rules.count)
        visitTracker.start(at: LocalDateTime(date: context.today, time: context.now))
        answers.reserveCapacity(plan.variables.count + 64)
        for name in preload.keys.sorted() {
            guard let info = plan.variables[name], let value = preload[name], info.rosters.isEmpty,
                !info.isCalculated, !info.isNote
            else { continue }
            let normalized = Interview.normalize(value, for: info.question.kind) ?? value
            answers[Address(name)] = .value(normalized)
            preloadedValues[name] = normalized
        }
        var p = Propagation(plan)
        for rule in plan.topLevelRules { enqueue(RuleInstance(rule: rule, rows: []), &p) }
        run(&p)
    }

    /// Applies one event after `.started`; returns what it caused. Throws, leaving the state
    /// unchanged, for an event that is not valid now (an invalid or off-route answer…).
    @discardableResult
    public mutating func apply(_ kind: InterviewEventKind, context: EngineContext) throws(EngineError) -> [Effect] {
        var p = Propagation(plan)
        switch kind {
        case .started: throw .alreadyStarted
        case .answered(let at, let answer):
            try checkWritable()
            let stored = try checkedAnswer(answer, at: at)
            advanceClock(context, &p)
            answers[at] = stored
            stale[at] = nil  // it passed the question's rules as they are now
            variableChanged(at.variable, rows: at.rows, &p)
        case .cleared(let at):
            try checkWritable()
            guard let info = plan.variables[at.variable] else { throw .unknownVariable(at.variable) }
            guard !info.isCalculated, !info.isNote else { throw .notAnswerable(at) }
            advanceClock(context, &p)
            stale[at] = nil
            if answers.removeValue(forKey: at) != nil { variableChanged(at.variable, rows: at.rows, &p) }
        case .rowAdded(let roster, let parentRows):
            try checkWritable()
            let key = try openRosterKey(roster, parentRows: parentRows)
            let count = rowCounts[key] ?? 0
            let maxRows = plan.groups[roster]?.rosterSpec?.maxRows ?? 0
            guard count < maxRows else { throw .rosterFull(roster, maxRows: maxRows) }
            advanceClock(context, &p)
            resize(key, to: count + 1, &p)
        case .rowRemoved(let roster, let parentRows):
            try checkWritable()
            let key = try openRosterKey(roster, parentRows: parentRows)
            let count = rowCounts[key] ?? 0
            guard count > 0 else { throw .noRowToRemove(roster) }
            advanceClock(context, &p)
            resize(key, to: count - 1, &p)
        case .warningConfirmed(let check, let rows, let reason):
            guard let info = plan.checks[check] else { throw .unknownCheck(check) }
            let inst = RuleInstance(rule: info.rule, rows: rows)
            guard failing.contains(inst) else { throw .nothingToConfirm(check, rows: rows) }
            advanceClock(context, &p)
            confirmations[inst] = WarningConfirmation(
                interviewer: context.interviewer, date: context.today, time: context.now, reason: reason)
        case .shown:
            advanceClock(context, &p)
        case .note(let at, let text):
            advanceClock(context, &p)
            notes.append(InterviewNote(address: at, text: text, interviewer: context.interviewer))
        case .languageChanged(let lang):
            advanceClock(context, &p)
            language = lang
        case .ended(let outcome):
            advanceClock(context, &p)
            recordedOutcome = outcome
        case .reopened(let reason):
            guard let outcome = recordedOutcome else { throw .notEnded }
            advanceClock(context, &p)
            reopenings.append(
                Reopening(
                    outcome: outcome, interviewer: context.interviewer, date: context.today, time: context.now, reason: reason))
            recordedOutcome = nil
        case .trainingMarked(let isTraining):
            // A label on the interview, often set days later (`terep device training`): it does
            // not move the interview's clock, so `elapsed_minutes()` and the like keep their values.
            self.isTraining = isTraining
        case .assignedCase:
            break  // a label too: the case the interview is for (Fieldwork's case list reads it)
        }
        let visitsBefore = visitTracker.visits.count
        visitTracker.record(kind, at: LocalDateTime(date: self.context.today, time: self.context.now))
        if visitTracker.visits.count != visitsBefore { for rule in plan.clockRules { enqueueAll(rule, prefix: [], &p) } }
        run(&p)
        return p.effects
    }

    /// Re-evaluates every rule in every row from scratch: the non-incremental baseline the
    /// benchmark compares against, and a consistency check in tests (it must change nothing).
    @discardableResult
    public mutating func recomputeAll() -> [Effect] {
        var p = Propagation(plan)
        aggregateStates = [:]
        for rule in plan.registeredRules.sorted(by: { plan.ruleInfo[$0].rank < plan.ruleInfo[$1].rank }) {
            enqueueAll(rule, prefix: [], &p)
        }
        run(&p)
        return p.effects
    }

    private func checkWritable() throws(EngineError) {
        if recordedOutcome != nil { throw .interviewEnded }
    }

    /// Validates an answer event and returns the normalised answer to store.
    private func checkedAnswer(_ answer: Answer, at: Address) throws(EngineError) -> Answer {
        try checkAnswerable(at)
        guard isOnRoute(at) else { throw .offRoute(at) }
        let (normalized, issues) = staticIssues(answer, at: at)
        guard issues.isEmpty else { throw .invalidAnswer(at, issues) }
        return normalized
    }

    /// Throws unless the address is a question (not a note or calculation) at existing rows.
    func checkAnswerable(_ at: Address) throws(EngineError) {
        guard let info = plan.variables[at.variable] else { throw .unknownVariable(at.variable) }
        guard !info.isCalculated, !info.isNote else { throw .notAnswerable(at) }
        guard at.rows.count == info.rosters.count, rowsExist(rules: info.rosterRules, at.rows) else { throw .noSuchRow(at) }
    }

    private func openRosterKey(_ roster: GroupID, parentRows: [Int]) throws(EngineError) -> RuleInstance {
        guard let info = plan.groups[roster], let spec = info.rosterSpec else { throw .unknownRoster(roster) }
        guard spec.count == nil else { throw .notOpenRoster(roster) }
        guard parentRows.count == info.enclosingRosters.count, rowsExist(rules: Array(info.rowRules.prefix(parentRows.count)), parentRows)
        else {
            throw .unknownRoster(roster)
        }
        return RuleInstance(rule: info.rule, rows: parentRows)
    }

    /// Re-evaluates the rules reading the clock when the date, time or elapsed minutes moved.
    private mutating func advanceClock(_ new: EngineContext, _ p: inout Propagation) {
        let dayMoved = new.today != context.today
        let timeMoved = new.now != context.now || new.elapsedMinutes != context.elapsedMinutes
        context = new
        guard dayMoved || timeMoved else { return }
        // A rule reading only today() cannot change while the date stays (replaying an interview
        // moves the time at nearly every event).
        for rule in dayMoved ? plan.clockRules : plan.timeRules { enqueueAll(rule, prefix: [], &p) }
    }
}

/// An ended interview reopened: the outcome it had been closed with, who reopened it, when, why.
public struct Reopening: Hashable, Sendable {
    public var outcome: Int
    public var interviewer: String
    public var date: LocalDate
    public var time: TimeOfDay
    public var reason: String?

    public init(outcome: Int, interviewer: String, date: LocalDate, time: TimeOfDay, reason: String?) {
        self.outcome = outcome
        self.interviewer = interviewer
        self.date = date
        self.time = time
        self.reason = reason
    }
}

/// An interviewer's note, on a question or on the whole interview.
public struct InterviewNote: Hashable, Sendable {
    public var address: Address?
    public var text: String
    public var interviewer: String
}
