/// Fast look-ups over a definition's tree: questions by name, groups by id, roster nesting.
///
/// Built once per definition; every layer that needs "where is this variable" uses it.
public struct SurveyIndex: Sendable {
    /// A question with its position in the tree.
    public struct Entry: Sendable {
        public var question: Question
        /// Enclosing groups, outermost first.
        public var ancestors: [GroupID]
        /// Enclosing rosters, outermost first (a subset of `ancestors`).
        public var rosters: [GroupID]
        /// Position in document order among all questions.
        public var order: Int
    }

    public let definition: SurveyDefinition
    public private(set) var entries: [VariableName: Entry] = [:]
    public private(set) var groups: [GroupID: Group] = [:]
    /// Enclosing rosters of each group, outermost first (excluding the group itself).
    public private(set) var groupRosters: [GroupID: [GroupID]] = [:]
    /// Every question in document order.
    public private(set) var questionsInOrder: [VariableName] = []
    public private(set) var answerSets: [AnswerSetID: AnswerSet] = [:]

    public init(_ definition: SurveyDefinition) {
        self.definition = definition
        for set in definition.answerSets { answerSets[set.id] = set }
        walk(definition.items, ancestors: [], rosters: [])
    }

    private mutating func walk(_ nodes: [Node], ancestors: [GroupID], rosters: [GroupID]) {
        for node in nodes {
            switch node {
            case .question(let q):
                entries[q.name] = Entry(question: q, ancestors: ancestors, rosters: rosters, order: questionsInOrder.count)
                questionsInOrder.append(q.name)
            case .group(let g):
                groups[g.id] = g
                groupRosters[g.id] = rosters
                let inner = if case .roster = g.kind { rosters + [g.id] } else { rosters }
                walk(g.children, ancestors: ancestors + [g.id], rosters: inner)
            case .end:
                break
            }
        }
    }

    public subscript(name: VariableName) -> Entry? { entries[name] }

    /// The options of a choice question's answer set (or a scale's labels), if any.
    public func answerSet(of question: Question) -> AnswerSet? {
        switch question.kind {
        case .singleChoice(let spec), .multipleChoice(let spec, _, _): answerSets[spec.answerSet]
        case .scale(_, _, let labels): labels.flatMap { answerSets[$0] }
        default: nil
        }
    }
}
