import SurveyModel

extension ExportSchema {
    /// Derives the export tables of a definition (pure; no data is read).
    ///
    /// Throws when a name breaks SPSS/Stata rules, e.g. a multiple-choice indicator that
    /// would exceed 32 characters or two names equal ignoring case in one table.
    public init(definition: SurveyDefinition, options: ExportOptions = ExportOptions()) throws(ExportError) {
        if let asked = options.language, !definition.languages.isEmpty, !definition.languages.contains(asked) {
            throw .unknownLanguage(asked.rawValue, available: definition.languages.map(\.rawValue))
        }
        var builder = SchemaBuilder(definition: definition, options: options)
        builder.build()
        for roster in options.wideRosters { try builder.widen(roster) }
        self.init(builder: builder)
        for table in tables { try NameRules.check(table) }
    }

    /// The schema a builder filled (names not yet checked).
    init(builder: SchemaBuilder) {
        let definition = builder.definition
        self.init(
            survey: definition.id, version: definition.version, language: builder.language,
            title: definition.title.text(in: builder.language, fallbacks: definition.languages) ?? definition.id.rawValue,
            specialCodes: definition.specialCodes, tables: builder.tables, valueLabelSets: builder.labelSets,
            pii: builder.options.pii.treatment, droppedPII: builder.droppedPII, pseudonymise: builder.pseudonymise)
    }
}

/// Walks a definition once, filling tables in questionnaire order.
struct SchemaBuilder {
    let definition: SurveyDefinition
    let options: ExportOptions
    let language: LanguageCode
    let index: SurveyIndex
    let texts: ExportTexts
    var tables: [ExportTable] = []
    var labelSets: [String: ValueLabelSet] = [:]
    var droppedPII: [VariableName] = []
    var pseudonymise: (@Sendable (String) -> String)?
    /// Questions treated as personal data even where this definition does not mark them so
    /// (another version of the survey does), with the strictest kind any version gives.
    let alsoPII: [VariableName: PersonalData]

    init(definition: SurveyDefinition, options: ExportOptions, alsoPII: [VariableName: PersonalData] = [:]) {
        self.definition = definition
        self.options = options
        self.alsoPII = alsoPII
        self.language = options.language ?? definition.languages.first ?? LanguageCode("en")
        self.index = SurveyIndex(definition)
        self.texts = ExportTexts(index: index, language: language)
        if case .pseudonymise(_, let f) = options.pii { pseudonymise = f } else { pseudonymise = options.identifiers?.make }
    }

    /// The stricter of two personal-data kinds (direct personal data is left out by default).
    static func stricter(_ a: PersonalData, _ b: PersonalData) -> PersonalData {
        a == .direct || b == .direct ? .direct : a == .pseudonym || b == .pseudonym ? .pseudonym : .notPersonal
    }

    mutating func build() {
        addBuiltinLabelSets()
        for set in definition.answerSets { addAnswerSet(set) }
        tables.append(
            ExportTable(
                name: definition.id.rawValue, roster: nil, rosterPath: [],
                label: text(definition.title) ?? definition.id.rawValue,
                variables: keyVariables(path: []) + provenanceVariables()))
        walk(definition.items, path: [], tableIndex: 0)
    }

    private mutating func walk(_ nodes: [Node], path: [GroupID], tableIndex: Int) {
        for node in nodes {
            switch node {
            case .question(let q):
                tables[tableIndex].variables += variables(for: q)
                tables[tableIndex].variables += q.checks.filter { $0.severity == .warning }.map(checkVariable)
            case .group(let g):
                var inner = path, innerIndex = tableIndex
                if case .roster = g.kind {
                    inner.append(g.id)
                    innerIndex = tables.count
                    tables.append(
                        ExportTable(
                            name: "\(definition.id.rawValue)_\(g.id.rawValue)", roster: g.id, rosterPath: inner,
                            label: g.title.flatMap(text) ?? g.id.rawValue, variables: keyVariables(path: inner)))
                }
                tables[innerIndex].variables += g.checks.filter { $0.severity == .warning }.map(checkVariable)
                walk(g.children, path: inner, tableIndex: innerIndex)
            case .end:
                break
            }
        }
    }

    /// Moves a small top-level roster into the interview table: one variable per row (`m_age_1` …).
    mutating func widen(_ roster: GroupID) throws(ExportError) {
        guard let t = tables.firstIndex(where: { $0.roster == roster }) else {
            throw .cannotWiden(roster: roster.rawValue, reason: "there is no roster of that name")
        }
        let table = tables[t]
        guard table.rosterPath.count == 1, !tables.contains(where: { $0.rosterPath.count > 1 && $0.rosterPath[0] == roster })
        else { throw .cannotWiden(roster: roster.rawValue, reason: "only a top-level roster without nested rosters can be wide") }
        var maxRows = 0
        if case .roster(let spec)? = index.groups[roster]?.kind { maxRows = spec.maxRows }
        guard (1...30).contains(maxRows) else {
            throw .cannotWiden(roster: roster.rawValue, reason: "it may have \(maxRows) rows; wide format is for at most 30")
        }
        for r in 1...maxRows {
            for v in table.variables.dropFirst(table.keyCount) {
                var w = v
                w.name = "\(v.name)_\(r)"
                w.label = "\(v.label) [\(r)]"
                w.source = .wide(v.source, row: r)
                tables[0].variables.append(w)
            }
        }
        tables.remove(at: t)
    }

