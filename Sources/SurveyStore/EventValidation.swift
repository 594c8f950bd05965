import Foundation
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
package struct EventValidator {
    private var indexes: [DefinitionHash: SurveyIndex] = [:]
    private var codes: [DefinitionHash: AnswerCodes] = [:]

    package init(_ definitions: [DefinitionFile]) {
        for file in definitions {
            let built = Self.built.entry(for: file.survey)
            indexes[file.survey.hash] = built.index
            codes[file.survey.hash] = built.codes
        }
    }

    /// What each bundle built again for its definition (its index, its code sets), kept for the
    /// process: a server or `terep merge` merges many bundles of the same few questionnaires. A
    /// kept entry is used only for an equal definition (found by its hash, then compared whole:
    /// comparing allocates nothing, building the index allocated for every question).
    private static let built = BuiltDefinitions(maxEntries: 8)

    /// Whether events of interviews on this definition can be checked.
    package func knows(_ hash: DefinitionHash) -> Bool { indexes[hash] != nil }

    /// Why the event does not fit the definition, or nil when it does (or cannot be checked).
    package func problem(with kind: InterviewEventKind, definition hash: DefinitionHash) -> String? {
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
            let set = q.kind.answerSet
            let limits = ValueLimits(
                question: q, codes: set.flatMap { codes.all[$0] }, exclusive: set.flatMap { codes.exclusive[$0] } ?? [])
            return limits.problem(with: value).map { "answers \(address) with \($0)" }
        }
    }
}

/// The codes of each answer set of a definition, and its exclusive ones ("none of these").
private struct AnswerCodes: Sendable {
    var all: [AnswerSetID: Set<Int>]
    var exclusive: [AnswerSetID: Set<Int>]
}

/// The index and code sets of the definitions merged lately, by hash; bounded (the oldest makes
/// room), so a stream of different definitions cannot grow it.
private final class BuiltDefinitions: @unchecked Sendable {
    private let maxEntries: Int
    private let lock = NSLock()
    private var kept: [(hash: DefinitionHash, index: SurveyIndex, codes: AnswerCodes)] = []

    init(maxEntries: Int) { self.maxEntries = maxEntries }

    func entry(for survey: CompiledSurvey) -> (index: SurveyIndex, codes: AnswerCodes) {
        // Found by its hash, then compared whole.
        func isIt(_ entry: (hash: DefinitionHash, index: SurveyIndex, codes: AnswerCodes)) -> Bool {
            entry.hash == survey.hash && entry.index.definition == survey.definition
        }
        lock.lock()
        let found = kept.first(where: isIt)
        lock.unlock()
        if let found { return (found.index, found.codes) }
        let index = SurveyIndex(survey.definition)
        let codes = AnswerCodes(
            all: index.answerSets.mapValues { Set($0.options.map(\.code)) },
            exclusive: index.answerSets.mapValues { Set($0.options.filter(\.exclusive).map(\.code)) })
        lock.lock()
        defer { lock.unlock() }
        if !kept.contains(where: isIt) {
            if kept.count >= maxEntries { kept.removeFirst() }
            kept.append((survey.hash, index, codes))
        }
        return (index, codes)
    }
}
