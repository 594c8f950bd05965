import SurveyModel

/// A condition evaluated on the answers an interview ended with, outside the interview: the
/// `where` of fieldwork targets, which the report checks against each cleaned interview.
///
/// The condition may read only top-level questions and calculations (the compiler sees to
/// it); it is evaluated by the engine's own rules, so missing values, special answers and
/// `is_dk(x)` mean exactly what they mean in the questionnaire. The answers given are taken as
/// they are: routing already decided them (an off-route question is `.special(.notApplicable)`).
public struct AnswerCondition: Sendable {
    public let condition: Expr
    private let base: Interview
    private let names: [VariableName]

    /// Prepares the condition on a definition's plan (built once, used for every interview).
    public init(_ condition: Expr, plan: InterviewPlan) {
        self.condition = condition
        self.names = condition.referencedVariables
        var base = Interview(
            plan: plan.plan, seed: 0, language: plan.definition.languages.first ?? LanguageCode("hu"), preload: [:],
            context: EngineContext(today: LocalDate(year: 1970, month: 1, day: 1), now: TimeOfDay(hour: 0, minute: 0), interviewer: ""))
        base.answers = [:]
        base.calculated = [:]
        base.detached = true
        self.base = base
    }

    /// Whether the condition is true for an interview whose answer to each variable is
    /// `answer(name)` (nil: unanswered).
    public func holds(_ answer: (VariableName) -> Answer?) -> Bool {
        var interview = base
        for name in names {
            guard let info = interview.plan.variables[name], info.rosters.isEmpty, let a = answer(name) else { continue }
            if info.isCalculated {
                if case .value(let v) = a { interview.calculated[Address(name)] = v }
            } else {
                interview.answers[Address(name)] = a
            }
        }
        return interview.holds(condition, EvalScope(rows: []))
    }
}
