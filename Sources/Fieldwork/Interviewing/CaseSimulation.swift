import InterviewEngine
import SurveyModel
import SurveyStore

/// What `terep simulate` did with a device's assigned cases.
public struct CaseSimulationSummary: Hashable, Sendable {
    /// Cases visited in this run.
    public var cases = 0
    public var visits = 0
    public var events = 0
    /// The cases by where they stand afterwards (`CaseStatus.word`).
    public var statuses: [String: Int] = [:]

    public init() {}
}

/// Simulated visits to a device's assigned cases, written like real ones: a new case's
/// interview starts with the sample's preloads and the `assignedCase` label; a visit is a
/// non-contact (the questionnaire's non-contact code, `.z` as an interviewer would end it) or
/// the whole interview by the engine's simulator; a case the questionnaire's `final` rules keep
/// open is visited again on a later day (`reopened`, the same interview continuing), some
/// visits in the evening or at the weekend, until it is final or `maxVisits` is reached.
/// Cases already final, completed, in progress, moved or withdrawn are left alone.
public struct CaseSimulation {
    public var maxVisits = 4
    /// The share of visits where nobody is at home (when the questionnaire has a non-contact code).
    public var nonContactRate = 0.4
    /// The day (UTC ms) visits are counted from, so the same seed always gives the same logs.
    public var firstDay: Int64 = 1_780_000_000_000
    /// At most this many cases are visited (nil: every open one).
    public var limit: Int?

    public init() {}

    public func run(store: DeviceStore, rng: inout SplitMix64) throws(FieldworkError) -> CaseSimulationSummary {
        var summary = CaseSimulationSummary()
        let entries = try storing { () throws(StoreError) in try CaseList.load(store: store) }
        var definitions: [DefinitionHash: CompiledSurvey] = [:]
        for (index, entry) in entries.enumerated()
        where [.firstVisit, .visitAgain, .keepAppointment].contains(entry.next) && entry.deviceCase.state == .assigned {
            if let limit, summary.cases >= limit { break }
            let hash = entry.interview == nil ? entry.deviceCase.definition : try interviewDefinition(entry, store: store)
            if definitions[hash] == nil {
                definitions[hash] = try storing { () throws(StoreError) in
                    guard let compiled = try store.definition(hash: hash) else { throw StoreError.unknownDefinition(hash) }
                    return compiled
                }
            }
            guard let compiled = definitions[hash] else { continue }
            var visitor = CaseVisitor(
                compiled: compiled, deviceCase: entry.deviceCase, store: store, settings: self,
                day: (firstDay / 86_400_000 + Int64(index % 30)) * 86_400_000)
            let (visits, events) = try visitor.visit(entry, rng: &rng)
            summary.cases += 1
            summary.visits += visits
            summary.events += events
        }
        for entry in try storing({ () throws(StoreError) in try CaseList.load(store: store) }) {
            summary.statuses[entry.status.word, default: 0] += 1
        }
        return summary
    }

    private func interviewDefinition(_ entry: CaseListEntry, store: DeviceStore) throws(FieldworkError) -> DefinitionHash {
        try storing { () throws(StoreError) in
            guard let id = entry.interview, let record = try store.interview(id: id) else { return entry.deviceCase.definition }
            return record.definition
        }
    }
}

/// One case's visits in a simulation run.
private struct CaseVisitor {
    let compiled: CompiledSurvey
    let deviceCase: DeviceCase
    let store: DeviceStore
    let settings: CaseSimulation
    var day: Int64

    var definition: SurveyDefinition { compiled.definition }

    /// The questionnaire's non-contact code: its `noncontact` outcome class, else the first code
    /// its `final` rules make wait for more visits.
    var nonContactCode: Int? {
        definition.targets?.dispositions.first { $0.disposition == .noncontact }?.code
            ?? definition.targets?.visitRules?.requirements.first?.codes.first
    }

