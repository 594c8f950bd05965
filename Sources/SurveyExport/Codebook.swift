import SurveyModel

/// The codebook of an export: every variable with its question text, type, codes and labels,
/// routing condition, PII flag and frequencies, as Markdown or self-contained HTML.
public struct Codebook: Sendable {
    public let schema: ExportSchema
    public let definition: SurveyDefinition
    public let frequencies: Frequencies?
    /// The definitions of the schema's other versions, for variables the main one lacks.
    public let versionDefinitions: [DefinitionHash: SurveyDefinition]

    /// A codebook; `versionDefinitions` gives the definitions of a merged schema's versions
    /// (``ExportSchema/versions``), so a variable of an older version shows its own question.
    public init(
        schema: ExportSchema, definition: SurveyDefinition, frequencies: Frequencies? = nil,
        versionDefinitions: [DefinitionHash: SurveyDefinition] = [:]
    ) {
        self.schema = schema
        self.definition = definition
        self.frequencies = frequencies
        self.versionDefinitions = versionDefinitions
    }

    public func markdown() -> String { CodebookRenderer.markdown(blocks()) }

    public func html() -> String { CodebookRenderer.html(blocks(), title: "Codebook: \(schema.title)") }

    // MARK: Document model

    enum Block: Equatable {
        case heading(Int, String)
        case paragraph(String)
        /// A table with a header row; cells are plain text.
        case table([String], [[String]])
    }

    private var hu: Bool { schema.language.rawValue == "hu" }

    func blocks() -> [Block] {
        let index = SurveyIndex(definition)
        let indexes = versionDefinitions.mapValues(SurveyIndex.init)
        var out: [Block] = [
            .heading(1, "Codebook: \(schema.title) (\(schema.survey) \(schema.version))"),
            .paragraph("Language of labels: \(schema.language). " + personalData()),
            .paragraph(missingConventions()),
        ]
        if schema.versions.count > 1 {
            out.append(
                .paragraph(
                    "Questionnaire versions, newest first: " + schema.versions.map(\.description).joined(separator: ", ")
                        + ". Variables of some versions only are empty for interviews of the others; `<name>_v<version>` holds"
                        + " an older version's values where the question changed type or the meaning of a code (see the export log)."))
        }
        out += variableIndex()
        for table in schema.tables {
            let rows = frequencies?.rows[table.name].map { ", \($0) rows" } ?? ""
            let level =
                table.roster.map { "roster `\($0)`, keys " + table.variables.prefix(table.keyCount).map(\.name).joined(separator: ", ") }
                ?? "interview level"
            out.append(.heading(2, "Table \(table.name): \(table.label) (\(level)\(rows))"))
            for v in table.variables {
                // A variable of some versions only: the question as the newest of them has it.
                let own = v.versions.flatMap { held in schema.versions.first { held.contains($0.hash) } }
                out += variableBlocks(v, table: table, index: own.flatMap { indexes[$0.hash] } ?? index)
            }
        }
        return out
    }

    /// Every variable in one table, alphabetically, with its table and label.
    private func variableIndex() -> [Block] {
        var rows: [[String]] = []
        for table in schema.tables {
            for v in table.variables { rows.append([v.name, table.name, v.label]) }
        }
        rows.sort { ($0[0].lowercased(), $0[1]) < ($1[0].lowercased(), $1[1]) }
        return [.heading(2, "Variable index"), .table(["Variable", "Table", "Label"], rows)]
    }

    /// What happened to personal data: left out, pseudonymised, kept.
    private func personalData() -> String {
        let variables = schema.tables.flatMap(\.variables).filter(\.pii)
        var parts: [String] = []
        if !schema.droppedPII.isEmpty { parts.append("left out: " + schema.droppedPII.map(\.rawValue).joined(separator: ", ")) }
        let pseudonyms = variables.filter(\.isPseudonym).map(\.name)
        if !pseudonyms.isEmpty { parts.append("keyed pseudonyms: " + pseudonyms.joined(separator: ", ")) }
        let kept = variables.filter { !$0.isPseudonym }.map(\.name)
        if !kept.isEmpty { parts.append("kept as collected: " + kept.joined(separator: ", ")) }
        return "Personal data: " + (parts.isEmpty ? "none." : parts.joined(separator: "; ") + ".")
    }

    private func missingConventions() -> String {
        let c = schema.specialCodes
        let parts = [SpecialAnswer.notApplicable, .dontKnow, .refused].map { s in
            "\(c.code(for: s)) = \(BuiltinLabels.special(s, schema.language)) (Stata .\(StataMissing.letter(s)))"
        }
        return "Special answers: " + parts.joined(separator: "; ")
            + ". They are SPSS user-missing values and Stata extended missing values; CSV and JSON hold the codes."
            + " An empty cell (SPSS system missing, Stata .) means not answered; that includes an answer that no"
            + " longer fitted an earlier answer it depended on (a choice filter, a range bound or a roster count"
            + " changed afterwards) and was not corrected, which is never exported as a value."
    }

