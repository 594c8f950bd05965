import SurveyDiagnostics
import SurveyModel

/// What a variable name stands for.
enum VariableKind: Sendable {
    case question(TypeAST)
    case note
    case calculation(CalculateDecl)
    /// The "other, specify" text of a choice question.
    case other(of: String)
}

/// A variable declared somewhere in the questionnaire (side table of name resolution).
struct VariableSymbol: Sendable {
    var name: String
    var range: SourceRange
    var kind: VariableKind
    /// Enclosing rosters, outermost first.
    var rosters: [String]
}

enum GroupSymbolKind: String, Sendable {
    case section, grid, roster
}

struct GroupSymbol: Sendable {
    var name: String
    var range: SourceRange
    var kind: GroupSymbolKind
    /// Enclosing rosters, outermost first (not including itself).
    var rosters: [String]
}

struct PhraseSymbol: Sendable {
    var decl: PhraseDecl
    var used: Bool
}

struct AnswerSetSymbol: Sendable {
    var decl: AnswerSetDecl?
    var set: AnswerSet
    var used: Bool
}

/// Names reserved by SPSS (any case) and Stata (exact case).
enum ReservedNames {
    static let spss: Set<String> = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"]
    static let stata: Set<String> = [
        "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N", "_pi",
        "_pred", "_rc", "_skip", "strL", "using", "with",
    ]

    /// The tool that reserves `name`, if any.
    static func reservingTool(_ name: String) -> String? {
        if spss.contains(name.uppercased()) { return "SPSS" }
        if stata.contains(name) { return "Stata" }
        if name.hasPrefix("str"), name.count > 3, name.dropFirst(3).allSatisfy(\.isNumber) { return "Stata" }
        return nil
    }
}

extension Analyzer {
    /// Registers every answer set, variable and group of the expanded declarations.
    mutating func collectSymbols(_ decls: [Decl]) {
        collectAnswerSets(decls)
        collectNames(decls, rosters: [])
    }

    private mutating func collectAnswerSets(_ decls: [Decl]) {
        for decl in decls {
            switch decl {
            case .answers(let a): registerAnswerSet(a)
            case .phrase(let p): registerPhrase(p)
            case .include(let inc): if let unit = inc.unit { collectAnswerSets(unit.decls) }
            case .section(let s): collectAnswerSets(s.body)
            case .roster(let r): collectAnswerSets(r.body)
            default: break
            }
        }
    }

    private mutating func registerPhrase(_ p: PhraseDecl) {
        if let first = phrases[p.name.text] {
            diagnostics.append(Messages.duplicate("phrase", p.name.text, at: p.name.range, first: first.decl.name.range))
            return
        }
        phrases[p.name.text] = PhraseSymbol(decl: p, used: false)
        phraseOrder.append(p.name.text)
    }

    private mutating func registerAnswerSet(_ a: AnswerSetDecl) {
        if let existing = answerSets[a.name.text] {
            if let first = existing.decl?.name.range {
                diagnostics.append(Messages.duplicate("answer set", a.name.text, at: a.name.range, first: first))
            } else {
                diagnostics.append(
                    Diagnostic("E0403", .error, "answer set '\(a.name.text)' is built in", at: a.name.range))
            }
            return
        }
        if a.options.isEmpty { diagnostics.append(Messages.emptyAnswerSet(a.name.text, at: a.name.range)) }
        var options: [Option] = []
        var seen: [Int: SourceRange] = [:]
        for o in a.options {
            if let first = seen[o.code] {
                diagnostics.append(Messages.duplicateCode(o.code, in: a.name.text, at: o.codeRange, first: first))
                continue
            }
            seen[o.code] = o.codeRange
            let label = lowerText(o.label, what: "option \(o.code) of '\(a.name.text)'", at: o.codeRange, scope: .topLevel)
            var option = Option(code: o.code, label: label ?? LocalizedText([:]))
            for flag in o.flags {
                switch flag.text {
                case "other": option.other = true
                case "exclusive": option.exclusive = true
                case "best": option.best = true
                default: option.fixed = true
                }
            }
            if option.other || option.exclusive { option.fixed = true }
            options.append(option)
        }
        checkBest(a, options)
        answerSets[a.name.text] = AnswerSetSymbol(decl: a, set: AnswerSet(id: AnswerSetID(a.name.text), options: options), used: false)
        answerSetOrder.append(a.name.text)
    }

    /// `best` marks one end of a scale: one option, the lowest or highest of the set's codes
    /// (other than `other` and `exclusive` ones), and not itself `other` or `exclusive` (E0505).
    private mutating func checkBest(_ a: AnswerSetDecl, _ options: [Option]) {
        let best = options.filter(\.best)
        guard !best.isEmpty else { return }
        func range(_ code: Int) -> SourceRange {
            let o = a.options.first { $0.code == code }
            return o?.flags.first { $0.text == "best" }?.range ?? o?.codeRange ?? a.name.range
        }
        let scale = options.filter { !$0.other && !$0.exclusive }.map(\.code)
        for o in best {
            if o.other || o.exclusive {
                diagnostics.append(
                    Messages.badBest(
                        "'best' marks an end of a scale; option \(o.code) of '\(a.name.text)' is '\(o.other ? "other" : "exclusive")'",
                        at: range(o.code)))
            } else if o.code != scale.min() && o.code != scale.max() {
                diagnostics.append(
                    Messages.badBest(
                        "'best' marks an end of a scale, but \(o.code) is neither the lowest (\(scale.min() ?? 0)) nor the highest"
                            + " (\(scale.max() ?? 0)) code of '\(a.name.text)'", at: range(o.code)))
            }
        }
        if best.count > 1 {
            diagnostics.append(
                Messages.badBest(
                    "only one end of '\(a.name.text)' can be 'best'; codes \(best.map { String($0.code) }.joined(separator: " and ")) are both marked",
                    at: range(best[1].code)))
        }
    }

