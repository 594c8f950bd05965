import InterviewEngine
import SurveyExport
import SurveyModel
import SurveyReport

/// How an interview stands, derived from its record exactly as the central dataset derives
/// its status: no outcome is in progress, the definition's complete code is completed.
enum RecordStatus {
    case completed, ended, inProgress
}

/// One interviewer's running totals.
struct InterviewerTally {
    var devices: Set<String> = []
    var interviews = 0
    var completed = 0
    /// `iv_minutes` of each completed interview (for the median and the speeder count).
    var minutes: [Double] = []
    var answers = 0
    var dontKnow = 0
    var refused = 0
    var softChecks = 0
    var outsideHours = 0
}

/// Interviews a `where` condition left out, by status.
struct ScopeTally {
    var interviews = 0
    var completed = 0
    var ended = 0
    var inProgress = 0
}

/// One question's running totals over all interviews and roster rows.
struct ItemTally {
    var answered = 0
    var dontKnow = 0
    var refused = 0
}

/// The running totals of one pass over the cleaned interviews: only per-interviewer,
/// per-question, per-day, per-outcome and per-quota-cell counters, never the records.
struct ReportAccumulator {
    let index: SurveyIndex
    let completeCodes: [DefinitionHash: Int]
    /// Whether the fieldwork period is over: every ended interview then counts by its last
    /// outcome, final or not (no visit is coming any more).
    let periodOver: Bool
    let quotas: [Quota]
    let workingHours: TimeRange
    let specialCodes: SpecialCodes

    /// The targets' `where`, and each quota's own (nil: every interview counts).
    let scope: AnswerCondition?
    let quotaScopes: [AnswerCondition?]

    /// Every interview of the selection, by status.
    var included = 0
    var completed = 0
    var ended = 0
    var inProgress = 0
    /// Those the targets' `where` leaves out of progress, quotas and rates.
    var leftOut = ScopeTally()
    /// Completes within the targets' scope that each quota's own `where` leaves out.
    var quotaLeftOut: [Int]
    /// Completes the targets count (in scope), per local day.
    var completesPerDay: [LocalDate: Int] = [:]
    /// Ended interviews (completed or not) in scope whose outcome is final (the `final` rules,
    /// or the period is over), per outcome code: what the rates count.
    var outcomes: [Int: Int] = [:]
    /// Ended interviews in scope whose last visit's outcome does not close the case yet (an
    /// appointment, a revisit, a non-contact before its visits are enough), per outcome code.
    var notFinal: [Int: Int] = [:]
    var interviewers: [String: InterviewerTally] = [:]
    /// Per question, at the question's slot in ``slots``.
    var items: [ItemTally]
    /// The slot of each question whose answers count (not notes or calculations).
    let slots: [VariableName: Int]
    /// Completed interviews per cell, one dictionary per quota.
    var quotaCells: [[[QuotaValue]: Int]]

    init(
        index: SurveyIndex, completeCodes: [DefinitionHash: Int], periodOver: Bool = false, targets: FieldworkTargets,
        workingHours: TimeRange, plan: @autoclosure () -> InterviewPlan
    ) {
        self.index = index
        self.completeCodes = completeCodes
        self.periodOver = periodOver
        self.quotas = targets.quotas
        self.workingHours = workingHours
        self.specialCodes = index.definition.specialCodes
        let needsPlan = targets.scope != nil || targets.quotas.contains { $0.scope != nil }
        let built = needsPlan ? plan() : nil
        scope = targets.scope.flatMap { s in built.map { AnswerCondition(s.condition, plan: $0) } }
        quotaScopes = targets.quotas.map { q in q.scope.flatMap { s in built.map { AnswerCondition(s.condition, plan: $0) } } }
        quotaLeftOut = Array(repeating: 0, count: targets.quotas.count)
        quotaCells = Array(repeating: [:], count: quotas.count)
        let answerable = index.questionsInOrder.filter { name in
            switch index[name]?.question.kind {
            case .note?, .calculated?, nil: false
            default: true
            }
        }
        slots = Dictionary(uniqueKeysWithValues: answerable.enumerated().map { ($0.element, $0.offset) })
        items = Array(repeating: ItemTally(), count: answerable.count)
    }

    /// A question's totals (zero when it was never answered or counts no answers).
    func item(_ name: VariableName) -> ItemTally? { slots[name].map { items[$0] } }

