/// The limits a question's definition sets on its values by itself, with no other answer
/// needed: type-specific bounds given as constants, codes in the answer set, the number of
/// codes and exclusive ones, decimal places, a scale's range, a text's `maxlength`. The merge
/// checks every answer of a bundle with it, and the sample import every preloaded value.
public struct ValueLimits: Sendable {
    /// The question's kind: all the limits read (not the whole `Question`, which every copy of
    /// the limits retained field by field).
    let kind: QuestionKind
    /// The codes of the question's answer set (nil: not a choice question, or unknown).
    let codes: Set<Int>?
    /// Its exclusive codes ("none of these").
    let exclusive: Set<Int>

    /// Limits from precomputed code sets (a reader checking many values of one definition).
    public init(question: Question, codes: Set<Int>?, exclusive: Set<Int>) {
        self.kind = question.kind
        self.codes = codes
        self.exclusive = exclusive
    }

    /// Limits from the definition's answer sets.
    public init(question: Question, answerSets: [AnswerSetID: AnswerSet]) {
        let set = question.kind.answerSet.flatMap { answerSets[$0] }
        self.init(
            question: question, codes: set.map { Set($0.options.map(\.code)) },
            exclusive: Set(set?.options.filter(\.exclusive).map(\.code) ?? []))
    }

    /// What is wrong with a value of the right type, or nil.
    public func problem(with value: Value) -> String? {
        switch (kind, value) {
        case (.singleChoice(let spec), .choice(let code)):
            return codes?.contains(code) == false ? "code \(code), not in its answer set \(spec.answerSet)" : nil
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
            guard text.utf8.count > maxLength else { return nil }  // never more characters than bytes
            let length = text.count
            return length > maxLength ? "a text of \(length) characters, longer than its maxlength \(maxLength)" : nil
        default:
            return nil
        }
    }

    private func choicesProblem(_ chosen: [Int], _ spec: ChoiceSpec, min: Int?, max: Int?) -> String? {
        if let code = chosen.first(where: { codes?.contains($0) == false }) {
            return "code \(code), not in its answer set \(spec.answerSet)"
        }
        if chosen.count < (min ?? 1) { return "\(chosen.count) codes, fewer than \(min ?? 1)" }
        if let max, chosen.count > max { return "\(chosen.count) codes, more than \(max)" }
        if chosen.count > 1, let only = chosen.first(where: { exclusive.contains($0) }) {
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
    public static func constant(_ e: Expr?) -> Value? {
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

extension QuestionKind {
    /// The answer set of a choice question (nil for any other kind).
    public var answerSet: AnswerSetID? {
        switch self {
        case .singleChoice(let spec), .multipleChoice(let spec, _, _): spec.answerSet
        default: nil
        }
    }
}
