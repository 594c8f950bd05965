import SurveyModel

/// One evaluation of a rule: the rule and the roster rows it is evaluated at.
struct RuleInstance: Hashable, Sendable {
    var rule: RuleRef
    var rows: [Int]
}

/// A rule reading a variable in a way that may touch any row (row index, aggregate, `complete`).
struct RuleVariable: Hashable, Sendable {
    var rule: RuleRef
    var variable: VariableName
}

/// Where a check is declared.
enum CheckOwner: Hashable, Sendable {
    case question(VariableName)
    case group(GroupID)
}

/// Everything the engine precomputes once per definition: positions, scopes, the dependency
/// graph (the compiled one merged with what the expressions read) and an evaluation order.
///
/// Immutable and shared between copies of an ``Interview``.
final class EnginePlan: Sendable {
    /// A variable's question and position. A class, so look-ups share instead of copying.
    final class VariableInfo: Sendable {
        let question: Question
        /// Enclosing groups, outermost first.
        let ancestors: [GroupID]
        /// Enclosing rosters, outermost first.
        let rosters: [GroupID]
        /// Position in document order among all nodes (questions, groups and ends).
        let order: Int
        let isCalculated: Bool
        let isNote: Bool
        let hasCondition: Bool
        /// The enclosing groups that have a condition, outermost first (``ancestors`` without
        /// the unconditional ones): what decides whether the groups keep it on route.
        let gates: [RouteGate]
        /// The rule holding its condition (`.question` or `.calculation`).
        let rule: RuleRef

        init(question: Question, ancestors: [GroupID], rosters: [GroupID], order: Int, gates: [RouteGate] = []) {
            self.question = question
            self.ancestors = ancestors
            self.rosters = rosters
            self.order = order
            if case .calculated = question.kind { isCalculated = true } else { isCalculated = false }
            isNote = question.kind == .note
            hasCondition = question.condition != nil
            self.gates = gates
            rule = isCalculated ? .calculation(question.name) : .question(question.name)
        }
    }

    /// A group with a condition around a variable, and the number of rosters around the group
    /// (the rows its condition is evaluated at).
    struct RouteGate: Sendable {
        let group: GroupID
        let depth: Int
    }

    /// A group as the builder collects it (members are appended while walking).
    struct GroupDraft: Sendable {
        var group: Group
        var ancestors: [GroupID]
        var enclosingRosters: [GroupID]
        var order: Int
        var members: [VariableName]
        var nestedRosters: [GroupID]
        var ends: [Int]
    }

    /// A group with its position and contents.
    final class GroupInfo: Sendable {
        let group: Group
        /// Enclosing groups, outermost first (excluding the group itself).
        let ancestors: [GroupID]
        /// Enclosing rosters, outermost first (excluding the group itself).
        let enclosingRosters: [GroupID]
        let order: Int
        /// Every variable inside, at any depth, in document order.
        let members: [VariableName]
        /// Rosters inside, at any depth, in document order.
        let nestedRosters: [GroupID]
        /// Indices of end rules inside, at any depth.
        let ends: [Int]
        let rosterSpec: RosterSpec?
        let hasCondition: Bool

        init(_ d: GroupDraft) {
            group = d.group
            ancestors = d.ancestors
            enclosingRosters = d.enclosingRosters
            order = d.order
            members = d.members
            nestedRosters = d.nestedRosters
            ends = d.ends
            if case .roster(let spec) = d.group.kind { rosterSpec = spec } else { rosterSpec = nil }
            hasCondition = d.group.condition != nil
        }
    }

    final class EndInfo: Sendable {
        let rule: EndRule
        let ancestors: [GroupID]
        let rosters: [GroupID]
        let order: Int

        init(rule: EndRule, ancestors: [GroupID], rosters: [GroupID], order: Int) {
            self.rule = rule
            self.ancestors = ancestors
            self.rosters = rosters
            self.order = order
        }
    }

    final class CheckInfo: Sendable {
        let check: Check
        let owner: CheckOwner
        /// The rosters the check is evaluated per row of.
        let scope: [GroupID]

        init(check: Check, owner: CheckOwner, scope: [GroupID]) {
            self.check = check
            self.owner = owner
            self.scope = scope
        }
    }

