import InterviewEngine
import SurveyModel
import SurveyStore

/// How a new interview starts: `terep interview`'s options, without the argument parsing.
public struct InterviewStartOptions: Sendable {
    /// The questionnaire language to start in (nil: its first language).
    public var language: LanguageCode?
    /// The seed for option randomisation (nil: random).
    public var seed: UInt64?
    /// Preloaded case identifiers as typed, `name=value`.
    public var cases: [String]
    /// A test/training interview: kept, but excluded from exports and reports.
    public var training: Bool

    public init(language: LanguageCode? = nil, seed: UInt64? = nil, cases: [String] = [], training: Bool = false) {
        self.language = language
        self.seed = seed
        self.cases = cases
        self.training = training
    }
}

/// An interview ready for a session: its state, when it started and where to show it from.
public struct PreparedInterview: Sendable {
    public var id: InterviewID
    public var interview: Interview
    public var startedAt: Int64
    /// The time spent so far (sessions summed), for the session to continue.
    public var spent: ActiveTime
    /// Where the last session stopped (nil for a new interview).
    public var resumeAt: Address?
}

/// Why an interview could not be started or resumed; each case says what to do.
public enum InterviewStartError: Error, Sendable, CustomStringConvertible {
    case store(StoreError)
    /// `--lang` names a language the questionnaire does not have.
    case unknownLanguage(LanguageCode, available: [LanguageCode])
    /// `--case` is not `name=value`.
    case caseSyntax(String)
    /// `--case` names no top-level question; `preloaded` are the questions that take one.
    case caseUnknown(String, name: VariableName, preloaded: [VariableName])
    /// `--case name=value` whose value does not fit its question; a choice question's codes
    /// with their labels (`1 Belváros`).
    case caseValue(String, AnswerProblem, codes: [String])
    /// The engine refused the start (a preload that breaks a rule of the definition).
    case cannotStart(EngineError)
    /// `--resume` of an interview that has ended.
    case alreadyEnded(InterviewID, outcome: Int?)
    /// The interview's log does not replay on its definition.
    case cannotReplay(InterviewID, EngineError)
    /// `--reopen` of an interview that has not ended (resume it instead).
    case notEnded(InterviewID)
    /// `--reopen` without a reason.
    case noReason
    /// `--reopen` of an interview the supervisor approved (`terep review --approve`): it is final.
    case approved(InterviewID, by: String, at: Int64)

    public var description: String {
        switch self {
        case .store(let error): "\(error)"
        case .unknownLanguage(let language, let available):
            "--lang \(language): the questionnaire's languages are \(available.map(\.rawValue).joined(separator: ", "))."
        case .caseSyntax(let pair): "--case \(pair): write name=value, e.g. --case cluster_id=K042."
        case .caseUnknown(let pair, let name, let preloaded):
            "--case \(pair): '\(name)' is not a question of this questionnaire"
                + (preloaded.isEmpty ? "." : "; preloaded questions: " + preloaded.map(\.rawValue).joined(separator: ", ") + ".")
        case .caseValue(let pair, let problem, let codes):
            "--case \(pair): \(problem)" + (codes.isEmpty ? "" : "; codes: " + codes.joined(separator: ", ") + ".")
        case .cannotStart(let error): "cannot start the interview: \(error)"
        case .alreadyEnded(let id, let outcome):
            "interview \(id) has already ended (outcome \(outcome.map(String.init) ?? "-"))."
        case .cannotReplay(let id, let error): "cannot replay interview \(id): \(error)"
        case .notEnded(let id): "interview \(id) has not ended; resume it with --resume instead."
        case .noReason: "say why the interview is reopened: --reason \"…\"."
        case .approved(let id, let by, let at):
            "interview \(id) was approved by \(DisplayText.escaped(by)) on \(LocalClock.text(at)): an approved interview is "
                + "final and cannot be reopened; if it must change, ask the coordinator to reject it (terep review --reject)."
        }
    }
}

