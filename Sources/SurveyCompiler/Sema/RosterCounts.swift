import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Checks every roster counted by a question against that question: a count that accepts
    /// don't know / refused, or has no constant upper bound, can leave the roster without rows
    /// (W0208); a count whose upper bound is above the roster's `max` can ask for rows the roster
    /// cannot hold (E0209).
    mutating func checkRosterCounts(_ items: [Node]) {
        guard !rosterCounts.isEmpty else { return }
        let wanted = Set(rosterCounts.map { VariableName($0.variable.text) })
        var questions: [VariableName: Question] = [:]
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .question(let q) where wanted.contains(q.name): questions[q.name] = q
                case .group(let g): walk(g.children)
                default: break
                }
            }
        }
        walk(items)
        for use in rosterCounts {
            guard let q = questions[VariableName(use.variable.text)], let declared = variables[use.variable.text] else { continue }
            let upper: Int?
            switch q.kind {
            case .integer(_, let max): upper = max.flatMap(Analyzer.constantInteger)
            case .scale(_, let max, _): upper = max
            default: continue
            }
            if !q.specials.isEmpty {
                report(
                    Messages.rosterCountSpecials(
                        use.roster, count: use.variable.text, specials: q.specials, at: use.variable.range, declared: declared.range))
            }
            guard let upper else {
                report(
                    Messages.rosterCountUnbounded(
                        use.roster, count: use.variable.text, maxRows: use.maxRows, at: use.variable.range, declared: declared.range))
                continue
            }
            if upper > use.maxRows {
                report(
                    Messages.rosterMaxBelowCount(
                        use.roster, maxRows: use.maxRows, count: use.variable.text, upper: upper,
                        at: use.maxRange ?? use.rosterRange, declared: declared.range))
            }
        }
    }

    /// The value of a whole-number constant bound (`15`, `-1`).
    static func constantInteger(_ e: Expr) -> Int? {
        switch e {
        case .literal(.integer(let v)): v
        case .unary(.negate, .literal(.integer(let v))): -v
        default: nil
        }
    }
}
