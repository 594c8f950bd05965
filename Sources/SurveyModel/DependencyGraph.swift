/// A rule of the survey that reads variables and must be re-evaluated when they change.
public enum RuleRef: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The condition of a question, or its choice filter, range bounds, default or piped texts.
    case question(VariableName)
    /// The value of a calculated variable.
    case calculation(VariableName)
    /// The condition or row count of a group.
    case group(GroupID)
    case check(CheckID)
    /// The end rule at this index in document order.
    case end(Int)

    /// A stable string form: `q:name`, `calc:name`, `group:id`, `check:id`, `end:3`.
    public var description: String {
        switch self {
        case .question(let n): "q:\(n)"
        case .calculation(let n): "calc:\(n)"
        case .group(let g): "group:\(g)"
        case .check(let c): "check:\(c)"
        case .end(let i): "end:\(i)"
        }
    }

    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kind = text[..<colon], rest = String(text[text.index(after: colon)...])
        switch kind {
        case "q": self = .question(VariableName(rest))
        case "calc": self = .calculation(VariableName(rest))
        case "group": self = .group(GroupID(rest))
        case "check": self = .check(CheckID(rest))
        case "end":
            guard let i = Int(rest) else { return nil }
            self = .end(i)
        default: return nil
        }
    }

    public static func < (a: RuleRef, b: RuleRef) -> Bool { a.description < b.description }
}

/// For each variable, the rules that read it; plus the order calculations must run in: what
/// compiled format 1 carried (``SurveyDefinition/dependencies``).
///
/// Nothing reads it any more: the engine derives its own graph from the expressions it runs
/// (`InterviewEngine`'s plan), which is the one graph. It is decoded and re-encoded only so
/// that a format 1 file keeps its hash.
public struct DependencyGraph: Hashable, Sendable, Codable {
    /// Variable → rules reading it, sorted.
    public var dependents: [VariableName: [RuleRef]]
    /// Calculated variables in an order where each comes after everything it reads.
    public var calculationOrder: [VariableName]

    public init(dependents: [VariableName: [RuleRef]] = [:], calculationOrder: [VariableName] = []) {
        self.dependents = dependents
        self.calculationOrder = calculationOrder
    }

    private enum CodingKeys: String, CodingKey { case dependents, calculationOrder }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode([String: [String]].self, forKey: .dependents)
        var deps: [VariableName: [RuleRef]] = [:]
        for (k, v) in raw {
            deps[VariableName(k)] = try v.map {
                guard let r = RuleRef($0) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .dependents, in: c, debugDescription: "bad rule reference '\($0)'")
                }
                return r
            }
        }
        dependents = deps
        calculationOrder = try c.decode([VariableName].self, forKey: .calculationOrder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let raw = Dictionary(
            uniqueKeysWithValues: dependents.map { ($0.key.rawValue, $0.value.sorted().map(\.description)) })
        try c.encode(raw, forKey: .dependents)
        try c.encode(calculationOrder, forKey: .calculationOrder)
    }
}
