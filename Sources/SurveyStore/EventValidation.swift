import SurveyModel

/// Checks events against the compiled definition their interview runs on, before they are
/// merged: what the definition alone says is impossible is refused, so the central dataset
/// never holds it (docs/coordinator.md, "Answers the questionnaire forbids").
///
/// - Answers and clears name a question of that definition (not a calculation or a note),
///   with one row number per enclosing roster, each within that roster's `max`.
/// - A value has the question's type; a code is in its answer set; several codes (distinct
///   once decoded) are within `min`/`max` and never combine an exclusive option; a number is within the bounds
///   the definition gives as constants (and a decimal has at most its places); a scale value is
///   within the scale; a text is at most `maxlength` characters.
/// - A special answer (don't know, refused) is one the question offers.
/// - Roster rows name a roster, under one row per enclosing roster, each within its `max`.
///
/// What depends on other answers (bounds given as expressions, filtered options, `error if`
/// checks, patterns, routing) is the interviewer's check and the cleaning's, not the merge's.
struct EventValidator {
    private var indexes: [DefinitionHash: SurveyIndex] = [:]
    private var codes: [DefinitionHash: AnswerCodes] = [:]

    init(_ definitions: [DefinitionFile]) {
        for file in definitions {
            let index = SurveyIndex(file.survey.definition)
            indexes[file.survey.hash] = index
            codes[file.survey.hash] = AnswerCodes(
                all: index.answerSets.mapValues { Set($0.options.map(\.code)) },
                exclusive: index.answerSets.mapValues { Set($0.options.filter(\.exclusive).map(\.code)) })
        }
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
            guard let question = index[address.variable]?.question else { return nil }
            let known = codes[hash] ?? AnswerCodes(all: [:], exclusive: [:])
            return answerProblem(answer, question, at: address, codes: known).map { "\($0) in \(survey)" }
        case .cleared(let address):
            return addressProblem(address, index, survey)
        case .rowAdded(let roster, let parents), .rowRemoved(let roster, let parents):
            guard let group = index.groups[roster], case .roster = group.kind else {
                return "names roster '\(roster)', which is not a roster of \(survey)"
            }
            let enclosing = index.groupRosters[roster] ?? []
            guard enclosing.count == parents.count else {
                return "gives \(parents.count) parent rows for roster '\(roster)' but it is in \(enclosing.count) rosters in \(survey)"
            }
            return rowsProblem(parents, enclosing, index).map { "names roster '\(roster)' under \($0) in \(survey)" }
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
        return rowsProblem(address.rows, entry.rosters, index).map { "names \(address) at \($0) in \(survey)" }
    }

    /// Why a row number is beyond its roster's `max` (rows and rosters outermost first).
    private func rowsProblem(_ rows: [Int], _ rosters: [GroupID], _ index: SurveyIndex) -> String? {
        for (row, roster) in zip(rows, rosters) {
            guard case .roster(let spec)? = index.groups[roster]?.kind else { continue }
            if row < 1 || row > spec.maxRows { return "row \(row), outside roster '\(roster)' (1 to \(spec.maxRows))" }
        }
        return nil
    }

    private func answerProblem(_ answer: Answer, _ q: Question, at address: Address, codes: AnswerCodes) -> String? {
        switch q.kind {
        case .note: return "answers \(address), a note, which takes no answer"
        case .calculated: return "answers \(address), a calculation, which takes no answer"
        default: break
        }
        switch answer {
        case .special(let special):
            guard q.specials.contains(special), special != .notApplicable else {
                return "answers \(address) with the special answer '\(special.rawValue)', which it does not offer"
            }
            return nil
        case .value(let value):
            guard let expected = q.kind.valueType else { return nil }
            guard value.type == expected || (expected == .decimal && value.type == .integer) else {
                return "answers \(address) with a \(value.type.rawValue) value, but it takes \(expected.rawValue)"
            }
            return AnswerLimits(question: q, codes: codes).problem(with: value).map { "answers \(address) with \($0)" }
        }
    }
}