    private mutating func collectNames(_ decls: [Decl], rosters: [String]) {
        collectNamesInner(decls, rosters: rosters)
    }

    /// Registers the names of a group's body and remembers them as the group's members.
    private mutating func collectGroup(_ name: String, _ decls: [Decl], rosters: [String]) {
        let before = variableOrder.count
        collectNames(decls, rosters: rosters)
        groupMembers[name, default: []].append(contentsOf: variableOrder[before...])
    }

    private mutating func collectNamesInner(_ decls: [Decl], rosters: [String]) {
        for decl in decls {
            switch decl {
            case .include(let inc): if let unit = inc.unit { collectNames(unit.decls, rosters: rosters) }
            case .question(let q):
                registerVariable(VariableSymbol(name: q.name.text, range: q.name.range, kind: .question(q.type), rosters: rosters))
                registerOther(of: q.name, type: q.type, properties: q.properties, rosters: rosters)
            case .note(let n):
                registerVariable(VariableSymbol(name: n.name.text, range: n.name.range, kind: .note, rosters: rosters))
            case .calculate(let c):
                registerVariable(VariableSymbol(name: c.name.text, range: c.name.range, kind: .calculation(c), rosters: rosters))
            case .grid(let g):
                registerGroup(GroupSymbol(name: g.name.text, range: g.name.range, kind: .grid, rosters: rosters))
                let before = variableOrder.count
                defer { groupMembers[g.name.text, default: []].append(contentsOf: variableOrder[before...]) }
                for item in g.items {
                    registerVariable(
                        VariableSymbol(name: item.name.text, range: item.name.range, kind: .question(g.type), rosters: rosters))
                    registerOther(of: item.name, type: g.type, properties: g.properties, rosters: rosters)
                }
            case .section(let s):
                registerGroup(GroupSymbol(name: s.name.text, range: s.name.range, kind: .section, rosters: rosters))
                collectGroup(s.name.text, s.body, rosters: rosters)
            case .roster(let r):
                registerGroup(GroupSymbol(name: r.name.text, range: r.name.range, kind: .roster, rosters: rosters))
                var route: [String] = r.count.map(Analyzer.names(in:)) ?? []
                for p in r.properties { if case .when(let e) = p.kind { route += Analyzer.names(in: e) } }
                rosterRouteNames[r.name.text] = route
                collectGroup(r.name.text, r.body, rosters: rosters + [r.name.text])
            case .answers, .phrase, .end, .check, .targets: break
            }
        }
    }

    /// The answer set of a choice type, if it has an "other" option, registers `<var>_oth`.
    private mutating func registerOther(of name: Ident, type: TypeAST, properties: [Property], rosters: [String]) {
        let setName: String
        switch type {
        case .single(let s), .multiple(let s): setName = s.text
        default: return
        }
        guard let set = answerSets[setName], set.set.options.contains(where: \.other) else { return }
        var otherName = Ident(text: name.text + "_oth", range: name.range)
        for p in properties { if case .other(let o) = p.kind, let n = o.name { otherName = n } }
        registerVariable(VariableSymbol(name: otherName.text, range: otherName.range, kind: .other(of: name.text), rosters: rosters))
    }

    mutating func registerVariable(_ v: VariableSymbol) {
        if let first = variables[v.name] {
            diagnostics.append(Messages.duplicate("variable", v.name, at: v.range, first: first.range))
            return
        }
        let folded = v.name.lowercased()
        if let other = foldedNames[folded], let first = variables[other] {
            diagnostics.append(Messages.caseClash(v.name, other: other, at: v.range, first: first.range))
        } else {
            foldedNames[folded] = v.name
        }
        validateExportName(v)
        variables[v.name] = v
        variableOrder.append(v.name)
    }

    private mutating func registerGroup(_ g: GroupSymbol) {
        if let first = groups[g.name] {
            diagnostics.append(Messages.duplicate(g.kind.rawValue, g.name, at: g.range, first: first.range))
            return
        }
        groups[g.name] = g
    }

    /// SPSS/Stata validity of a variable name and, for multiple choice, of its dummies.
    private mutating func validateExportName(_ v: VariableSymbol) {
        let name = v.name
        if name.utf8.count > 32 {
            diagnostics.append(Messages.invalidName(name, reason: "longer than 32 characters", at: v.range))
        } else if name.first == "_" {
            diagnostics.append(Messages.invalidName(name, reason: "it must start with a letter", at: v.range))
        } else if let tool = ReservedNames.reservingTool(name) {
            diagnostics.append(Messages.reservedName(name, tool: tool, at: v.range))
        }
        if case .question(.multiple(let setName)) = v.kind, let set = answerSets[setName.text], name.utf8.count <= 32 {
            let longest = set.set.options.map { "\(name)_\($0.code < 0 ? "m\(-$0.code)" : String($0.code))" }
                .max { $0.utf8.count < $1.utf8.count }
            if let longest, longest.utf8.count > 32 {
                diagnostics.append(Messages.dummyTooLong(longest, at: v.range))
            }
        }
    }
}

extension Analyzer {
    /// The plain names an expression mentions (syntactically; iterative).
    static func names(in e: ExprAST) -> [String] {
        var out: [String] = []
        var stack = [e]
        while let x = stack.popLast() {
            switch x.kind {
            case .name(let n): out.append(n)
            case .index(let n, let r):
                out.append(n.text)
                stack.append(r)
            case .unary(_, let a): stack.append(a)
            case .binary(_, let a, let b): stack += [a, b]
            case .call(_, let args): stack += args
            case .list(let items): stack += items
            default: break
            }
        }
        return out
    }
}