    let definition: SurveyDefinition
    let variables: [VariableName: VariableInfo]
    /// Variables (questions, notes, calculations) in document order.
    let variablesInOrder: [VariableName]
    let groups: [GroupID: GroupInfo]
    let ends: [EndInfo]
    let checks: [CheckID: CheckInfo]
    let answerSets: [AnswerSetID: AnswerSet]
    /// Variable → rules that read it.
    let dependents: [VariableName: [RuleRef]]
    /// Rules that must be re-evaluated in every row when the variable changes anywhere.
    let wholeAccess: Set<RuleVariable>
    /// Roster → rules aggregating over it (re-evaluated when its rows change).
    let rosterDependents: [GroupID: [RuleRef]]
    /// Rules reading `today()`, `now_time()` or `elapsed_minutes()`.
    let clockRules: [RuleRef]
    /// The clock rules that read only `today()`: re-evaluated only when the date moves.
    let dateRules: Set<RuleRef>
    /// The other clock rules (reading the time or the minutes spent), in ``clockRules``' order:
    /// re-evaluated whenever the clock moves.
    let timeRules: [RuleRef]
    /// Evaluation priority: a rule comes after every rule whose result it reads.
    let rank: [RuleRef: Int]
    /// Rules by the innermost roster they are evaluated per row of (nil key: top level).
    let rulesByScope: [GroupID: [RuleRef]]
    let topLevelRules: [RuleRef]
    /// The nodes of the questionnaire tree.
    let items: [Node]
    /// Questions whose value is a roster's row count (`count hh_size`), with that roster's maximum.
    let rowCountLimits: [VariableName: Int]
    /// The tree flattened for route walks, in document order.
    let steps: [RouteStep]
    /// Aggregates whose per-row results are cached, and look-ups into them.
    let aggregates: [CachedAggregate]
    let aggregateIndex: [Expr: Int]
    let aggregatesReading: [VariableName: [Int]]
    let aggregatesOver: [GroupID: [Int]]
    let ruleAggregates: [RuleRef: [Int]]
    /// Questions whose stored answers are checked again when their filter or bounds change.
    let fitted: Set<VariableName>
    /// Three-valued logic for missing values (definition format 2 on; MissingLogic.swift).
    let missingPropagates: Bool
    /// Each rule's scope and rank in one look-up (the propagation's hot path asks for both).
    let ruleInfo: [RuleRef: RuleInfo]
    /// Variable → its readers, with what ``Interview/variableChanged(_:rows:_:)`` needs of each
    /// precomputed (``dependents``, ``wholeAccess`` and the shared roster prefix).
    let readers: [VariableName: [Reader]]
    /// The text patterns of the definition's questions, each compiled once (nil: invalid).
    let patterns: [String: CompiledPattern]