    // MARK: Variables

    private func keyVariables(path: [GroupID]) -> [ExportVariable] {
        var out = [
            ExportVariable(
                name: "interview_id", label: BuiltinLabels.interviewID(language),
                type: .string(width: options.stringWidths["interview_id"] ?? 36), measure: .nominal, source: .interviewID)
        ]
        for (depth, roster) in path.enumerated() {
            let max =
                index.groups[roster].flatMap { g -> Int? in
                    if case .roster(let spec) = g.kind { return spec.maxRows } else { return nil }
                } ?? 32_000
            out.append(
                ExportVariable(
                    name: "\(roster.rawValue)_row", label: BuiltinLabels.row(roster.rawValue, language),
                    type: .integer(1...Swift.max(1, max)), measure: .scale, source: .rowNumber(depth: depth)))
        }
        return out
    }

    private func provenanceVariables() -> [ExportVariable] {
        ProvenanceField.allCases.compactMap { f in
            let type: ExportType, measure: MeasureLevel
            var labels: String?
            switch f {
            case .definitionHash: (type, measure) = (.string(width: 64), .nominal)
            case .surveyVersion, .device, .interviewer:
                (type, measure) = (.string(width: options.stringWidths[f.rawValue] ?? 64), .nominal)
            case .startTime, .endTime: (type, measure) = (.datetime, .scale)
            case .durationMinutes: (type, measure) = (.decimal(places: 1), .scale)
            case .outcome:
                (type, measure) = (.integer(-99_999...99_999), .nominal)
                labels = definition.outcome.flatMap { index[$0.variable] }.flatMap { entry -> String? in
                    if case .singleChoice(let spec) = entry.question.kind { return spec.answerSet.rawValue }
                    return nil
                }
            case .conflict, .final:
                (type, measure, labels) = (.integer(0...1), .nominal, BuiltinLabels.boolean)
            case .visits: (type, measure) = (.integer(0...1_000_000), .scale)
            case .review: (type, measure, labels) = (.integer(0...3), .nominal, BuiltinLabels.review)
            }
            var v = ExportVariable(
                name: f.rawValue, label: BuiltinLabels.provenance(f, language), type: type, measure: measure,
                valueLabels: labels, source: .provenance(f))
            // The interviewer's login is an identifier, pseudonymised by default like `pii pseudonym`.
            guard f == .interviewer else { return v }
            switch options.handling(.pseudonym) {
            case .keep: v.pii = true
            case .drop: return nil
            case .pseudonymise(let p):
                (v.type, v.source, v.pii) = (.string(width: p.width), .pseudonymised(.provenance(f)), true)
            }
            return v
        }
    }

    private mutating func variables(for q: Question) -> [ExportVariable] {
        var out = personalOrPlainVariables(for: q)
        let question = texts.plain(q.text).flatMap { $0.isEmpty ? nil : $0 }
        let instruction = texts.plain(q.hint).flatMap { $0.isEmpty ? nil : $0 }
        for i in out.indices { (out[i].question, out[i].instruction) = (question, instruction) }
        return out
    }

