import SurveyModel

/// One evaluation of a rule: the rule (its index in ``EnginePlan/rules``) and the roster rows it
/// is evaluated at. Integers only, so hashing one costs no string hashing.
struct RuleInstance: Hashable, Sendable {
    var rule: Int
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
        /// The rule indexes of ``rosters`` (where their row counts are kept).
        let rosterRules: [Int]
        /// Position in document order among all nodes (questions, groups and ends).
        let order: Int
        let isCalculated: Bool
        let isNote: Bool
        let hasCondition: Bool
        /// The enclosing groups that have a condition, outermost first (``ancestors`` without
        /// the unconditional ones): what decides whether the groups keep it on route.
        let gates: [RouteGate]
        /// The index of the rule holding its condition (`.question` or `.calculation`).
        let rule: Int

        init(
            question: Question, ancestors: [GroupID], rosters: [GroupID], rosterRules: [Int], order: Int, rule: Int,
            gates: [RouteGate] = []
        ) {
            self.question = question
            self.ancestors = ancestors
            self.rosters = rosters
            self.rosterRules = rosterRules
            self.order = order
            if case .calculated = question.kind { isCalculated = true } else { isCalculated = false }
            isNote = question.kind == .note
            hasCondition = question.condition != nil
            self.gates = gates
            self.rule = rule
        }
    }

    /// A group with a condition around a variable, its rule's index, and the number of rosters
    /// around the group (the rows its condition is evaluated at).
    struct RouteGate: Sendable {
        let group: GroupID
        let rule: Int
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
        /// The index of the group's rule (its condition, a roster's row count).
        var rule: Int
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
        /// The index of the group's rule (its condition, a roster's row count).
        let rule: Int
        /// The rule indexes of ``enclosingRosters`` and, for a roster, of the group itself.
        let rowRules: [Int]

        init(_ d: GroupDraft, rowRules: [Int]) {
            rule = d.rule
            self.rowRules = rowRules
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
        /// The index of the end's rule.
        let ruleIndex: Int

        init(rule: EndRule, ancestors: [GroupID], rosters: [GroupID], order: Int, ruleIndex: Int) {
            self.rule = rule
            self.ruleIndex = ruleIndex
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
        /// The index of the check's rule.
        let rule: Int

        init(check: Check, owner: CheckOwner, scope: [GroupID], rule: Int) {
            self.check = check
            self.owner = owner
            self.scope = scope
            self.rule = rule
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
    /// Every rule of the tree, by index: a rule instance names its rule by this index, so the
    /// engine's hot state hashes integers, not names.
    let rules: [RuleRef]
    /// The registered rules (those reading anything, every roster, check and end), by index.
    let registeredRules: [Int]
    /// Roster → rules aggregating over it (re-evaluated when its rows change), by index.
    let rosterDependents: [GroupID: [Int]]
    /// Rules reading `today()`, `now_time()` or `elapsed_minutes()`, by index.
    let clockRules: [Int]
    /// The clock rules that read only `today()`: re-evaluated only when the date moves.
    let dateRules: Set<RuleRef>
    /// The other clock rules (reading the time or the minutes spent), in ``clockRules``' order:
    /// re-evaluated whenever the clock moves.
    let timeRules: [Int]
    /// Evaluation priority: a rule comes after every rule whose result it reads.
    let rank: [RuleRef: Int]
    /// Rules by the innermost roster they are evaluated per row of (top level apart), by index.
    let rulesByScope: [GroupID: [Int]]
    let topLevelRules: [Int]
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
    /// Each rule's scope and rank in one look-up, by index (the propagation's hot path asks for both).
    let ruleInfo: [RuleInfo]
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
        self.groups = b.groups.mapValues { d in
            let isRoster = if case .roster = d.group.kind { true } else { false }
            return GroupInfo(d, rowRules: b.rosterRules(d.enclosingRosters) + (isRoster ? [d.rule] : []))
        }
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
        self.rules = b.rules
        var index: [RuleRef: Int] = [:]
        for (i, rule) in b.rules.enumerated() { index[rule] = i }
        let id = { (rule: RuleRef) in index[rule] ?? -1 }
        self.registeredRules = b.allRules.map(id)
        self.rosterDependents = b.rosterDependents.mapValues { $0.map(id) }
        self.clockRules = b.clockRules.map(id)
        self.dateRules = Set(b.dateRules)
        self.timeRules = b.clockRules.filter { !Set(b.dateRules).contains($0) }.map(id)
        let ranks = b.computeRanks()
        self.rank = ranks
        self.aggregates = b.aggregates
        self.aggregateIndex = b.aggregateIndex
        self.aggregatesReading = b.aggregatesReading
        self.aggregatesOver = b.aggregatesOver
        self.ruleAggregates = b.ruleAggregates
        self.fitted = b.fitted
        self.missingPropagates = definition.format >= 2
        var byScope: [GroupID: [Int]] = [:]
        var top: [Int] = []
        for rule in b.allRules {
            if let innermost = b.scope(of: rule).last {
                byScope[innermost, default: []].append(id(rule))
            } else {
                top.append(id(rule))
            }
        }
        self.rulesByScope = byScope
        self.topLevelRules = top
        let info = b.rules.enumerated().map { i, rule in
            let scope = b.scope(of: rule)
            return RuleInfo(
                index: i, scope: scope, scopeRules: b.rosterRules(scope), rank: ranks[rule] ?? 0,
                aggregates: b.ruleAggregates[rule] ?? [])
        }
        self.ruleInfo = info
        var readers: [VariableName: [Reader]] = [:]
        for (name, rules) in b.dependents {
            let rosters = b.variables[name]?.rosters ?? []
            readers[name] = rules.map { rule in
                let scope = info[id(rule)].scope
                var common = 0
                while common < scope.count, common < rosters.count, scope[common] == rosters[common] { common += 1 }
                return Reader(
                    whole: b.wholeAccess.contains(RuleVariable(rule: rule, variable: name)), sharedRows: common, info: info[id(rule)])
            }
        }
        self.readers = readers
        var patterns: [String: CompiledPattern] = [:]
        for info in b.variables.values {
            if case .text(_, let pattern?) = info.question.kind, patterns[pattern] == nil { patterns[pattern] = CompiledPattern(pattern) }
        }
        self.patterns = patterns
    }

    /// A rule's index, scope (the rosters it is evaluated per row of, and their rules' indexes,
    /// where their row counts are kept), its evaluation rank and the cached aggregates it reads
    /// (``ruleAggregates``).
    struct RuleInfo: Sendable {
        let index: Int
        let scope: [GroupID]
        let scopeRules: [Int]
        let rank: Int
        let aggregates: [Int]
    }

    /// A rule reading a variable: whether it reads it in every row (`whole`), else how many
    /// leading roster rows it shares with the variable's rows.
    struct Reader: Sendable {
        let whole: Bool
        let sharedRows: Int
        let info: RuleInfo
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
