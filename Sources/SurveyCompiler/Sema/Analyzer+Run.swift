import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Analyses and lowers a main file whose includes are already loaded.
    mutating func run(_ root: SourceUnit) -> SurveyDefinition? {
        guard let header = root.header else {
            report(Messages.missingHeader(SourceRange(file: root.file, start: 0, end: min(1, root.file.bytes.count))))
            return nil
        }
        var seen: Set<String> = []
        for l in header.languages {
            if !seen.insert(l.text).inserted {
                report(Messages.duplicateLanguage(l.text, at: l.range))
            } else {
                languages.append(LanguageCode(l.text))
            }
        }
        if languages.isEmpty { report(Messages.headerIncomplete("'languages' line (e.g. languages hu en)", at: header.name.range)) }
        if header.version == nil { report(Messages.headerIncomplete("'version' (e.g. version \"2026.1\")", at: header.name.range)) }
        defaultSpecials = header.specials.map { parseSpecials($0) } ?? []
        let title = lowerText(header.title, what: "the survey title", at: header.name.range, scope: .topLevel)
        collectSymbols(root.decls)
        inferCalculationTypes()
        let (items, _) = lowerDecls(root.decls, rosters: [], group: nil)
        checkRosterCounts(items)
        let outcome = lowerOutcome(header)
        let targets = lowerTargets(outcome: outcome)
        for name in answerSetOrder {
            if let set = answerSets[name], !set.used, let decl = set.decl {
                report(Messages.unusedAnswerSet(name, at: decl.name.range))
            }
        }
        for name in phraseOrder where phrases[name]?.used == false {
            if let decl = phrases[name]?.decl { report(Messages.unusedPhrase(name, at: decl.name.range)) }
        }
        checkCycles()
        var sets = answerSetOrder.compactMap { answerSets[$0]?.set }
        if yesNoUsed, answerSets["YESNO"] == nil { sets.append(yesNoSet()) }
        return SurveyDefinition(
            id: SurveyID(header.name.text), version: header.version ?? "", title: title ?? LocalizedText([:]),
            languages: languages, outcome: outcome, answerSets: sets, items: items, targets: targets)
    }

    /// Infers calculation types in declaration order, so most look-ups are already memoised.
    mutating func inferCalculationTypes() {
        for name in variableOrder {
            guard let v = variables[name], case .calculation = v.kind else { continue }
            _ = type(of: v, at: v.range)
        }
    }

    mutating func lowerOutcome(_ header: SurveyHeader) -> OutcomeSpec? {
        guard let variable = header.outcomeVariable else { return nil }
        guard let v = variables[variable.text] else {
            report(
                Messages.undefined("variable", variable.text, at: variable.range, suggestion: suggest(to: variable.text, in: variableOrder))
            )
            return nil
        }
        let t = type(of: v, at: variable.range)
        if t != .choice, t != .unknown {
            report(Messages.typeMismatch("the visit-outcome variable must be a single choice, found \(t)", at: variable.range))
        }
        return OutcomeSpec(variable: VariableName(variable.text), completeCode: header.outcomeCode ?? 0)
    }
}
