import SurveyDiagnostics
import SurveyModel

extension Parser {
    /// Parses `final { appointment CODE…  revisit CODE…  CODE… after N visits … }` after `final`.
    mutating func parseVisitRules(keyword: SourceRange) -> VisitRulesAST {
        var rules = VisitRulesAST(keyword: keyword)
        guard expect(.lbrace, "'{' to open the final rules") != nil else { return rules }
        while !atEnd, current.kind != .rbrace {
            if let word = eatKeyword("appointment") {
                rules.appointment += parseOutcomeCodes("the appointment codes", onLineOf: word)
            } else if let word = eatKeyword("revisit") {
                rules.revisit += parseOutcomeCodes("the codes that need another visit", onLineOf: word)
            } else if current.kind == .integer || current.kind == .minus {
                guard let rule = parseVisitRequirement() else {
                    recover(stoppingAt: ["appointment", "revisit"])
                    continue
                }
                rules.requirements.append(rule)
            } else {
                expected("a final rule ('appointment CODE…', 'revisit CODE…' or 'CODE… after N visits …')")
                recover(stoppingAt: ["appointment", "revisit"])
            }
        }
        _ = expect(.rbrace, "'}' to close the final rules")
        return rules
    }

    /// One or more outcome codes, on the line of `word` (the next line starts the next rule).
    private mutating func parseOutcomeCodes(_ what: String, onLineOf word: Token) -> [IntAST] {
        let line = file.location(of: word.start).line
        var codes: [IntAST] = []
        while current.kind == .integer || current.kind == .minus, file.location(of: current.start).line == line {
            guard let (code, r) = expectInteger("an outcome code") else { break }
            codes.append(IntAST(value: code, range: r))
        }
        if codes.isEmpty { expected(what) }
        return codes
    }

    /// `CODE… after N visits [on different days] [, M from TIME [or weekend] | , M at weekend]`.
    private mutating func parseVisitRequirement() -> VisitRequirementAST? {
        let start = current.start
        let codes = parseOutcomeCodes("the outcome codes of the rule", onLineOf: current)
        guard expectKeyword("after", "'after' and the number of visits, e.g. 23 after 3 visits") else { return nil }
        guard let (n, nRange) = expectInteger("the number of visits") else { return nil }
        guard expectKeyword("visits", "'visits' after the number of visits") else { return nil }
        var rule = VisitRequirementAST(
            codes: codes, visits: IntAST(value: n, range: nRange), differentDays: false, late: nil, eveningFrom: nil,
            weekend: false, range: range(from: start))
        if eatKeyword("on") != nil {
            guard expectKeyword("different", "'different days'"), expectKeyword("days", "'days' after 'on different'") else {
                return nil
            }
            rule.differentDays = true
        }
        if eat(.comma) != nil {
            guard let (m, mRange) = expectInteger("how many of the visits must be in the evening or at a weekend") else {
                return nil
            }
            rule.late = IntAST(value: m, range: mRange)
            if eatKeyword("from") != nil {
                guard current.kind == .time else {
                    expected("the time evening visits begin, e.g. @17:00")
                    return nil
                }
                rule.eveningFrom = advance().timeValue
                if eatKeyword("or") != nil {
                    guard expectKeyword("weekend", "'weekend' after 'or'") else { return nil }
                    rule.weekend = true
                }
            } else if eatKeyword("at") != nil {
                guard expectKeyword("weekend", "'weekend' after 'at'") else { return nil }
                rule.weekend = true
            } else {
                expected("'from @17:00', 'from @17:00 or weekend' or 'at weekend'")
                return nil
            }
        }
        rule.range = range(from: start)
        return rule
    }

    /// Consumes the keyword, or reports what was expected.
    private mutating func expectKeyword(_ word: String, _ what: String) -> Bool {
        if eatKeyword(word) != nil { return true }
        expected(what)
        return false
    }
}
