import SurveyModel
import SurveyStore

/// Which cases `terep assign` moves: named ones, those whose preloaded values match, or the
/// first N (by case id) — of the unassigned cases for a first assignment, of the cases on
/// `--device` for a reassignment (`--to`).
public struct AssignmentRequest: Sendable {
    public var survey: SurveyID
    /// `--device`: the device that gets the cases, or (with `to`) the one they come from.
    public var device: DeviceID
    /// `--to`: move the cases from `device` to this one.
    public var to: DeviceID?
    /// `--cases`.
    public var cases: [CaseID]
    /// `--where VAR=VALUE` (all must hold).
    public var conditions: [String]
    /// `--count N`: at most this many of the matching cases.
    public var count: Int?

    public init(survey: SurveyID, device: DeviceID, to: DeviceID? = nil, cases: [CaseID] = [], conditions: [String] = [], count: Int? = nil)
    {
        self.survey = survey
        self.device = device
        self.to = to
        self.cases = cases
        self.conditions = conditions
        self.count = count
    }
}

/// What `terep assign` did.
public struct AssignmentReport: Sendable {
    /// The cases given to (or moved to) the device.
    public var changed: [CaseID]
    /// Named cases already on the device (nothing to do).
    public var unchanged: Int
    public var device: DeviceID
    public var from: DeviceID?
}

/// Assigning the sample's cases to devices: the library side of `terep assign` and
/// `terep sample withdraw` (docs/coordinator.md, "Assignments").
public enum Assignment {
    /// Selects the cases and records each assignment (or move) with who and when; refused as
    /// a whole, with every reason, when anything does not fit.
    public static func run(
        _ request: AssignmentRequest, central: any CentralDataset, actor: String, at time: Int64
    ) throws(FieldworkError) -> AssignmentReport {
        let all = try SampleImport.storing { () throws(StoreError) in try central.sampleCases(survey: request.survey) }
        guard !all.isEmpty else {
            throw .usage("survey '\(DisplayText.escaped(request.survey.rawValue))' has no sample; import one with terep sample import")
        }
        let selected = try select(request, from: all, central: central)
        let target = request.to ?? request.device
        let previous = request.to == nil ? nil : request.device
        let changes = selected.map { AssignmentChange(caseID: $0.id, device: target, previous: previous) }
        let changed = try SampleImport.storing { () throws(StoreError) in
            try central.assign(survey: request.survey, changes, actor: actor, at: time)
        }
        return AssignmentReport(changed: changed, unchanged: selected.count - changed.count, device: target, from: previous)
    }

    /// The cases a request names or matches.
    static func select(
        _ request: AssignmentRequest, from all: [SampleCaseRecord], central: any CentralDataset
    ) throws(FieldworkError) -> [SampleCaseRecord] {
        if !request.cases.isEmpty {
            guard request.conditions.isEmpty, request.count == nil else {
                throw .usage("give the cases by --cases, or choose them with --where and --count, not both")
            }
            let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var missing: [String] = []
            var out: [SampleCaseRecord] = []
            for id in request.cases {
                if let c = byID[id] {
                    out.append(c)
                } else {
                    missing.append("case \(DisplayText.escaped(id.rawValue)) is not in the sample of \(request.survey)")
                }
            }
            guard missing.isEmpty else { throw .store(.refused(missing)) }
            return out
        }
        guard !request.conditions.isEmpty || request.count != nil else {
            throw .usage("say which cases: --cases ID…, --where VAR=VALUE… or --count N")
        }
        if let count = request.count, count < 1 { throw .usage("--count must be 1 or more") }
        let definition = try SampleImport.currentDefinition(of: request.survey, central: central).definition
        let conditions = try request.conditions.map { (text: String) throws(FieldworkError) in try condition(text, definition) }
        let pool = all.filter { c in
            guard !c.withdrawn else { return false }
            // A first assignment takes unassigned cases; a move takes the cases on --device.
            guard request.to == nil ? c.device == nil : c.device == request.device else { return false }
            return conditions.allSatisfy { c.values[$0.name] == $0.value }
        }
        return request.count.map { Array(pool.prefix($0)) } ?? pool
    }

    /// `VAR=VALUE`, the value read as the preloaded question reads it.
    private static func condition(_ text: String, _ definition: SurveyDefinition) throws(FieldworkError) -> (
        name: VariableName, value: Value
    ) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .usage("--where \(DisplayText.escaped(text)): write VAR=VALUE, e.g. --where district=6")
        }
        let name = VariableName(String(text[..<eq]))
        let index = SurveyIndex(definition)
        guard let entry = index[name], entry.question.preload, entry.rosters.isEmpty else {
            throw .usage(
                "--where \(DisplayText.escaped(text)): '\(DisplayText.escaped(name.rawValue))' is not a preloaded question of \(definition.id)"
            )
        }
        let offered = index.answerSet(of: entry.question)?.options.map(\.code) ?? []
        switch AnswerParser.parse(String(text[text.index(after: eq)...]), kind: entry.question.kind, offered: offered) {
        case .success(let value): return (name, value)
        case .failure(let problem):
            throw .usage(
                "--where \(DisplayText.escaped(text)): \(SampleValueProblem(problem, text: String(text[text.index(after: eq)...]), offered: offered))"
            )
        }
    }

    /// `terep sample withdraw`: takes cases out of the sample (their data stay), with why.
    public static func withdraw(
        survey: SurveyID, cases: [CaseID], reason: String, central: any CentralDataset, actor: String, at time: Int64
    ) throws(FieldworkError) -> Int {
        guard !reason.trimmingSpaces.isEmpty else { throw .usage("give the reason with --reason TEXT (it is logged)") }
        return try SampleImport.storing { () throws(StoreError) in
            try central.withdraw(survey: survey, cases: cases, reason: reason, actor: actor, at: time)
        }.count
    }
}