/// The codes of each answer set of a definition, and its exclusive ones ("none of these").
private struct AnswerCodes {
    var all: [AnswerSetID: Set<Int>]
    var exclusive: [AnswerSetID: Set<Int>]
}

/// The limits a question's definition sets on its values by itself (no other answer needed).
private struct AnswerLimits {
    let question: Question
    let codes: AnswerCodes

    /// What is wrong with a value of the right type, or nil.
    func problem(with value: Value) -> String? {
        switch (question.kind, value) {
        case (.singleChoice(let spec), .choice(let code)):
            return codes.all[spec.answerSet]?.contains(code) == false ? "code \(code), not in its answer set \(spec.answerSet)" : nil
        case (.multipleChoice(let spec, let min, let max), .choices(let chosen)):
            return choicesProblem(chosen, spec, min: min, max: max)
        case (.integer(let lo, let hi), .integer(let n)):
            return outside(Double(n), lo, hi).map { "\(n), outside \($0)" }
        case (.decimal(let lo, let hi, let places), _):
            guard let d = Self.number(value) else { return nil }
            if let range = outside(d, lo, hi) { return "\(d), outside \(range)" }
            return Self.hasMorePlaces(d, than: places) ? "\(d), more than \(places) decimal places" : nil
        case (.scale(let lo, let hi, _), .integer(let n)):
            return (lo...hi).contains(n) ? nil : "\(n), outside the scale \(lo)..\(hi)"
        case (.date(let lo, let hi), .date(let date)):
            if case .date(let low)? = Self.constant(lo), date < low { return "\(date), before \(low)" }
            if case .date(let high)? = Self.constant(hi), date > high { return "\(date), after \(high)" }
            return nil
        case (.text(let maxLength, _), .text(let text)):
            let length = text.count
            return length > maxLength ? "a text of \(length) characters, longer than its maxlength \(maxLength)" : nil
        default:
            return nil
        }
    }

    private func choicesProblem(_ chosen: [Int], _ spec: ChoiceSpec, min: Int?, max: Int?) -> String? {
        let known = codes.all[spec.answerSet]
        if let code = chosen.first(where: { known?.contains($0) == false }) {
            return "code \(code), not in its answer set \(spec.answerSet)"
        }
        if chosen.count < (min ?? 1) { return "\(chosen.count) codes, fewer than \(min ?? 1)" }
        if let max, chosen.count > max { return "\(chosen.count) codes, more than \(max)" }
        if chosen.count > 1, let only = chosen.first(where: { codes.exclusive[spec.answerSet]?.contains($0) == true }) {
            return "code \(only), which excludes every other, together with others (\(chosen))"
        }
        return nil
    }

    /// The question's constant bounds as text when `n` is outside them, else nil.
    private func outside(_ n: Double, _ lo: Expr?, _ hi: Expr?) -> String? {
        let low = Self.constant(lo).flatMap(Self.number)
        let high = Self.constant(hi).flatMap(Self.number)
        guard (low.map { n < $0 } ?? false) || (high.map { n > $0 } ?? false) else { return nil }
        return "\(low.map { Self.text($0) } ?? "")..\(high.map { Self.text($0) } ?? "")"
    }

    /// A bound written as a constant (possibly negated); nil for an expression of answers.
    static func constant(_ e: Expr?) -> Value? {
        switch e {
        case .literal(let v)?: v
        case .unary(.negate, .literal(.integer(let n)))?: .integer(-n)
        case .unary(.negate, .literal(.decimal(let d)))?: .decimal(-d)
        default: nil
        }
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case .integer(let n): Double(n)
        case .decimal(let d): d
        default: nil
        }
    }

    private static func text(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }

    /// The interviewer's rule for decimal places (a tolerance of one millionth of a unit).
    static func hasMorePlaces(_ d: Double, than places: Int) -> Bool {
        var scale = 1.0
        for _ in 0..<Swift.max(0, places) { scale *= 10 }
        let scaled = d * scale
        return Swift.abs(scaled - scaled.rounded()) > 1e-6 * Swift.max(1, Swift.abs(scaled))
    }
}
