import SurveyDiagnostics
import SurveyModel

extension Parser {
    /// The lines a `targets` block may hold.
    static let targetKeywords: Set<String> = [
        "period", "total", "speeder", "hours", "outcomes", "final", "quota", "monitor", "where",
    ]

    /// Parses `targets { period … total … speeder … hours … outcomes { … } quota … monitor … }`.
    mutating func parseTargets() -> Decl? {
        let keyword = range(of: advance())
        var decl = TargetsDecl(keyword: keyword)
        guard expect(.lbrace, "'{' to open the targets block") != nil else { return .targets(decl) }
        var seen: [String: SourceRange] = [:]
        while !atEnd, current.kind != .rbrace {
            guard current.kind == .identifier, Parser.targetKeywords.contains(current.text) else {
                expected("a targets line (where, period, total, speeder, hours, outcomes, final, quota or monitor)")
                recover(stoppingAt: Parser.targetKeywords)
                continue
            }
            let word = current.text
            let wordRange = currentRange
            if word != "quota", word != "monitor" {
                if let first = seen[word] {
                    decl.repeated.append((word, wordRange, first))
                } else {
                    seen[word] = wordRange
                }
            }
            advance()
            switch word {
            case "period": decl.period = parsePeriod(from: wordRange.start)
            case "total": decl.total = expectCount("the total number of completed interviews wanted")
            case "speeder": decl.speeder = expectCount("the speeder limit in minutes")
            case "hours": decl.hours = parseHours(from: wordRange.start)
            case "outcomes":
                decl.outcomesKeyword = decl.outcomesKeyword ?? wordRange
                decl.dispositions += parseDispositions()
            case "where": decl.scope = parseScope(from: wordRange.start)
            case "final": decl.visitRules = parseVisitRules(keyword: wordRange)
            default: if let q = parseQuota(monitorOnly: word == "monitor", keyword: wordRange) { decl.quotas.append(q) }
            }
        }
        _ = expect(.rbrace, "'}' to close the targets block")
        return .targets(decl)
    }

    /// A whole number as written (sign included), for counts the analyser checks.
    private mutating func expectCount(_ what: String) -> IntAST? {
        guard let (value, r) = expectInteger(what) else { return nil }
        return IntAST(value: value, range: r)
    }

    /// `DATE .. DATE`.
    private mutating func parsePeriod(from start: Int) -> (first: LocalDate, last: LocalDate, range: SourceRange)? {
        guard current.kind == .date else {
            expected("the first day of fieldwork, e.g. @2026-10-01")
            return nil
        }
        guard let first = advance().dateValue else { return nil }  // an invalid literal, already reported
        guard expect(.dotdot, "'..' and the last day of fieldwork") != nil else { return nil }
        guard current.kind == .date else {
            expected("the last day of fieldwork, e.g. @2026-12-15")
            return nil
        }
        guard let last = advance().dateValue else { return nil }  // an invalid literal, already reported
        return (first, last, range(from: start))
    }

    /// `TIME .. TIME`.
    private mutating func parseHours(from start: Int) -> (from: TimeOfDay, to: TimeOfDay, range: SourceRange)? {
        guard current.kind == .time else {
            expected("the start of the working day, e.g. @08:00")
            return nil
        }
        guard let from = advance().timeValue else { return nil }  // an invalid literal, already reported
        guard expect(.dotdot, "'..' and the end of the working day") != nil else { return nil }
        guard current.kind == .time else {
            expected("the end of the working day, e.g. @20:00")
            return nil
        }
        guard let to = advance().timeValue else { return nil }  // an invalid literal, already reported
        return (from, to, range(from: start))
    }

    /// `CONDITION [else LANG "…" …]` after `where`.
    private mutating func parseScope(from start: Int) -> ScopeAST {
        let condition = parseExpression()
        let text = file.text(in: condition.range.start..<condition.range.end)
        var leftOut: TextAST? = nil
        if let e = eatKeyword("else") { leftOut = parseText(after: range(of: e)) }
        return ScopeAST(condition: condition, text: text, leftOut: leftOut, range: range(from: start))
    }

    /// `{ complete 11  partial 12  refusal 21 22 … }`.
    private mutating func parseDispositions() -> [DispositionAST] {
        var out: [DispositionAST] = []
        guard expect(.lbrace, "'{' to open the outcome classes") != nil else { return [] }
        let classes = Disposition.allCases.map(\.rawValue)
        while !atEnd, current.kind != .rbrace {
            guard current.kind == .identifier, let d = Disposition(rawValue: current.text) else {
                expected("an AAPOR class (\(classes.joined(separator: ", ")))")
                recover(stoppingAt: Set(classes))
                continue
            }
            advance()
            var codes: [IntAST] = []
            while current.kind == .integer || current.kind == .minus {
                guard let (code, r) = expectInteger("an outcome code") else { break }
                codes.append(IntAST(value: code, range: r))
            }
            if codes.isEmpty { expected("the outcome codes of class '\(d.rawValue)'") }
            out.append(DispositionAST(disposition: d, codes: codes))
        }
        _ = expect(.rbrace, "'}' to close the outcome classes")
        return out
    }

    /// `VAR, VAR { each N  VALUE… = N [label] … }`; the block is optional for `monitor`.
    private mutating func parseQuota(monitorOnly: Bool, keyword: SourceRange) -> QuotaAST? {
        var variables: [Ident] = []
        repeat {
            guard let v = expectIdent("a variable of the quota") else {
                recover(stoppingAt: Parser.targetKeywords)
                return nil
            }
            variables.append(v)
        } while eat(.comma) != nil
        var quota = QuotaAST(monitorOnly: monitorOnly, keyword: keyword, variables: variables, cells: [], each: nil)
        // A quota's own `where` is on its line; a `where` on a later line is the block's.
        if isKeyword("where"), file.location(of: current.start).line == file.location(of: keyword.start).line {
            let w = advance()
            quota.scope = parseScope(from: w.start)
        }
        if monitorOnly, current.kind != .lbrace { return quota }
        guard expect(.lbrace, "'{' to open the quota's cells") != nil else { return quota }
        while !atEnd, current.kind != .rbrace {
            if eatKeyword("each") != nil {
                if let n = expectCount("the target of every cell") { quota.each = n }
                continue
            }
            guard let cell = parseQuotaCell() else {
                recover(stoppingAt: ["each"])
                continue
            }
            quota.cells.append(cell)
        }
        _ = expect(.rbrace, "'}' to close the quota's cells")
        return quota
    }

    /// `VALUE… [= TARGET] [LANG "label" …]`; nil (after a diagnostic) when it has no value.
    private mutating func parseQuotaCell() -> QuotaCellAST? {
        let start = current.start
        var values: [QuotaValueAST] = []
        while true {
            if current.kind == .string {
                let t = advance()
                values.append(QuotaValueAST(value: .text(t.text), range: range(of: t)))
            } else if current.kind == .integer || current.kind == .minus {
                guard let (code, r) = expectInteger("a cell value") else { return nil }
                values.append(QuotaValueAST(value: .code(code), range: r))
            } else {
                break
            }
        }
        if values.isEmpty {
            expected("a quota cell (its values, '=' and its target, e.g. 1 2 = 40) or 'each'")
            return nil
        }
        var target: IntAST? = nil
        if eat(.assign) != nil { target = expectCount("the cell's target (completed interviews)") }
        var label: TextAST? = nil
        if current.kind == .identifier, peek().kind == .string { label = parseText(after: range(from: start)) }
        return QuotaCellAST(values: values, target: target, label: label, range: range(from: start))
    }
}
