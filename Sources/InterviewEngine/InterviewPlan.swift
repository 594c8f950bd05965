import SurveyModel

/// A definition prepared for running interviews: its rules, dependencies and orders resolved.
///
/// Building it walks the whole definition; build it once per definition and start any number
/// of interviews from it (``Interview/init(plan:started:context:)``). Immutable and shareable.
public struct InterviewPlan: Sendable {
    let plan: EnginePlan

    public init(_ definition: SurveyDefinition) { plan = EnginePlan(definition) }

    /// The definition the plan was built from.
    public var definition: SurveyDefinition { plan.definition }
}