    private mutating func personalOrPlainVariables(for q: Question) -> [ExportVariable] {
        if case .note = q.kind { return [] }
        let label = texts.label(of: q.name)
        let kind = SchemaBuilder.stricter(q.pii, alsoPII[q.name] ?? .notPersonal)
        let pii = kind.isPersonal
        switch options.handling(kind) {
        case .keep: break
        case .drop:
            droppedPII.append(q.name)
            return []
        case .pseudonymise(let p):
            return [
                ExportVariable(
                    name: q.name.rawValue, label: label, type: .string(width: p.width), measure: .nominal,
                    declaresSpecials: true, source: .pseudonymised(.answer(q.name)), pii: true)
            ]
        }
        func variable(_ type: ExportType, _ measure: MeasureLevel, _ labels: String?, specials: Bool = true) -> ExportVariable {
            ExportVariable(
                name: q.name.rawValue, label: label, type: type, measure: measure, valueLabels: labels,
                declaresSpecials: specials, source: .answer(q.name), pii: pii)
        }
        switch q.kind {
        case .note:
            return []
        case .singleChoice(let spec):
            return [variable(.integer(codeRange(spec.answerSet)), .nominal, spec.answerSet.rawValue)]
        case .multipleChoice(let spec, _, _):
            let options = index.answerSets[spec.answerSet]?.options ?? []
            return options.map { o in
                let suffix = o.code < 0 ? "m\(-o.code)" : "\(o.code)"
                return ExportVariable(
                    name: "\(q.name.rawValue)_\(suffix)", label: "\(label): \(text(o.label) ?? String(o.code))",
                    type: .integer(0...1), measure: .nominal, valueLabels: BuiltinLabels.selected,
                    declaresSpecials: true, source: .indicator(q.name, code: o.code), pii: pii, setLabel: label)
            }
        case .integer(let min, let max):
            if case .literal(.integer(let lo))? = min, case .literal(.integer(let hi))? = max, lo <= hi {
                return [variable(.integer(lo...hi), .scale, BuiltinLabels.special)]
            }
            return [variable(.decimal(places: 0), .scale, BuiltinLabels.special)]
        case .decimal(_, _, let places):
            return [variable(.decimal(places: places), .scale, BuiltinLabels.special)]
        case .text(let maxLength, _):
            return [variable(.string(width: width(q.name, chars: maxLength)), .nominal, nil)]
        case .date:
            return [variable(.date, .scale, BuiltinLabels.special)]
        case .time:
            return [variable(.string(width: 5), .nominal, nil)]
        case .datetime:
            return [variable(.localDatetime, .scale, BuiltinLabels.special)]
        case .scale(let lo, let hi, let labels):
            return [variable(.integer(Swift.min(lo, hi)...Swift.max(lo, hi)), .ordinal, labels?.rawValue ?? BuiltinLabels.special)]
        case .calculated(_, let type):
            switch type {
            // A number computed from answers can be any number, -8 included (a difference of two
            // ratings): it declares no special codes, and off route it is empty, not -7.
            case .integer: return [variable(.decimal(places: 0), .scale, nil, specials: false)]
            case .decimal: return [variable(.decimal(places: 2), .scale, nil, specials: false)]
            case .boolean: return [variable(.integer(0...1), .nominal, BuiltinLabels.flag)]
            case .date: return [variable(.date, .scale, BuiltinLabels.special)]
            case .datetime: return [variable(.localDatetime, .scale, BuiltinLabels.special)]
            case .choice: return [variable(.integer(-99_999...99_999), .nominal, BuiltinLabels.special)]
            case .text, .time, .choices: return [variable(.string(width: width(q.name, chars: 200)), .nominal, nil)]
            }
        }
    }

    private func checkVariable(_ check: Check) -> ExportVariable {
        let message = texts.plain(check.message) ?? check.id.rawValue
        return ExportVariable(
            name: check.id.rawValue, label: message, type: .integer(0...1), measure: .nominal,
            valueLabels: BuiltinLabels.confirmed, source: .checkConfirmed(check.id))
    }

    // MARK: Helpers

    private func text(_ t: LocalizedText) -> String? { t.text(in: language, fallbacks: definition.languages) }

    private func width(_ name: VariableName, chars: Int) -> Int {
        Swift.max(1, options.stringWidths[name.rawValue] ?? chars * 4)
    }

    private func codeRange(_ id: AnswerSetID) -> ClosedRange<Int> {
        let codes = index.answerSets[id]?.options.map(\.code) ?? []
        return (codes.min() ?? 0)...(codes.max() ?? 0)
    }

    private mutating func addAnswerSet(_ set: AnswerSet) {
        let labels = set.options.map { (value: LabelledValue.code($0.code), label: text($0.label) ?? String($0.code)) }
        labelSets[set.id.rawValue] = ValueLabelSet(
            name: set.id.rawValue, labels: labels + specialLabels(), best: set.options.first(where: \.best)?.code)
    }

    private func specialLabels() -> [(value: LabelledValue, label: String)] {
        [SpecialAnswer.notApplicable, .dontKnow, .refused].map { (.special($0), BuiltinLabels.special($0, language)) }
    }

    private mutating func addBuiltinLabelSets() {
        let lang = language
        func set(_ name: String, _ labels: [(value: LabelledValue, label: String)]) {
            labelSets[name] = ValueLabelSet(name: name, labels: labels)
        }
        set(BuiltinLabels.special, specialLabels())
        set(
            BuiltinLabels.selected,
            [
                (.code(0), BuiltinLabels.selected(false, lang)), (.code(1), BuiltinLabels.selected(true, lang)),
            ] + specialLabels())
        set(
            BuiltinLabels.confirmed,
            [
                (.code(0), BuiltinLabels.confirmed(false, lang)), (.code(1), BuiltinLabels.confirmed(true, lang)),
            ])
        set(BuiltinLabels.boolean, [(.code(0), BuiltinLabels.yesNo(false, lang)), (.code(1), BuiltinLabels.yesNo(true, lang))])
        set(BuiltinLabels.review, ReviewState.allCases.map { (.code($0.rawValue), BuiltinLabels.review($0, lang)) })
        set(
            BuiltinLabels.flag,
            [
                (.code(0), BuiltinLabels.yesNo(false, lang)), (.code(1), BuiltinLabels.yesNo(true, lang)),
            ] + specialLabels())
    }
}
