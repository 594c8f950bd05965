import InterviewEngine
import SurveyExport
import SurveyModel
import SurveyStore

/// Turns one central interview and its merged events into the record an export contains.
///
/// The events (from every device, in the central merge order: timestamp, device, sequence)
/// are replayed through the engine on the interview's own definition, so a later write wins
/// exactly as in the central rule, and routing decides what is on route: on-route answers and
/// calculations are kept, questions off route at existing roster rows become
/// `.special(.notApplicable)` (-7), off-route values are never copied. An answer left stale
/// (it no longer fits an earlier answer it depends on; docs/engine.md) is not exported: its
/// cell is empty, as unanswered, and the codebook says so.
public struct InterviewCleaner: Sendable {
    public let definition: SurveyDefinition
    public let hash: DefinitionHash
    /// Built once: replaying each interview starts from it instead of re-planning the definition.
    private let plan: InterviewPlan
    /// The question each question-level check belongs to (paradata and comments place a
    /// confirmation there; a group's checks have none).
    private let checkOwners: [CheckID: VariableName]

    public init(definition: SurveyDefinition, hash: DefinitionHash) {
        self.definition = definition
        self.hash = hash
        self.plan = InterviewPlan(definition)
        var owners: [CheckID: VariableName] = [:]
        for entry in SurveyIndex(definition).entries.values {
            for check in entry.question.checks { owners[check.id] = entry.question.name }
        }
        self.checkOwners = owners
    }

    /// The outcome of cleaning one interview.
    public struct Cleaned: Sendable {
        public var record: InterviewRecord
        /// Events the engine refused (e.g. a row removed twice by two devices), skipped.
        public var skippedEvents: [String]

        public init(record: InterviewRecord, skippedEvents: [String] = []) {
            self.record = record
            self.skippedEvents = skippedEvents
        }
    }

    /// Replays `events` (merge order) and builds the interview's record.
    public func clean(_ interview: CentralInterview, events: [InterviewEvent]) throws(FieldworkError) -> Cleaned {
        guard let startIndex = events.firstIndex(where: { if case .started = $0.kind { true } else { false } }) else {
            throw .replay(interview: interview.id, message: "its started event is not in the central dataset")
        }
        let first = events[startIndex]
        var engine: Interview
        do {
            engine = try Interview(plan: plan, started: first.kind, context: EngineContext(of: first))
        } catch {
            throw .replay(interview: interview.id, message: "cannot start: \(error)")
        }
        var skipped: [String] = []
        var spent = ActiveTime(startedAt: first.timestamp)
        for (i, event) in events.enumerated() where i != startIndex {
            if case .started = event.kind { continue }
            do {
                _ = try engine.apply(event.kind, context: spent.context(for: event))
            } catch {
                skipped.append("\(event.device)#\(event.sequence): \(error)")
            }
        }
        var answers = engine.exportableAnswers
        var rosterRows: [RosterInstance: Int] = [:]
        var offRoute: [Address] = []
        _ = collect(definition.items, rows: [], engine: engine, offRoute: &offRoute, rosterRows: &rosterRows)
        for address in offRoute where answers[address] == nil { answers[address] = .special(.notApplicable) }
        var checks = Set<ConfirmedCheck>()
        for failure in engine.failingChecks where failure.severity == .warning && failure.confirmation != nil {
            checks.insert(ConfirmedCheck(failure.check, rows: failure.rows))
        }
        var record = InterviewRecord(
            id: interview.id, definition: hash, surveyVersion: definition.version,
            device: interview.startDevice ?? first.device, interviewer: interview.interviewer ?? first.interviewer,
            startedAt: interview.startedAt ?? first.timestamp, endedAt: interview.endedAt,
            timeSpent: spent.milliseconds, outcome: interview.outcome,
            hadConflict: interview.devices.count > 1, answers: answers, rosterRows: rosterRows, confirmedChecks: checks)
        record.paradata = ParadataEvent.events(of: events) { checkOwners[$0] }
        record.comments = InterviewComment.comments(of: events) { checkOwners[$0] }
        record.visits = VisitTracker.visits(of: events, completeCode: definition.outcome?.completeCode)
        record.caseID = interview.caseID
        return Cleaned(record: record, skippedEvents: skipped)
    }

    /// Walks the questionnaire at the interview's existing roster rows: collects questions that
    /// are off route and the row count of each roster instance (0 when nothing in it is on
    /// route). Returns whether anything under `nodes` is on route.
    private func collect(
        _ nodes: [Node], rows: [Int], engine: Interview, offRoute: inout [Address],
        rosterRows: inout [RosterInstance: Int]
    ) -> Bool {
        var any = false
        for node in nodes {
            switch node {
            case .question(let q):
                guard q.kind != .note else { continue }
                let address = Address(q.name, rows: rows)
                if engine.isOnRoute(address) { any = true } else { offRoute.append(address) }
            case .group(let g):
                guard case .roster = g.kind else {
                    if collect(g.children, rows: rows, engine: engine, offRoute: &offRoute, rosterRows: &rosterRows) {
                        any = true
                    }
                    continue
                }
                let mark = offRoute.count
                let n = engine.rowCount(of: g.id, parentRows: rows)
                var rosterAny = false
                if n > 0 {
                    for r in 1...n
                    where collect(
                        g.children, rows: rows + [r], engine: engine, offRoute: &offRoute, rosterRows: &rosterRows)
                    {
                        rosterAny = true
                    }
                }
                rosterRows[RosterInstance(g.id, parentRows: rows)] = rosterAny ? n : 0
                if rosterAny { any = true } else { offRoute.removeSubrange(mark...) }
            case .end:
                break
            }
        }
        return any
    }
}
