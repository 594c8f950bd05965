import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Replaces includes by the declarations of the included files.
    func flatten(_ decls: [Decl]) -> [Decl] {
        var out: [Decl] = []
        for d in decls {
            if case .include(let inc) = d {
                if let unit = inc.unit { out.append(contentsOf: flatten(unit.decls)) }
            } else {
                out.append(d)
            }
        }
        return out
    }

    /// Lowers a list of declarations in one group (or at the top when `group` is nil).
    mutating func lowerDecls(_ decls: [Decl], rosters: [String], group: String?) -> (nodes: [Node], checks: [CheckAST]) {
        var nodes: [Node] = []
        var checks: [CheckAST] = []
        var endedAt: SourceRange? = nil
        for decl in flatten(decls) {
            if let end = endedAt, let (what, range) = describe(decl) {
                report(Messages.unreachable(what, at: range, end: end))
                endedAt = nil
            }
            switch decl {
            case .include, .answers, .phrase: break
            case .question(let q): nodes.append(contentsOf: lowerQuestion(q, rosters: rosters))
            case .note(let n): nodes.append(lowerNote(n, rosters: rosters))
            case .calculate(let c): nodes.append(lowerCalculation(c, rosters: rosters))
            case .grid(let g): nodes.append(lowerGrid(g, rosters: rosters))
            case .section(let s): nodes.append(lowerSection(s, rosters: rosters))
            case .roster(let r): nodes.append(lowerRoster(r, rosters: rosters))
            case .end(let e):
                nodes.append(lowerEnd(e, rosters: rosters))
                if e.condition == nil { endedAt = e.range }
            case .check(let c):
                if group == nil {
                    report(
                        Messages.propertyNotAllowed(
                            c.severity == .error ? "error" : "warn", on: "the top level (put group checks in a section)", at: c.range))
                } else {
                    checks.append(c)
                }
            case .targets(let t):
                if group == nil {
                    targetDecls.append(t)
                } else {
                    report(
                        Messages.propertyNotAllowed("targets", on: "a section or roster (declare targets at the top level)", at: t.keyword))
                }
            }
        }
        return (nodes, checks)
    }

    private func describe(_ decl: Decl) -> (String, SourceRange)? {
        switch decl {
        case .question(let q): ("question '\(q.name.text)'", q.name.range)
        case .note(let n): ("note '\(n.name.text)'", n.name.range)
        case .calculate(let c): ("calculation '\(c.name.text)'", c.name.range)
        case .grid(let g): ("grid '\(g.name.text)'", g.name.range)
        case .section(let s): ("section '\(s.name.text)'", s.name.range)
        case .roster(let r): ("roster '\(r.name.text)'", r.name.range)
        case .end(let e): ("this end", e.range)
        case .include, .answers, .phrase, .check, .targets: nil
        }
    }

    /// Records the cycle-relevant edges of a variable: what its value or route reads.
    mutating func recordEdges(_ name: String, _ refs: [(name: String, range: SourceRange)]) {
        let all = refs + routeReads.flatMap { $0 }
        edges[name, default: []].append(contentsOf: all.filter { !otherRowReads.contains("\($0.range.file.path):\($0.range.start)") })
    }

    /// Lowers the checks of an owner (a variable or a group), naming them `chk_<owner>[_n]`.
    mutating func lowerChecks(_ checks: [CheckAST], owner: String, scope: ExprScope) -> [Check] {
        var out: [Check] = []
        var n = 0
        for c in checks {
            n += 1
            let id = c.name?.text ?? (n == 1 ? "chk_\(owner)" : "chk_\(owner)_\(n)")
            let idRange = c.name?.range ?? c.range
            if let first = checkIDs[id] {
                report(Messages.duplicate("check", id, at: idRange, first: first))
            } else {
                checkIDs[id] = idRange
            }
            let saved = beginRule()
            let condition = checkCondition(c.condition, scope: scope, role: "a check's condition")
            let message = lowerText(c.message, what: "check '\(id)'", at: c.range, scope: scope)
            endRule(restoring: saved)
            out.append(Check(id: CheckID(id), severity: c.severity, condition: condition, message: message ?? LocalizedText([:])))
        }
        return out
    }

    /// The export label: the explicit label, or the text cut to 80 characters.
    func exportLabel(_ explicit: LocalizedText?, text: LocalizedText?) -> LocalizedText? {
        if let explicit { return explicit }
        guard let text, !text.texts.isEmpty else { return nil }
        return LocalizedText(text.texts.mapValues { String($0.prefix(80)) })
    }

    mutating func lowerNote(_ n: NoteDecl, rosters: [String]) -> Node {
        let scope = ExprScope(rosters: rosters)
        let b = bag(n.properties, allowed: ["text", "hint", "label", "when", "pii", "interviewer"], on: "a note")
        let saved = beginRule()
        let what = "note '\(n.name.text)'"
        let text = lowerText(b.text, what: what, at: n.name.range, scope: scope)
        let hint = lowerText(b.hint, what: "the hint of \(what)", at: n.name.range, scope: scope, required: false)
        let condition = b.when.map { checkCondition($0, scope: scope) }
        recordEdges(n.name.text, reads.refs)
        endRule(restoring: saved)
        let label = lowerText(b.label, what: "the label of \(what)", at: n.name.range, scope: scope, required: false, allowBare: true)
        checkPseudonym(b, valueType: nil, what: what)
        return .question(
            Question(
                name: VariableName(n.name.text), kind: .note, text: text ?? LocalizedText([:]), hint: hint,
                label: exportLabel(label, text: text), condition: condition, required: false, specials: [], pii: b.pii,
                interviewerOnly: b.interviewer))
    }

    mutating func lowerCalculation(_ c: CalculateDecl, rosters: [String]) -> Node {
        let scope = ExprScope(rosters: rosters)
        let b = bag(c.properties, allowed: ["label", "when", "pii", "interviewer", "check"], on: "a calculation")
        let saved = beginRule()
        let t = checkExpr(c.expr, scope: scope)
        if t.type != .unknown { reportSilentlySkippedInputs(t.expr, calculation: c.name.text, at: c.expr.range) }
        let condition = b.when.map { checkCondition($0, scope: scope) }
        recordEdges(c.name.text, reads.refs)
        endRule(restoring: saved)
        calcTypes[c.name.text] = t.type
        var valueType = ValueType.integer
        switch t.type {
        case .value(let v): valueType = v
        case .list: report(Messages.typeMismatch("a list cannot be calculated; lists only follow 'in'", at: c.expr.range))
        case .unknown: break
        }
        let label = lowerText(
            b.label, what: "the label of '\(c.name.text)'", at: c.name.range, scope: scope, required: false, allowBare: true)
        let checks = lowerChecks(b.checks, owner: c.name.text, scope: scope)
        if case .value = t.type { checkPseudonym(b, valueType: valueType, what: "calculation '\(c.name.text)'") }
        return .question(
            Question(
                name: VariableName(c.name.text), kind: .calculated(t.expr, valueType), label: label, condition: condition,
                required: false, specials: [], pii: b.pii, interviewerOnly: b.interviewer, checks: checks))
    }

    mutating func lowerSection(_ s: SectionDecl, rosters: [String]) -> Node {
        let scope = ExprScope(rosters: rosters)
        let b = bag(s.properties, allowed: ["title", "when", "check"], on: "a section")
        let saved = beginRule()
        let title = lowerText(b.title, what: "section '\(s.name.text)'", at: s.name.range, scope: scope, required: false)
        let condition = b.when.map { checkCondition($0, scope: scope) }
        let groupReads = reads.refs
        endRule(restoring: saved)
        routeReads.append(groupReads)
        let (children, groupChecks) = lowerDecls(s.body, rosters: rosters, group: s.name.text)
        routeReads.removeLast()
        let checks = lowerChecks(b.checks + groupChecks, owner: s.name.text, scope: scope)
        return .group(
            Group(id: GroupID(s.name.text), kind: .section, title: title, condition: condition, checks: checks, children: children))
    }

    mutating func lowerRoster(_ r: RosterDecl, rosters: [String]) -> Node {
        let outer = ExprScope(rosters: rosters)
        let inner = ExprScope(rosters: rosters + [r.name.text])
        let b = bag(r.properties, allowed: ["title", "rowlabel", "when", "check"], on: "a roster")
        let saved = beginRule()
        let title = lowerText(b.title, what: "roster '\(r.name.text)'", at: r.name.range, scope: outer, required: false)
        let condition = b.when.map { checkCondition($0, scope: outer) }
        var count: Expr? = nil
        if let c = r.count {
            let t = checkExpr(c, scope: outer)
            if t.type != .integer, t.type != .unknown { report(Messages.rosterCount(t.type.description, at: c.range)) }
            count = t.expr
            if case .name(let n) = c.kind, case .question? = variables[n]?.kind {
                rosterCounts.append(
                    RosterCountUse(
                        roster: r.name.text, variable: Ident(text: n, range: c.range), maxRows: r.maxRows ?? 200,
                        maxRange: r.maxRange, rosterRange: r.name.range))
            }
        }
        let routeOfRows = reads.refs
        let rowLabel = lowerText(b.rowLabel, what: "the row label of '\(r.name.text)'", at: r.name.range, scope: inner, required: false)
        endRule(restoring: saved)
        let maxRows = r.maxRows ?? 200
        if maxRows < 1, let range = r.maxRange { report(Messages.badValue("a roster needs at least 1 row", at: range)) }
        routeReads.append(routeOfRows)
        let (children, groupChecks) = lowerDecls(r.body, rosters: rosters + [r.name.text], group: r.name.text)
        routeReads.removeLast()
        let checks = lowerChecks(b.checks + groupChecks, owner: r.name.text, scope: inner)
        let spec = RosterSpec(count: count, maxRows: max(1, maxRows), rowLabel: rowLabel)
        return .group(
            Group(id: GroupID(r.name.text), kind: .roster(spec), title: title, condition: condition, checks: checks, children: children))
    }

    mutating func lowerEnd(_ e: EndDecl, rosters: [String]) -> Node {
        let scope = ExprScope(rosters: rosters)
        let b = bag(e.properties, allowed: ["text"], on: "an end")
        let saved = beginRule()
        let condition = e.condition.map { checkCondition($0, scope: scope, role: "an end's condition") }
        let message = lowerText(b.text, what: "this end", at: e.range, scope: scope, required: false)
        endRule(restoring: saved)
        return .end(EndRule(condition: condition, outcome: e.outcome, message: message))
    }
}
