import Foundation
import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    mutating func lowerQuestion(_ q: QuestionDecl, rosters: [String]) -> [Node] {
        let scope = ExprScope(rosters: rosters)
        let name = q.name.text
        let b = bag(q.properties, allowed: Analyzer.allowedProperties(for: q.type), on: "a question of this type")
        let saved = beginRule()
        let kind = lowerKind(q.type, range: q.typeRange, bag: b, scope: scope)
        let what = "question '\(name)'"
        let text = lowerText(b.text, what: what, at: q.name.range, scope: scope)
        let hint = lowerText(b.hint, what: "the hint of \(what)", at: q.name.range, scope: scope, required: false)
        let conditionReadsStart = reads.refs.count
        let condition = b.when.map { checkCondition($0, scope: scope) }
        recordEdges(name, Array(reads.refs[conditionReadsStart...]))
        let defaultRule = lowerDefault(b, type: Analyzer.valueType(of: q.type), scope: scope)
        endRule(restoring: saved)
        let label = lowerText(b.label, what: "the label of \(what)", at: q.name.range, scope: scope, required: false, allowBare: true)
        let checks = lowerChecks(b.checks, owner: name, scope: scope)
        checkPseudonym(b, valueType: kind.valueType, what: what)
        let question = Question(
            name: VariableName(name), kind: kind, text: text ?? LocalizedText([:]), hint: hint,
            label: exportLabel(label, text: text), condition: condition, required: !b.optional, specials: specials(b),
            pii: b.pii, interviewerOnly: b.interviewer, preload: b.preload, defaultValue: defaultRule, checks: checks)
        var nodes: [Node] = [.question(question)]
        if let follow = otherFollowUp(of: question, at: q.name.range, type: q.type, bag: b, scope: scope) {
            nodes.append(.question(follow))
        }
        return nodes
    }

    /// `pii pseudonym` is for identifiers: texts and whole numbers (E0805).
    mutating func checkPseudonym(_ b: PropertyBag, valueType: ValueType?, what: String) {
        guard b.pii == .pseudonym, let r = b.ranges["pii"] else { return }
        if valueType != .text && valueType != .integer { report(Messages.pseudonymNotIdentifier(what, at: r)) }
    }

    private mutating func lowerDefault(_ b: PropertyBag, type: SemType, scope: ExprScope) -> DefaultRule? {
        guard let (value, condition) = b.defaultValue else { return nil }
        let v = check(value, scope: scope, expecting: [type], role: "the default")
        let c = condition.map { checkCondition($0, scope: scope) }
        return DefaultRule(value: v.expr, condition: c)
    }

    mutating func lowerGrid(_ g: GridDecl, rosters: [String]) -> Node {
        let scope = ExprScope(rosters: rosters)
        let allowed = Analyzer.allowedProperties(for: g.type).subtracting(["label", "default", "preload", "check"])
        let b = bag(g.properties, allowed: allowed, on: "a grid")
        let saved = beginRule()
        let stem = lowerText(b.text, what: "grid '\(g.name.text)'", at: g.name.range, scope: scope, required: false)
        let condition = b.when.map { checkCondition($0, scope: scope) }
        let groupReads = reads.refs
        endRule(restoring: saved)
        let kindSaved = beginRule()
        let kind = lowerKind(g.type, range: g.typeRange, bag: b, scope: scope)
        let kindReads = reads.refs
        reads = kindSaved
        let hint = lowerText(b.hint, what: "the hint of grid '\(g.name.text)'", at: g.name.range, scope: scope, required: false)
        checkPseudonym(b, valueType: kind.valueType, what: "grid '\(g.name.text)'")
        routeReads.append(groupReads)
        var children: [Node] = []
        for item in g.items {
            let ib = bag(item.properties, allowed: ["when", "label", "check"], on: "a grid item")
            let name = item.name.text
            let itemSaved = beginRule()
            reads.refs = kindReads
            let text = lowerText(item.text, what: "item '\(name)'", at: item.name.range, scope: scope)
            let conditionStart = reads.refs.count
            let itemCondition = ib.when.map { checkCondition($0, scope: scope) }
            recordEdges(name, Array(reads.refs[conditionStart...]))
            endRule(restoring: itemSaved)
            let label = lowerText(
                ib.label, what: "the label of '\(name)'", at: item.name.range, scope: scope, required: false, allowBare: true)
            let checks = lowerChecks(ib.checks, owner: name, scope: scope)
            let question = Question(
                name: VariableName(name), kind: kind, text: text ?? LocalizedText([:]), hint: hint,
                label: exportLabel(label, text: text), condition: itemCondition, required: !b.optional,
                specials: specials(b), pii: b.pii, interviewerOnly: b.interviewer, checks: checks)
            children.append(.question(question))
            if let follow = otherFollowUp(of: question, at: item.name.range, type: g.type, bag: b, scope: scope) {
                children.append(.question(follow))
            }
        }
        routeReads.removeLast()
        if g.items.isEmpty { report(Messages.badValue("grid '\(g.name.text)' has no items", at: g.name.range)) }
        return .group(Group(id: GroupID(g.name.text), kind: .grid, text: stem, condition: condition, children: children))
    }

    /// The "other, specify" text question following a choice question whose set has `other` options.
    private mutating func otherFollowUp(
        of q: Question, at range: SourceRange, type: TypeAST, bag b: PropertyBag, scope: ExprScope
    ) -> Question? {
        let setName: String
        let multiple: Bool
        switch type {
        case .single(let s): (setName, multiple) = (s.text, false)
        case .multiple(let s): (setName, multiple) = (s.text, true)
        default: return nil
        }
        guard let set = answerSets[setName]?.set else { return nil }
        let codes = set.options.filter(\.other).map(\.code)
        guard !codes.isEmpty else {
            if let o = b.other { report(Messages.badValue("answer set '\(setName)' has no option marked 'other'", at: o.range)) }
            return nil
        }
        let name = b.other?.name?.text ?? "\(q.name.rawValue)_oth"
        let variable = Expr.variable(q.name)
        let condition: Expr
        if multiple {
            condition = codes.dropFirst().reduce(Expr.binary(.in, .literal(.integer(codes[0])), variable)) {
                .binary(.or, $0, .binary(.in, .literal(.integer($1)), variable))
            }
        } else if codes.count == 1 {
            condition = .binary(.equal, variable, .literal(.integer(codes[0])))
        } else {
            condition = .binary(.in, variable, .list(codes.map { .literal(.integer($0)) }))
        }
        var text = LocalizedText(
            Dictionary(
                uniqueKeysWithValues: languages.map {
                    ($0, $0.rawValue == "hu" ? "Egyéb, éspedig:" : "Other, please specify:")
                }))
        let saved = beginRule()
        if let o = b.other, let t = o.text {
            text = lowerText(t, what: "the 'other' text of '\(q.name)'", at: o.range, scope: scope) ?? text
        }
        noteRead(q.name.rawValue, at: b.other?.range ?? range)
        recordEdges(name, reads.refs)
        endRule(restoring: saved)
        return Question(
            name: VariableName(name), kind: .text(maxLength: b.other?.maxLength ?? 200, pattern: nil), text: text,
            label: LocalizedText(text.texts.mapValues { _ in "\(q.name): other, specified" }), condition: condition,
            required: true, specials: q.specials, pii: q.pii, interviewerOnly: q.interviewerOnly, otherOf: q.name)
    }

    /// Checks and lowers a question type with its type-specific properties.
    mutating func lowerKind(_ type: TypeAST, range: SourceRange, bag b: PropertyBag, scope: ExprScope) -> QuestionKind {
        switch type {
        case .single(let set):
            return .singleChoice(choiceSpec(set, bag: b, scope: scope))
        case .multiple(let set):
            let spec = choiceSpec(set, bag: b, scope: scope)
            if let lo = b.min, let hi = b.max, lo > hi, let r = b.ranges["max"] { report(Messages.boundsOrder(r)) }
            if let lo = b.min, lo < 0, let r = b.ranges["min"] { report(Messages.badValue("'min' cannot be negative", at: r)) }
            if let hi = b.max, hi < 1, let r = b.ranges["max"] { report(Messages.badValue("'max' must be at least 1", at: r)) }
            return .multipleChoice(spec, min: b.min, max: b.max)
        case .yesno:
            yesNoUsed = true
            return .singleChoice(ChoiceSpec(answerSet: "YESNO"))
        case .integer(let r):
            let (lo, hi) = bounds(r, type: .integer, scope: scope)
            return .integer(min: lo, max: hi)
        case .decimal(let r):
            let (lo, hi) = bounds(r, type: .decimal, scope: scope)
            let written = [r?.lower, r?.upper].compactMap { e -> Int? in
                if case .decimal(_, let p)? = e?.kind { return p } else { return nil }
            }
            return .decimal(min: lo, max: hi, places: written.max() ?? 2)
        case .scale(let r, let labels):
            return lowerScale(r, labels: labels, at: range)
        case .text:
            let maxLength = b.maxLength ?? 200
            if maxLength < 1, let r = b.ranges["maxlength"] { report(Messages.badValue("'maxlength' must be at least 1", at: r)) }
            if let (pattern, r) = b.pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                report(Messages.badPattern(pattern, at: r))
            }
            return .text(maxLength: max(1, maxLength), pattern: b.pattern?.0)
        case .date(let r):
            let (lo, hi) = bounds(r, type: .date, scope: scope)
            return .date(min: lo, max: hi)
        case .time:
            return .time
        case .datetime(let r):
            let (lo, hi) = bounds(r, type: .datetime, scope: scope)
            return .datetime(min: lo, max: hi)
        }
    }

    private mutating func choiceSpec(_ set: Ident, bag b: PropertyBag, scope: ExprScope) -> ChoiceSpec {
        useAnswerSet(set)
        var filterScope = scope
        filterScope.allowsOption = true
        let filter = b.filter.map { checkCondition($0, scope: filterScope, role: "a filter") }
        return ChoiceSpec(answerSet: AnswerSetID(set.text), filter: filter, randomize: b.randomize)
    }

    /// Marks an answer set as used, reporting it when undefined.
    mutating func useAnswerSet(_ set: Ident) {
        if set.text == "YESNO", answerSets["YESNO"] == nil {
            yesNoUsed = true
            return
        }
        guard answerSets[set.text] != nil else {
            report(Messages.undefined("answer set", set.text, at: set.range, suggestion: suggest(to: set.text, in: answerSetOrder)))
            return
        }
        answerSets[set.text]?.used = true
    }

    private mutating func lowerScale(_ r: RangeAST?, labels: Ident?, at range: SourceRange) -> QuestionKind {
        func constant(_ e: ExprAST?, _ what: String) -> Int? {
            guard let e else {
                report(Messages.notConstant("the \(what) of a scale", at: r?.range ?? range))
                return nil
            }
            if case .integer(let v) = e.kind { return v }
            report(Messages.notConstant("the \(what) of a scale", at: e.range))
            return nil
        }
        let lo = constant(r?.lower, "lower bound") ?? 0
        let hi = constant(r?.upper, "upper bound") ?? lo
        if lo > hi, let r { report(Messages.boundsOrder(r.range)) }
        if let labels { useAnswerSet(labels) }
        return .scale(min: lo, max: hi, labels: labels.map { AnswerSetID($0.text) })
    }

    /// Checks range bounds against the question's type and, when both are constants, their order.
    private mutating func bounds(_ r: RangeAST?, type: SemType, scope: ExprScope) -> (Expr?, Expr?) {
        guard let r else { return (nil, nil) }
        func bound(_ e: ExprAST?) -> Expr? {
            guard let e else { return nil }
            let t = checkExpr(e, scope: scope)
            let ok = t.type == .unknown || t.type == type || (type == .decimal && t.type == .integer)
            if !ok { report(Messages.typeMismatch("this bound is \(t.type), but the question is \(type)", at: e.range)) }
            return t.expr
        }
        let lo = bound(r.lower), hi = bound(r.upper)
        if let lo, let hi, let a = Analyzer.constantOrder(lo), let b = Analyzer.constantOrder(hi), a > b {
            report(Messages.boundsOrder(r.range))
        } else if case .literal(.date(let a))? = lo, case .literal(.date(let b))? = hi, a > b {
            report(Messages.boundsOrder(r.range))
        } else if case .literal(.datetime(let a))? = lo, case .literal(.datetime(let b))? = hi, a > b {
            report(Messages.boundsOrder(r.range))
        }
        return (lo, hi)
    }

    /// A comparable number for a constant bound (days for dates).
    static func constantOrder(_ e: Expr) -> Double? {
        switch e {
        case .literal(.integer(let v)): Double(v)
        case .literal(.decimal(let v)): v
        default: nil
        }
    }
}
