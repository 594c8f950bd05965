import InterviewEngine
import SurveyModel

/// Drives an ``Interview`` in tests, in the style of javarosa's `Scenario`: answer by name,
/// read values back, walk the route. Every call records the event it applied, so a test can
/// replay the log and compare states.
///
/// ```swift
/// var s = Scenario(definition)
/// s.answer("hh_size", 3)
/// s.answer("m_age", row: 2, 40)
/// #expect(s.value("m_age", row: 2) == .integer(40))
/// ```
public struct Scenario {
    public private(set) var interview: Interview
    /// Every event applied after `.started`, in order, with its context.
    public private(set) var log: [(InterviewEventKind, EngineContext)] = []
    public let started: InterviewEventKind
    public var context: EngineContext
    /// Errors thrown by the last call (nil when it succeeded).
    public private(set) var lastError: EngineError?
    /// Effects returned by the last applied event.
    public private(set) var lastEffects: [Effect] = []
    /// The time spent, once a test drives the clock with ``at(minute:)``: every later event
    /// gets `elapsedMinutes` from it, by the engine's session rule (``ActiveTime``).
    public private(set) var spent: ActiveTime?
    private var clockMilliseconds: Int64 = 0

    /// The default clock of scenarios: 2026-05-04 10:00, interviewer "tester".
    public static let defaultContext = EngineContext(
        today: LocalDate(year: 2026, month: 5, day: 4), now: TimeOfDay(hour: 10, minute: 0), interviewer: "tester")

    public init(
        _ definition: SurveyDefinition, seed: UInt64 = 42, language: LanguageCode? = nil,
        preload: [VariableName: Value] = [:], context: EngineContext = Scenario.defaultContext
    ) {
        let started = InterviewEventKind.started(
            definition: DefinitionHash("test"), seed: seed, language: language ?? definition.languages.first ?? "en",
            preload: preload)
        self.started = started
        self.context = context
        do {
            self.interview = try Interview(definition: definition, started: started, context: context)
        } catch {
            fatalError("scenario could not start: \(error)")
        }
    }

    /// Applies an event; on error keeps the state, records the error and returns false.
    @discardableResult
    public mutating func apply(_ kind: InterviewEventKind) -> Bool {
        if var time = spent {
            time.record(kind, at: clockMilliseconds)
            spent = time
            context.elapsedMinutes = time.minutes
        }
        do {
            lastEffects = try interview.apply(kind, context: context)
            log.append((kind, context))
            lastError = nil
            return true
        } catch {
            lastError = error
            return false
        }
    }

    /// Puts the next events `minute` minutes after the start (a later call may go back in
    /// time; the session rule then counts nothing for it).
    public mutating func at(minute: Int) {
        if spent == nil { spent = ActiveTime(startedAt: 0) }
        clockMilliseconds = Int64(minute) * 60_000
    }

    // MARK: Answering

    @discardableResult
    public mutating func answer(_ name: VariableName, row: Int? = nil, _ value: Value) -> Bool {
        apply(.answered(Scenario.address(name, row), .value(value)))
    }

    @discardableResult
    public mutating func answer(_ name: VariableName, row: Int? = nil, _ value: Int) -> Bool {
        answer(name, row: row, Scenario.natural(value, for: name, in: interview))
    }

    @discardableResult
    public mutating func answer(_ name: VariableName, row: Int? = nil, _ value: String) -> Bool {
        answer(name, row: row, .text(value))
    }

    @discardableResult
    public mutating func answer(_ name: VariableName, rows: [Int], _ value: Value) -> Bool {
        apply(.answered(Address(name, rows: rows), .value(value)))
    }

    /// Ticks codes of a multiple-choice question.
    @discardableResult
    public mutating func tick(_ name: VariableName, row: Int? = nil, _ codes: Int...) -> Bool {
        answer(name, row: row, .choices(normalizing: codes))
    }

    @discardableResult
    public mutating func dk(_ name: VariableName, row: Int? = nil) -> Bool {
        apply(.answered(Scenario.address(name, row), .special(.dontKnow)))
    }

    @discardableResult
    public mutating func refuse(_ name: VariableName, row: Int? = nil) -> Bool {
        apply(.answered(Scenario.address(name, row), .special(.refused)))
    }

    @discardableResult
    public mutating func clear(_ name: VariableName, row: Int? = nil) -> Bool {
        apply(.cleared(Scenario.address(name, row)))
    }

    @discardableResult
    public mutating func addRow(_ roster: GroupID, parentRows: [Int] = []) -> Bool {
        apply(.rowAdded(roster, parentRows: parentRows))
    }

    @discardableResult
    public mutating func removeRow(_ roster: GroupID, parentRows: [Int] = []) -> Bool {
        apply(.rowRemoved(roster, parentRows: parentRows))
    }

    @discardableResult
    public mutating func confirm(_ check: CheckID, rows: [Int] = [], reason: String? = nil) -> Bool {
        apply(.warningConfirmed(check, rows: rows, reason: reason))
    }

    // MARK: Reading

    /// The value a variable has for expressions (nil when missing).
    public func value(_ name: VariableName, row: Int? = nil) -> Value? {
        interview.value(at: Scenario.address(name, row))
    }

    public func value(_ name: VariableName, rows: [Int]) -> Value? { interview.value(at: Address(name, rows: rows)) }

    /// The stored answer, on route or not.
    public func stored(_ name: VariableName, row: Int? = nil) -> Answer? {
        interview.answer(at: Scenario.address(name, row))
    }

    public func isOnRoute(_ name: VariableName, row: Int? = nil) -> Bool {
        interview.isOnRoute(Scenario.address(name, row))
    }

    public func validate(_ name: VariableName, row: Int? = nil, _ value: Value) -> Validation {
        interview.validate(.value(value), at: Scenario.address(name, row))
    }

    /// The first unanswered on-route question.
    public func next() -> Address? { interview.current }

    /// The route as written addresses (`hh_size`, `m_age[2]`).
    public var route: [String] { interview.route.map(\.description) }

    public var status: InterviewProgress { interview.status }

    /// Option codes offered at a question, in order.
    public func optionCodes(_ name: VariableName, row: Int? = nil) -> [Int] {
        interview.options(at: Scenario.address(name, row)).map(\.code)
    }

    /// Replays the recorded log into a fresh interview.
    public func replayed() throws(EngineError) -> Interview {
        var fresh = try Interview(definition: interview.definition, started: started, context: Scenario.defaultContext)
        for (kind, ctx) in log { try fresh.apply(kind, context: ctx) }
        return fresh
    }

    static func address(_ name: VariableName, _ row: Int?) -> Address {
        Address(name, rows: row.map { [$0] } ?? [])
    }

    /// An integer literal as the question expects it: a code for choices, a number otherwise.
    static func natural(_ n: Int, for name: VariableName, in interview: Interview) -> Value {
        let kind = Scenario.question(name, in: interview.definition.items)?.kind
        switch kind {
        case .singleChoice?: return .choice(n)
        case .multipleChoice?: return .choices([n])
        case .decimal?: return .decimal(Double(n))
        default: return .integer(n)
        }
    }

    static func question(_ name: VariableName, in nodes: [Node]) -> Question? {
        for node in nodes {
            switch node {
            case .question(let q) where q.name == name: return q
            case .group(let g): if let q = question(name, in: g.children) { return q }
            default: break
            }
        }
        return nil
    }
}
