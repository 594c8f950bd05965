import SurveyModel
import SurveyReport

/// Labels of the report's codes and variables in the report language.
struct ReportLabels {
    let index: SurveyIndex
    let language: LanguageCode

    /// Combinations of the options of choice variables, at most this many.
    static let maxProduct = 500

    private var fallbacks: [LanguageCode] { index.definition.languages }

    /// A variable's label (its export label, else its question text, else its name).
    func variableLabel(_ name: VariableName) -> String {
        guard let q = index[name]?.question else { return name.rawValue }
        let text = q.label?.text(in: language, fallbacks: fallbacks) ?? q.text.text(in: language, fallbacks: fallbacks)
        return text.map { $0.isEmpty ? name.rawValue : $0 } ?? name.rawValue
    }

    /// An outcome code's label from the outcome question's answer set (empty when none).
    func outcomeLabel(_ code: Int) -> String {
        guard let variable = index.definition.outcome?.variable else { return "" }
        return optionLabel(variable, code) ?? ""
    }

    /// The label of a quota cell: the one the targets block declares for it, else each value's
    /// label joined with " × ".
    func cellLabel(_ quota: Quota, _ values: [QuotaValue]) -> String {
        if let declared = quota.cells.first(where: { $0.values == values })?.label,
            let text = declared.text(in: language, fallbacks: index.definition.languages)
        {
            return text
        }
        return cellLabel(quota.variables, values)
    }

    /// Each value's label joined with " × ".
    func cellLabel(_ variables: [VariableName], _ values: [QuotaValue]) -> String {
        zip(variables, values).map { variable, value in valueLabel(variable, value) }.joined(separator: " × ")
    }

    /// A value's label: an option label, a special answer's name, or the value itself.
    func valueLabel(_ variable: VariableName, _ value: QuotaValue) -> String {
        let codes = index.definition.specialCodes
        switch value {
        case .text("."): return word(.missing)
        case .text(let t): return t
        case .code(let c):
            if index[variable] != nil, let label = optionLabel(variable, c) { return label }
            if c == codes.dontKnow { return word(.dontKnow) }
            if c == codes.refused { return word(.refused) }
            if c == codes.notApplicable { return word(.notApplicable) }
            return "\(c)"
        }
    }

    /// Whether a quota is a breakdown of one multiple-choice variable (a cell per code ticked).
    func isMultipleChoiceBreakdown(_ quota: Quota) -> Bool {
        guard quota.variables.count == 1, case .multipleChoice? = index[quota.variables[0]]?.question.kind else { return false }
        return true
    }

    /// Every combination of the options of the variables, when each is a choice question with
    /// an answer set (or the one variable is a multiple choice) and there are not too many; nil
    /// otherwise.
    func optionProduct(_ variables: [VariableName]) -> [[QuotaValue]]? {
        var product: [[QuotaValue]] = [[]]
        for variable in variables {
            guard let q = index[variable]?.question, let set = index.answerSet(of: q) else { return nil }
            switch q.kind {
            case .singleChoice: break
            case .multipleChoice where variables.count == 1: break
            default: return nil
            }
            guard product.count * set.options.count <= Self.maxProduct else { return nil }
            product = product.flatMap { prefix in set.options.map { prefix + [QuotaValue.code($0.code)] } }
        }
        return product
    }

    private func optionLabel(_ variable: VariableName, _ code: Int) -> String? {
        guard let q = index[variable]?.question, let set = index.answerSet(of: q) else { return nil }
        return set.option(code: code)?.label.text(in: language, fallbacks: fallbacks)
    }

    enum Word { case dontKnow, refused, notApplicable, missing }

    func word(_ w: Word) -> String {
        let hu = language.rawValue == "hu"
        switch w {
        case .dontKnow: return hu ? "nem tudja" : "don't know"
        case .refused: return hu ? "nem válaszol" : "refused"
        case .notApplicable: return hu ? "nem vonatkozik rá" : "not applicable"
        case .missing: return hu ? "nincs válasz" : "unanswered"
        }
    }
}