/// Starting and resuming interviews on a device: the use cases behind `terep interview`.
public enum InterviewStart {
    /// A new interview: the definition saved on the device, the interview created with its
    /// `started` event (and `trainingMarked(true)` right after it for a training interview, and
    /// `assignedCase` for the interview of an assigned case). `preload` are the case's values
    /// from the sample; `--case name=value` pairs are added to them.
    public static func begin(
        _ compiled: CompiledSurvey, store: DeviceStore, options: InterviewStartOptions,
        preload sample: [VariableName: Value] = [:], assignedCase: CaseID? = nil, clock: InterviewClock = .system
    ) throws(InterviewStartError) -> PreparedInterview {
        let definition = compiled.definition
        let language = options.language ?? definition.languages.first ?? "hu"
        guard definition.languages.contains(language) else {
            throw .unknownLanguage(language, available: definition.languages)
        }
        try storing { () throws(StoreError) in try store.saveDefinition(compiled) }
        let now = clock.now()
        var preload = sample.merging(try CaseIdentifiers.parse(options.cases, definition: definition)) { $1 }
        CaseIdentifiers.addAutomatic(&preload, definition: definition, interviewer: store.interviewer, at: now)
        let new = NewInterview(
            definition: compiled.hash, seed: options.seed ?? UInt64.random(in: 1...UInt64.max), language: language,
            preload: preload, isTest: options.training, assignedCase: assignedCase)
        let started = InterviewEventKind.started(definition: compiled.hash, seed: new.seed, language: language, preload: preload)
        var interview: Interview
        do {
            let context = EngineContext(at: now, interviewer: store.interviewer)
            interview = try Interview(definition: definition, started: started, context: context)
            // The store writes the matching `trainingMarked(true)` event right after `started`.
            if options.training { _ = try interview.apply(.trainingMarked(true), context: context) }
            if let assignedCase { _ = try interview.apply(.assignedCase(assignedCase), context: context) }
        } catch {
            throw .cannotStart(error)
        }
        _ = try storing { () throws(StoreError) in try store.createInterview(new, timestamp: now.timestamp) }
        return PreparedInterview(
            id: new.id, interview: interview, startedAt: now.timestamp, spent: ActiveTime(startedAt: now.timestamp),
            resumeAt: nil)
    }

    /// An unfinished interview rebuilt from its log, on the definition it was started with.
    public static func resume(_ id: InterviewID, store: DeviceStore) throws(InterviewStartError) -> PreparedInterview {
        let (record, compiled, events) = try logged(id, store: store)
        guard record.status == .inProgress else { throw .alreadyEnded(id, outcome: record.outcome) }
        do {
            let replay = try InterviewReplay(definition: compiled.definition, events: events)
            return PreparedInterview(
                id: id, interview: replay.interview, startedAt: replay.startedAt, spent: replay.spent,
                resumeAt: replay.lastShown)
        } catch {
            throw .cannotReplay(id, error)
        }
    }

    /// The unfinished interviews of a questionnaire on this device (of every questionnaire
    /// without one), oldest first.
    public static func unfinished(store: DeviceStore, survey: SurveyID? = nil) throws(StoreError) -> [DeviceInterview] {
        try store.interviews(status: .inProgress).filter { survey == nil || $0.survey == survey }
    }

    /// One line per unfinished interview for `terep interview --list`: id, start, events, (the
    /// questionnaire, when the list has several,) case.
    /// One line of `terep interview --list`: the id, when it started, the questionnaire (with
    /// `survey`) and which case it is (`case`: ``InterviewerDevice/caseValues(of:)``, escaped).
    public static func listingLine(_ record: DeviceInterview, survey: Bool = false, case fields: [String]) -> String {
        let started = LocalClock.moment(at: record.startedAt)
        let questionnaire = survey ? "  " + DisplayText.escaped(record.survey.rawValue) : ""
        let which = fields.isEmpty ? "" : "  " + fields.map(DisplayText.escaped).joined(separator: " · ")
        return "  \(record.id)  \(started.date) \(started.time)\(questionnaire)\(which)"
    }

    /// The definition an interview on this device was started on (nil for an unknown interview).
    public static func definition(of id: InterviewID, store: DeviceStore) throws(StoreError) -> CompiledSurvey? {
        guard let record = try store.interview(id: id) else { return nil }
        return try store.definition(hash: record.definition)
    }

    /// An interview's record, its definition and its log.
    static func logged(_ id: InterviewID, store: DeviceStore) throws(InterviewStartError)
        -> (DeviceInterview, CompiledSurvey, [InterviewEvent])
    {
        try storing { () throws(StoreError) in
            guard let record = try store.interview(id: id) else { throw StoreError.unknownInterview(id) }
            guard let compiled = try store.definition(hash: record.definition) else {
                throw StoreError.unknownDefinition(record.definition)
            }
            return (record, compiled, try store.events(interview: id))
        }
    }

    static func storing<T>(_ body: () throws(StoreError) -> T) throws(InterviewStartError) -> T {
        do { return try body() } catch { throw .store(error) }
    }
}
