import SurveyDiagnostics
import SurveyModel

extension Analyzer {
    /// Checks a localised text (languages, pipes) and lowers it.
    ///
    /// - Parameters:
    ///   - what: how the owner is named in messages ("question 'x'").
    ///   - at: where to report a missing text.
    ///   - allowBare: a string without a language serves every language (labels only).
    mutating func lowerText(
        _ text: TextAST?, what: String, at owner: SourceRange, scope: ExprScope, required: Bool = true,
        allowBare: Bool = false
    ) -> LocalizedText? {
        guard let text else {
            if required { report(Messages.missingText(what, at: owner)) }
            return nil
        }
        if let name = text.phrase {
            guard let phrase = phrases[name.text] else {
                report(Messages.undefined("phrase", name.text, at: name.range, suggestion: suggest(to: name.text, in: phraseOrder)))
                return nil
            }
            phrases[name.text]?.used = true
            // Pipes in a phrase are checked (and read) where it is used.
            return lowerText(phrase.decl.text, what: what, at: owner, scope: scope, required: required, allowBare: allowBare)
        }
        var out: [LanguageCode: String] = [:]
        var bare: String? = nil
        for entry in text.entries {
            checkPipes(entry.value, at: entry.range, scope: scope)
            guard let lang = entry.language else {
                if !allowBare { report(Messages.textWithoutLanguage(entry.range)) }
                bare = entry.value
                continue
            }
            let code = LanguageCode(lang.text)
            if !languages.contains(code) {
                report(Messages.unknownLanguage(lang.text, declared: languages.map(\.rawValue), at: lang.range))
                continue
            }
            if out[code] != nil {
                report(Messages.duplicateLanguage(lang.text, at: lang.range))
                continue
            }
            out[code] = entry.value
        }
        if let bare {
            if allowBare { for l in languages where out[l] == nil { out[l] = bare } }
            return LocalizedText(out.isEmpty ? Dictionary(uniqueKeysWithValues: languages.map { ($0, bare) }) : out)
        }
        for l in languages where out[l] == nil {
            report(Messages.missingLanguage(l.rawValue, of: what, at: text.range))
        }
        return LocalizedText(out)
    }

    /// Reports malformed and unknown pipes and records the variables piped.
    mutating func checkPipes(_ value: String, at range: SourceRange, scope: ExprScope) {
        guard value.utf8.contains(UInt8(ascii: "{")) || value.utf8.contains(UInt8(ascii: "}")) else { return }
        let (template, problems) = TextTemplate.parse(value)
        for p in problems { report(Messages.badPipe(p.message, at: range)) }
        for name in template.pipedVariables {
            let n = name.rawValue
            guard let v = variables[n] else {
                report(Messages.unknownPipe(n, at: range, suggestion: suggest(to: n, in: variableOrder)))
                continue
            }
            if !scope.rosters.starts(with: v.rosters) {
                report(Messages.outsideRoster(n, roster: v.rosters.first { !scope.rosters.contains($0) } ?? "", at: range))
            }
            if case .note = v.kind { report(Messages.typeMismatch("'{\(n)}' pipes a note, which has no value", at: range)) }
            noteRead(n, at: range)
        }
    }
}