    func status(of record: InterviewRecord) -> RecordStatus {
        guard let outcome = record.outcome else { return .inProgress }
        return outcome == completeCodes[record.definition] ? .completed : .ended
    }

    /// Whether an ended interview's outcome closes its case: by its definition's `final` rules
    /// over its visits (``InterviewRecord/isFinal``), or because the period is over.
    func isFinal(_ record: InterviewRecord) -> Bool {
        periodOver || record.isFinal ?? true
    }

    /// Completes the targets count: those within the `where` scope.
    var scopedCompleted: Int { completed - leftOut.completed }

    /// Whether a condition holds for a record's top-level answers.
    private static func holds(_ condition: AnswerCondition?, _ record: InterviewRecord) -> Bool {
        condition?.holds { record.answers[Address($0)] } ?? true
    }

    /// Adds one cleaned interview: to the interviewer and item figures always, to the progress,
    /// quotas and outcomes when the targets' `where` holds for it (else to ``leftOut``).
    mutating func add(_ record: InterviewRecord) {
        included += 1
        let status = status(of: record)
        let inScope = Self.holds(scope, record)
        if !inScope { leftOut.interviews += 1 }
        // Taken out while updated, so its arrays are not copied on every interview.
        var tally = interviewers.removeValue(forKey: record.interviewer) ?? InterviewerTally()
        tally.interviews += 1
        tally.devices.insert(record.device.rawValue)
        switch status {
        case .inProgress:
            inProgress += 1
            if !inScope { leftOut.inProgress += 1 }
        case .ended:
            ended += 1
            if !inScope { leftOut.ended += 1 }
        case .completed:
            completed += 1
            tally.completed += 1
            if let minutes = record.durationMinutes { tally.minutes.append(minutes) }
            if inScope {
                if let end = record.endedAt { completesPerDay[LocalClock.moment(at: end).date, default: 0] += 1 }
                addToQuotas(record)
            } else {
                leftOut.completed += 1
            }
        }
        if inScope, status != .inProgress, let outcome = record.outcome {
            if isFinal(record) { outcomes[outcome, default: 0] += 1 } else { notFinal[outcome, default: 0] += 1 }
        }
        if let start = record.startedAt, !workingHours.contains(LocalClock.moment(at: start).time) { tally.outsideHours += 1 }
        tally.softChecks += record.confirmedChecks.count
        for (address, answer) in record.answers {
            guard let slot = slots[address.variable] else { continue }
            switch answer {
            case .special(.notApplicable): continue
            case .special(.dontKnow):
                items[slot].dontKnow += 1
                tally.dontKnow += 1
            case .special(.refused):
                items[slot].refused += 1
                tally.refused += 1
            case .value: break
            }
            items[slot].answered += 1
            tally.answers += 1
        }
        interviewers[record.interviewer] = tally
    }

    /// Counts a complete in each quota's cell (each code ticked, for a multiple-choice monitor).
    private mutating func addToQuotas(_ record: InterviewRecord) {
        for (q, quota) in quotas.enumerated() {
            guard Self.holds(quotaScopes[q], record) else {
                quotaLeftOut[q] += 1
                continue
            }
            if quota.variables.count == 1, case .value(.choices(let codes))? = record.answers[Address(quota.variables[0])] {
                for code in codes { quotaCells[q][[.code(code)], default: 0] += 1 }
                continue
            }
            quotaCells[q][quota.variables.map { quotaValue($0, record) }, default: 0] += 1
        }
    }

    /// A record's value of a quota variable, as exported: a code, a text, the special code of
    /// don't know / refused / not applicable, or `.` when unanswered. `interviewer` and
    /// `device` (or `iv_interviewer`, `iv_device`) name the interview's own, unless the
    /// questionnaire has a variable of that name.
    func quotaValue(_ name: VariableName, _ record: InterviewRecord) -> QuotaValue {
        if index[name] == nil {
            switch name.rawValue {
            case "interviewer", "iv_interviewer": return .text(record.interviewer)
            case "device", "iv_device": return .text(record.device.rawValue)
            default: break
            }
        }
        switch record.answers[Address(name)] {
        case nil: return .text(".")
        case .special(let s)?: return .code(specialCodes.code(for: s))
        case .value(.choice(let c))?, .value(.integer(let c))?: return .code(c)
        case .value(.boolean(let b))?: return .code(b ? 1 : 0)
        case .value(let other)?: return .text(RowBuilder.textForm(other))
        }
    }
}

/// The median of some numbers (the mean of the middle two for an even count); nil when empty.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