    init(_ definition: SurveyDefinition) {
        var b = PlanBuilder(definition)
        b.walk(definition.items, ancestors: [], rosters: [])
        b.collectRules()
        self.definition = definition
        self.items = definition.items
        var steps: [RouteStep] = []
        RouteStep.flatten(definition.items, into: &steps)
        self.steps = steps
        self.variables = b.variables
        self.variablesInOrder = b.variablesInOrder
        self.groups = b.groups.mapValues(GroupInfo.init)
        var limits: [VariableName: Int] = [:]
        for draft in b.groups.values {
            if case .roster(let spec) = draft.group.kind, case .variable(let n)? = spec.count {
                limits[n] = min(limits[n] ?? .max, spec.maxRows)
            }
        }
        self.rowCountLimits = limits
        self.ends = b.ends
        self.checks = b.checks
        self.answerSets = b.answerSets
        self.dependents = b.dependents.mapValues { $0 }
        self.wholeAccess = b.wholeAccess
        self.rosterDependents = b.rosterDependents
        self.clockRules = b.clockRules
        self.dateRules = Set(b.dateRules)
        self.timeRules = b.clockRules.filter { !Set(b.dateRules).contains($0) }
        let ranks = b.computeRanks()
        self.rank = ranks
        self.aggregates = b.aggregates
        self.aggregateIndex = b.aggregateIndex
        self.aggregatesReading = b.aggregatesReading
        self.aggregatesOver = b.aggregatesOver
        self.ruleAggregates = b.ruleAggregates
        self.fitted = b.fitted
        self.missingPropagates = definition.format >= 2
        var byScope: [GroupID: [RuleRef]] = [:]
        var top: [RuleRef] = []
        for rule in b.allRules {
            if let innermost = b.scope(of: rule).last {
                byScope[innermost, default: []].append(rule)
            } else {
                top.append(rule)
            }
        }
        self.rulesByScope = byScope
        self.topLevelRules = top
        var info: [RuleRef: RuleInfo] = [:]
        for rule in b.allRules {
            info[rule] = RuleInfo(scope: b.scope(of: rule), rank: ranks[rule] ?? 0, aggregates: b.ruleAggregates[rule] ?? [])
        }
        self.ruleInfo = info
        var readers: [VariableName: [Reader]] = [:]
        for (name, rules) in b.dependents {
            let rosters = b.variables[name]?.rosters ?? []
            readers[name] = rules.map { rule in
                let scope = info[rule]?.scope ?? b.scope(of: rule)
                var common = 0
                while common < scope.count, common < rosters.count, scope[common] == rosters[common] { common += 1 }
                return Reader(
                    rule: rule, whole: b.wholeAccess.contains(RuleVariable(rule: rule, variable: name)), sharedRows: common,
                    info: info[rule] ?? RuleInfo(scope: scope, rank: ranks[rule] ?? 0, aggregates: b.ruleAggregates[rule] ?? []))
            }
        }
        self.readers = readers
        var patterns: [String: CompiledPattern] = [:]
        for info in b.variables.values {
            if case .text(_, let pattern?) = info.question.kind, patterns[pattern] == nil { patterns[pattern] = CompiledPattern(pattern) }
        }
        self.patterns = patterns
    }

    /// A rule's scope (the rosters it is evaluated per row of), its evaluation rank and the
    /// cached aggregates it reads (``ruleAggregates``).
    struct RuleInfo: Sendable {
        let scope: [GroupID]
        let rank: Int
        let aggregates: [Int]
    }

    /// A rule's ``RuleInfo``; built on the spot for a rule the plan does not know.
    func info(of rule: RuleRef) -> RuleInfo {
        ruleInfo[rule] ?? RuleInfo(scope: scope(of: rule), rank: rank[rule] ?? 0, aggregates: ruleAggregates[rule] ?? [])
    }

    /// A rule reading a variable: whether it reads it in every row (`whole`), else how many
    /// leading roster rows it shares with the variable's rows.
    struct Reader: Sendable {
        let rule: RuleRef
        let whole: Bool
        let sharedRows: Int
        let info: RuleInfo
    }

    /// The rosters a rule is evaluated per row of, outermost first.
    func scope(of rule: RuleRef) -> [GroupID] {
        if let info = ruleInfo[rule] { return info.scope }
        return switch rule {
        case .question(let n), .calculation(let n): variables[n]?.rosters ?? []
        case .group(let g): groups[g]?.enclosingRosters ?? []
        case .check(let c): checks[c]?.scope ?? []
        case .end(let i): i < ends.count ? ends[i].rosters : []
        }
    }

    /// The expression-bearing part of a rule for a variable.
    func ruleRef(for name: VariableName) -> RuleRef {
        variables[name]?.isCalculated == true ? .calculation(name) : .question(name)
    }
}

/// One entry of the flattened questionnaire tree.
enum RouteStep: Sendable {
    /// A question or note (`listed`) or a calculation (not listed on the route).
    case question(VariableName, listed: Bool)
    /// A group whose children follow, up to (not including) step `end`.
    case group(GroupID, isRoster: Bool, end: Int)

    static func flatten(_ nodes: [Node], into steps: inout [RouteStep]) {
        for node in nodes {
            switch node {
            case .question(let q):
                let listed = if case .calculated = q.kind { false } else { true }
                steps.append(.question(q.name, listed: listed))
            case .group(let g):
                let at = steps.count
                let isRoster = if case .roster = g.kind { true } else { false }
                steps.append(.group(g.id, isRoster: isRoster, end: at))
                flatten(g.children, into: &steps)
                steps[at] = .group(g.id, isRoster: isRoster, end: steps.count)
            case .end:
                break
            }
        }
    }
}
