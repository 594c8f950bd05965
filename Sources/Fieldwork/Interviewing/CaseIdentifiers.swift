import InterviewEngine
import SurveyModel

/// `--case name=value`, and the visit data the device fills in by itself.
public enum CaseIdentifiers {
    /// Parses `name=value` pairs into preloaded values of the questionnaire's top-level questions.
    public static func parse(_ pairs: [String], definition: SurveyDefinition) throws(InterviewStartError)
        -> [VariableName: Value]
    {
        let index = SurveyIndex(definition)
        var out: [VariableName: Value] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw .caseSyntax(pair) }
            let name = VariableName(String(pair[..<eq]))
            let text = String(pair[pair.index(after: eq)...])
            guard let entry = index[name], entry.rosters.isEmpty, entry.question.kind.valueType != nil else {
                let preloaded = index.questionsInOrder.filter { index[$0]?.question.preload == true }
                throw .caseUnknown(pair, name: name, preloaded: preloaded)
            }
            let offered = index.answerSet(of: entry.question)?.options.map(\.code) ?? []
            switch AnswerParser.parse(text, kind: entry.question.kind, offered: offered) {
            case .success(let value): out[name] = value
            case .failure(let problem):
                // The command line shows no options: the error lists them (`1 Belváros`).
                let language = definition.languages.first ?? "hu"
                let codes = index.answerSet(of: entry.question)?.options.map { option in
                    "\(option.code) " + DisplayText.escaped(option.label.text(in: language, fallbacks: definition.languages) ?? "")
                }
                throw .caseValue(pair, problem, codes: codes ?? [])
            }
        }
        return out
    }

    /// The preloaded questions ``addAutomatic(_:definition:interviewer:at:)`` fills: visit data,
    /// not case identifiers (the full screen's header leaves them out; a sample file never
    /// gives them).
    public static let automatic: Set<VariableName> = ["int_id", "visit_ts", "visit_no"]

    /// Fills `int_id` (the interviewer), `visit_ts` (now) and `visit_no` (1) when the
    /// questionnaire preloads them and they were not given.
    public static func addAutomatic(
        _ preload: inout [VariableName: Value], definition: SurveyDefinition, interviewer: String, at now: Moment
    ) {
        let index = SurveyIndex(definition)
        func fill(_ name: VariableName, _ value: Value) {
            guard preload[name] == nil, let q = index[name]?.question, q.preload, q.kind.valueType == value.type else { return }
            preload[name] = value
        }
        fill("int_id", .text(interviewer))
        fill("visit_ts", .datetime(LocalDateTime(date: now.date, time: now.time)))
        fill("visit_ts", .text("\(now.date)T\(now.time)"))  // questionnaires before datetime (2026.1)
        fill("visit_no", .integer(1))
    }
}
