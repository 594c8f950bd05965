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
    struct VariableInfo: Sendable {
        var question: Question
        /// Enclosing groups, outermost first.
        var ancestors: [GroupID]
        /// Enclosing rosters, outermost first.
        var rosters: [GroupID]
        /// Position in document order among all nodes (questions, groups and ends).
        var order: Int
        var isCalculated: Bool {
            if case .calculated = question.kind { return true }
            return false
        }
        var isNote: Bool { question.kind == .note }
    }

    struct GroupInfo: Sendable {
        var group: Group
        /// Enclosing groups, outermost first (excluding the group itself).
        var ancestors: [GroupID]
        /// Enclosing rosters, outermost first (excluding the group itself).
        var enclosingRosters: [GroupID]
        var order: Int
        /// Every variable inside, at any depth, in document order.
        var members: [VariableName]
        /// Rosters inside, at any depth, in document order.
        var nestedRosters: [GroupID]
        /// Indices of end rules inside, at any depth.
        var ends: [Int]
        var rosterSpec: RosterSpec? {
            if case .roster(let spec) = group.kind { return spec }
            return nil
        }
    }

    struct EndInfo: Sendable {
        var rule: EndRule
        var ancestors: [GroupID]
        var rosters: [GroupID]
        var order: Int
    }

    struct CheckInfo: Sendable {
        var check: Check
        var owner: CheckOwner
        /// The rosters the check is evaluated per row of.
        var scope: [GroupID]
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
    /// Evaluation priority: a rule comes after every rule whose result it reads.
    let rank: [RuleRef: Int]
    /// Rules by the innermost roster they are evaluated per row of (nil key: top level).
    let rulesByScope: [GroupID: [RuleRef]]
    let topLevelRules: [RuleRef]
    /// The nodes of the questionnaire tree, for route walks.
    let items: [Node]
    /// Aggregates whose per-row results are cached, and look-ups into them.
    let aggregates: [CachedAggregate]
    let aggregateIndex: [Expr: Int]
    let aggregatesReading: [VariableName: [Int]]
    let aggregatesOver: [GroupID: [Int]]
    let ruleAggregates: [RuleRef: [Int]]

    init(_ definition: SurveyDefinition) {
        var b = PlanBuilder(definition)
        b.walk(definition.items, ancestors: [], rosters: [])
        b.collectRules()
        self.definition = definition
        self.items = definition.items
        self.variables = b.variables
        self.variablesInOrder = b.variablesInOrder
        self.groups = b.groups
        self.ends = b.ends
        self.checks = b.checks
        self.answerSets = b.answerSets
        self.dependents = b.dependents.mapValues { $0 }
        self.wholeAccess = b.wholeAccess
        self.rosterDependents = b.rosterDependents
        self.clockRules = b.clockRules
        self.rank = b.computeRanks()
        self.aggregates = b.aggregates
        self.aggregateIndex = b.aggregateIndex
        self.aggregatesReading = b.aggregatesReading
        self.aggregatesOver = b.aggregatesOver
        self.ruleAggregates = b.ruleAggregates
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
    }

    /// The rosters a rule is evaluated per row of, outermost first.
    func scope(of rule: RuleRef) -> [GroupID] {
        switch rule {
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