    /// Visits the case until it is final or the visits run out; returns the visits and events written.
    mutating func visit(_ entry: CaseListEntry, rng: inout SplitMix64) throws(FieldworkError) -> (Int, Int) {
        var visits = entry.visits
        var id = entry.interview
        var interview: Interview?
        var written = 0, made = 0
        if let known = id {
            interview = try replay(known)
            if let last = visits.last { day = max(day, Int64(last.start.date.daysSinceEpoch) * 86_400_000) }
        }
        while visits.count < settings.maxVisits {
            let start = visitStart(rng: &rng)
            let moment = LocalClock.moment(at: start)
            let context = EngineContext(at: moment, interviewer: store.interviewer)
            let home = nonContactCode == nil || Double.random(in: 0..<1, using: &rng) >= settings.nonContactRate
            var pending: [InterviewEventKind] = []
            var times: [Int64] = []
            if var current = interview, let known = id {
                // The engine must accept each event, or the log would not replay: a refusal ends the case's visits.
                let reopening = InterviewEventKind.reopened(reason: "visit \(visits.count + 1)")
                guard (try? current.apply(reopening, context: context)) != nil else { break }
                pending.append(reopening)
                times.append(start)
                if home {
                    let run = InterviewSimulator(definition: definition).run(
                        continuing: current, context: context, startTimestamp: start, using: &rng)
                    pending += run.events.map(\.kind)
                    times += run.events.map(\.timestamp)
                    current = run.interview
                } else if let code = nonContactCode {
                    guard (try? current.apply(.ended(outcome: code), context: context)) != nil else { break }
                    pending.append(.ended(outcome: code))
                    times.append(start + 60_000)
                }
                written += try append(pending, times: times, to: known)
                interview = current
            } else {
                let (newID, state, count) = try begin(at: moment, home: home, rng: &rng)
                (id, interview) = (newID, state)
                written += count
            }
            made += 1
            guard let known = id else { break }
            visits = try storing { () throws(StoreError) in try store.visits()[known] ?? [] }
            let standing = definition.standing(of: visits)
            guard case .revisit = standing else {
                if case .appointment = standing { continue }
                break
            }
        }
        return (made, written)
    }

    /// The first visit: a new interview with the case's preloads and label, ended as a
    /// non-contact or simulated to its end.
    func begin(at moment: Moment, home: Bool, rng: inout SplitMix64) throws(FieldworkError) -> (InterviewID, Interview?, Int) {
        var preload = deviceCase.values
        CaseIdentifiers.addAutomatic(&preload, definition: definition, interviewer: store.interviewer, at: moment)
        let context = EngineContext(at: moment, interviewer: store.interviewer)
        let seed = rng.next()
        var events: [(InterviewEventKind, Int64)] = []
        var state: Interview?
        if home {
            let run = InterviewSimulator(definition: definition).run(
                seed: seed, context: context, startTimestamp: moment.timestamp, preload: preload, using: &rng)
            events = run.events.dropFirst().map { ($0.kind, $0.timestamp) }
            if case .started(_, _, _, let used)? = run.events.first?.kind { preload = used }
            state = run.interview
        } else if let code = nonContactCode {
            let language = definition.languages.first ?? "hu"
            let started = InterviewEventKind.started(definition: compiled.hash, seed: seed, language: language, preload: preload)
            do {
                var opened = try Interview(definition: definition, started: started, context: context)
                try opened.apply(.ended(outcome: code), context: context)
                state = opened
            } catch {
                throw .usage(
                    "case \(deviceCase.id): the questionnaire refuses to start or end its interview (\(error)); "
                        + "check the case's preloads against questionnaire \(compiled.hash.short)")
            }
            events = [(.ended(outcome: code), moment.timestamp + 60_000)]
        }
        let salt = Simulation.idSalt(
            device: store.deviceID, nextSequence: try storing { () throws(StoreError) in try store.info().nextSequence })
        let id = InterviewID(Simulation.uuid(rng.next() ^ salt, rng.next() ^ salt.byteSwapped))
        let new = NewInterview(
            id: id, definition: compiled.hash, seed: seed, language: definition.languages.first ?? "hu", preload: preload,
            assignedCase: deviceCase.id)
        try storing { () throws(StoreError) in _ = try store.createInterview(new, timestamp: moment.timestamp) }
        let count = try append(events.map(\.0), times: events.map(\.1), to: id)
        return (id, state, count + 2)
    }

    /// A visit's start: a later day than the last, 09:00–20:59 local time, about one in three from 17:00.
    mutating func visitStart(rng: inout SplitMix64) -> Int64 {
        day += Int64(1 + rng.next() % 3) * 86_400_000
        let evening = rng.next() % 3 == 0
        let hour = evening ? 17 + Int64(rng.next() % 4) : 9 + Int64(rng.next() % 8)
        let minute = Int64(rng.next() % 60)
        let date = LocalClock.moment(at: day + 12 * 3_600_000).date
        return LocalClock.timestamp(of: LocalDateTime(date: date, hour: Int(hour), minute: Int(minute)))
    }

    func replay(_ id: InterviewID) throws(FieldworkError) -> Interview {
        let events = try storing { () throws(StoreError) in try store.events(interview: id) }
        do { return try InterviewReplay(definition: definition, events: events).interview } catch {
            throw .replay(interview: id, message: "\(error)")
        }
    }

    func append(_ kinds: [InterviewEventKind], times: [Int64], to id: InterviewID) throws(FieldworkError) -> Int {
        let pending = zip(kinds, times).map { PendingEvent(interview: id, timestamp: $1, kind: $0) }
        try storing { () throws(StoreError) in _ = try store.appendBatch(pending) }
        return pending.count
    }
}

private func storing<T>(_ body: () throws(StoreError) -> T) throws(FieldworkError) -> T {
    try SampleImport.storing(body)
}
