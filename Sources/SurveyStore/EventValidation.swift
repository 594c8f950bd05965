import SurveyModel

/// Checks events against the compiled definition their interview runs on: answers and
/// clears name a question of that definition, with one row number per enclosing roster,
/// and a value of the question's type; roster rows name a roster.
struct EventValidator {
    private var indexes: [DefinitionHash: SurveyIndex] = [:]

    init(_ definitions: [DefinitionFile]) {
        for file in definitions { indexes[file.survey.hash] = SurveyIndex(file.survey.definition) }
    }

    /// Whether events of interviews on this definition can be checked.
    func knows(_ hash: DefinitionHash) -> Bool { indexes[hash] != nil }

    /// Why the event does not fit the definition, or nil when it does (or cannot be checked).
    func problem(with kind: InterviewEventKind, definition hash: DefinitionHash) -> String? {
        guard let index = indexes[hash] else { return nil }
        let survey = "\(index.definition.id) \(index.definition.version)"
        switch kind {
        case .answered(let address, let answer):
            if let problem = addressProblem(address, index, survey) { return problem }
            guard case .value(let value) = answer, let entry = index[address.variable],
                let expected = entry.question.kind.valueType
            else { return nil }
            if value.type == expected || (expected == .decimal && value.type == .integer) { return nil }
            return "answers \(address) with a \(value.type.rawValue) value, but it takes \(expected.rawValue) in \(survey)"
        case .cleared(let address):
            return addressProblem(address, index, survey)
        case .rowAdded(let roster, _), .rowRemoved(let roster, _):
            guard let group = index.groups[roster], case .roster = group.kind else {
                return "names roster '\(roster)', which is not a roster of \(survey)"
            }
            return nil
        default:
            return nil
        }
    }

    private func addressProblem(_ address: Address, _ index: SurveyIndex, _ survey: String) -> String? {
        guard let entry = index[address.variable] else {
            return "names '\(address.variable)', which is not a question of \(survey)"
        }
        guard entry.rosters.count == address.rows.count else {
            return "gives \(address.rows.count) row numbers for \(address) but it is in \(entry.rosters.count) rosters in \(survey)"
        }
        return nil
    }
}