    private func variableBlocks(_ v: ExportVariable, table: ExportTable, index: SurveyIndex) -> [Block] {
        var facts: [[String]] = []
        let entry = v.source.question.flatMap { index[$0] }
        if let text = v.question { facts.append(["Question", text]) }
        if let text = v.instruction { facts.append(["Instruction", text]) }
        if let held = v.versions {
            let names = schema.versions.filter { held.contains($0.hash) }.map(\.description).joined(separator: ", ")
            facts.append(["Versions", "only interviews of \(names); empty for the others"])
        }
        facts.append(["Type", typeText(v)])
        facts.append(["Measure", v.measure.rawValue])
        if let best = v.valueLabels.flatMap({ schema.valueLabelSets[$0] })?.bestEnd(of: v.type.codeRange) {
            facts.append(["Best end", best])
        }
        if let entry { facts.append(["Route", Codebook.route(entry, index: index)]) }
        if case .calculated(let e, _) = entry?.question.kind { facts.append(["Computed as", ExprText.render(e)]) }
        facts.append(["PII", !v.pii ? "no" : v.isPseudonym ? "yes, keyed pseudonym" : "yes, as collected"])
        let stats = frequencies?.stats(table: table.name, variable: v.name)
        if let s = stats { facts.append(["Counts", countsText(s, v)]) }
        var out: [Block] = [.heading(3, "\(v.name): \(v.label)"), .table(["", ""], facts)]
        if let name = v.valueLabels, let set = schema.valueLabelSets[name], !v.type.isString {
            let rows = set.labels.map { value, label -> [String] in
                let code: String, n: Int?
                switch value {
                case .code(let c): (code, n) = (String(c), stats?.codes[c] ?? (stats == nil ? nil : 0))
                case .special(let s):
                    (code, n) = (String(schema.specialCodes.code(for: s)), stats.map { $0.specials[s] ?? 0 })
                }
                return [code, label] + (stats == nil ? [] : [n.map(String.init) ?? ""])
            }
            let labelled = Set(set.labels.compactMap { if case .code(let c) = $0.value { c } else { nil } })
            let unlabelled = (stats?.codes.keys.filter { !labelled.contains($0) } ?? []).sorted()
            let extra = unlabelled.map { [String($0), "", String(stats?.codes[$0] ?? 0)] }
            out.append(.table(["Code", "Label"] + (stats == nil ? [] : ["n"]), rows + extra))
        }
        return out
    }

    private func typeText(_ v: ExportVariable) -> String {
        var text: String
        switch v.type {
        case .integer(let r): text = "integer \(r.lowerBound)–\(r.upperBound)"
        case .decimal(let p): text = "number with \(p) decimals"
        case .date: text = "date (SPSS DATE, Stata %td, ISO text in CSV)"
        case .datetime: text = "date and time, UTC (SPSS DATETIME, Stata %tc)"
        case .localDatetime: text = "local date and time (SPSS DATETIME, Stata %tc, ISO 8601 text in CSV)"
        case .string(let w): text = "text, at most \(w) bytes"
        }
        switch v.source {
        case .indicator(let q, let code): text += "; 1 if code \(code) was ticked in \(q), else 0"
        case .checkConfirmed: text += "; 1 if the interviewer confirmed this soft check"
        case .pseudonymised: text += "; keyed pseudonym (HMAC-SHA256) of the answer"
        case .rowNumber: text += "; row number within the roster"
        default: break
        }
        return text
    }

    /// The conditions that put a question on route, in questionnaire syntax ("always" without).
    static func route(_ entry: SurveyIndex.Entry, index: SurveyIndex) -> String {
        let conditions = entry.ancestors.compactMap { index.groups[$0]?.condition } + [entry.question.condition].compactMap { $0 }
        guard !conditions.isEmpty else { return "always" }
        return conditions.map { c -> String in
            if case .binary(.or, _, _) = c { return "(\(ExprText.render(c)))" }
            return ExprText.render(c)
        }.joined(separator: " and ")
    }

    private func countsText(_ s: VariableStats, _ v: ExportVariable) -> String {
        let empty = v.versions == nil ? "not answered" : "empty (not answered, or an interview of another version)"
        var parts = ["\(s.valid) valid", "\(s.empty) \(empty)"]
        for sp in [SpecialAnswer.notApplicable, .dontKnow, .refused] {
            if let n = s.specials[sp], n > 0 { parts.append("\(n) × \(schema.specialCodes.code(for: sp))") }
        }
        if s.codes.isEmpty, let lo = s.min, let hi = s.max, let mean = s.mean, !v.type.isString {
            switch v.type {
            case .integer, .decimal:
                parts.append(
                    "min \(NumberText.decimal(lo)), max \(NumberText.decimal(hi)), mean \(NumberText.decimal((mean * 100).rounded() / 100))"
                )
            case .date:
                parts.append("from \(LocalDate(daysSinceEpoch: Int(lo))) to \(LocalDate(daysSinceEpoch: Int(hi)))")
            case .localDatetime:
                let text = { (ms: Double) in Calendar1970.isoDateTime(milliseconds: Int64(ms), zone: "") }
                parts.append("from \(text(lo)) to \(text(hi))")
            default: break
            }
        }
        return parts.joined(separator: ", ")
    }
}
