import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Checks and lowers `final { … }`: every code is an outcome code other than the complete
    /// one, listed once across the block, and every requirement can be met.
    mutating func lowerVisitRules(_ decl: VisitRulesAST, outcome: OutcomeSpec?) -> VisitRules? {
        guard let outcome else {
            report(
                Messages.badOutcomeCode(
                    "final rules need a visit-outcome variable", at: decl.keyword,
                    help: "declare it in the survey header, e.g. 'outcome outcome complete 11'"))
            return nil
        }
        guard let (set, codes) = outcomeCodes(outcome) else { return nil }
        // The first place each code is written (in source order), so a repeat is reported where it repeats.
        let written = (decl.appointment + decl.revisit + decl.requirements.flatMap(\.codes)).sorted { $0.range.start < $1.range.start }
        var first: [Int: SourceRange] = [:]
        for code in written where first[code.value] == nil { first[code.value] = code.range }
        func accept(_ code: IntAST) -> Bool {
            guard codes.contains(code.value) else {
                report(
                    Messages.badOutcomeCode(
                        "\(code.value) is not a code of '\(outcome.variable)' (answer set '\(set)')", at: code.range,
                        help: "its codes are \(codes.map(String.init).joined(separator: ", "))"))
                return false
            }
            if code.value == outcome.completeCode {
                report(Messages.completeCodeRule(code.value, at: code.range))
                return false
            }
            if let earlier = first[code.value], earlier.start != code.range.start {
                report(Messages.listedTwice("outcome code \(code.value)", at: code.range, first: earlier))
                return false
            }
            return true
        }
        var rules = VisitRules()
        rules.appointment = decl.appointment.filter(accept).map(\.value)
        rules.revisit = decl.revisit.filter(accept).map(\.value)
        for line in decl.requirements {
            let accepted = line.codes.filter(accept).map(\.value)
            guard let requirement = lowerRequirement(line, codes: accepted) else { continue }
            rules.requirements.append(requirement)
        }
        return rules
    }

    private mutating func lowerRequirement(_ line: VisitRequirementAST, codes: [Int]) -> VisitRequirement? {
        guard line.visits.value >= 1 else {
            report(Messages.badValue("the number of visits must be 1 or more, found \(line.visits.value)", at: line.visits.range))
            return nil
        }
        let late = line.late?.value ?? 0
        if let l = line.late, l.value < 1 {
            report(Messages.badValue("the number of evening or weekend visits must be 1 or more, found \(l.value)", at: l.range))
            return nil
        }
        if late > line.visits.value {
            report(
                Messages.unreachableRule(
                    "it asks for \(late) evening or weekend visits among \(line.visits.value)", at: line.late?.range ?? line.range))
            return nil
        }
        guard !codes.isEmpty else { return nil }
        return VisitRequirement(
            codes: codes, visits: line.visits.value, differentDays: line.differentDays, late: late,
            eveningFrom: line.eveningFrom, weekend: line.weekend)
    }
}
