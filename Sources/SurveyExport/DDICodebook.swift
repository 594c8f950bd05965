import Foundation
import SurveyModel

/// The export's documentation as DDI-Codebook 2.5 XML (`<survey>_ddi.xml`), the format Survey
/// Solutions, the IHSN Metadata Editor and data archives read: the study (title, version,
/// collection mode, personal-data handling), one `fileDscr` per table (its CSV, cases and
/// variables), multiple-response sets as `varGrp`, and per variable its label, question text
/// and instruction, the route as its universe, summary statistics, categories with their
/// counts (special answers marked missing), the favourable end of its scale and its format.
///
/// Elements follow the order of the DDI-Codebook 2.5 schema (`codebook.xsd`); the test
/// `DDICodebookTests` checks every element against that order.
public struct DDICodebook: Sendable {
    public let schema: ExportSchema
    public let definition: SurveyDefinition
    public let frequencies: Frequencies?
    public let versionDefinitions: [DefinitionHash: SurveyDefinition]
    /// The production date written into the citation.
    public let produced: Date

    public init(
        schema: ExportSchema, definition: SurveyDefinition, frequencies: Frequencies? = nil,
        versionDefinitions: [DefinitionHash: SurveyDefinition] = [:], produced: Date = Date()
    ) {
        self.schema = schema
        self.definition = definition
        self.frequencies = frequencies
        self.versionDefinitions = versionDefinitions
        self.produced = produced
    }

    public func xml() -> String {
        var x = XMLText()
        x.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        x.open("codeBook", ["xmlns": "ddi:codebook:2_5", "version": "2.5", "ID": "\(schema.survey)", "xml:lang": schema.language.rawValue])
        documentDescription(&x)
        studyDescription(&x)
        for (t, table) in schema.tables.enumerated() { file(table, number: t + 1, &x) }
        x.open("dataDscr")
        var ids: [String: String] = [:]
        var n = 0
        for (t, table) in schema.tables.enumerated() {
            for v in table.variables {
                n += 1
                ids["\(t)/\(v.name)"] = "V\(n)"
            }
        }
        for (t, table) in schema.tables.enumerated() {
            for set in table.responseSets {
                let members = set.variables.compactMap { ids["\(t)/\($0.name)"] }.joined(separator: " ")
                x.open("varGrp", ["ID": "G\(t + 1)_\(set.name.dropFirst())", "type": "multipleResp", "var": members, "name": set.name])
                x.element("labl", set.label)
                x.close("varGrp")
            }
        }
        let index = SurveyIndex(definition)
        let indexes = versionDefinitions.mapValues(SurveyIndex.init)
        for (t, table) in schema.tables.enumerated() {
            for v in table.variables {
                let own = v.versions.flatMap { held in schema.versions.first { held.contains($0.hash) } }
                variable(
                    v, table: table, id: ids["\(t)/\(v.name)"] ?? "", file: "F\(t + 1)",
                    index: own.flatMap { indexes[$0.hash] } ?? index, &x)
            }
        }
        x.close("dataDscr")
        x.close("codeBook")
        return x.text
    }

    private var producedDate: String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: produced)
    }

    private func documentDescription(_ x: inout XMLText) {
        x.open("docDscr")
        x.open("citation")
        x.open("titlStmt")
        x.element("titl", "Codebook: \(schema.title)")
        x.close("titlStmt")
        x.open("prodStmt")
        x.element("prodDate", producedDate, ["date": producedDate])
        x.element("software", "terep export")
        x.close("prodStmt")
        x.close("citation")
        x.close("docDscr")
    }

    private func studyDescription(_ x: inout XMLText) {
        x.open("stdyDscr")
        x.open("citation")
        x.open("titlStmt")
        x.element("titl", schema.title)
        x.element("IDNo", schema.survey.rawValue)
        x.close("titlStmt")
        x.open("verStmt")
        x.element("version", schema.version)
        if schema.versions.count > 1 {
            x.element(
                "notes",
                "Interviews of several questionnaire versions in one schema, newest first: "
                    + schema.versions.map(\.description).joined(separator: ", "))
        }
        x.close("verStmt")
        x.close("citation")
        x.open("stdyInfo")
        x.open("sumDscr")
        x.element("anlyUnit", "Interviews; roster tables hold one row per roster row")
        x.close("sumDscr")
        x.element("notes", personalData(), ["subject": "personal data"])
        x.close("stdyInfo")
        x.open("method")
        x.open("dataColl")
        x.element("collMode", "Computer-assisted personal interviewing (terep terminal interviewer)")
        x.element(
            "cleanOps",
            "Off-route answers exported as not applicable; multi-device conflicts resolved by the central"
                + " merge order (iv_conflict = 1); corrections from the analysts' corrections file (see the export log)")
        x.close("dataColl")
        let c = schema.specialCodes
        x.element(
            "notes",
            "Special answers: \(c.notApplicable) not applicable (off route), \(c.dontKnow) don't know,"
                + " \(c.refused) refused, all declared missing; an empty cell means not answered.", ["subject": "missing values"])
        x.close("method")
        x.close("stdyDscr")
    }

    private func personalData() -> String {
        let pseudonyms = schema.tables.flatMap(\.variables).filter(\.isPseudonym).map(\.name)
        return "Left out: " + (schema.droppedPII.isEmpty ? "none" : schema.droppedPII.map(\.rawValue).joined(separator: ", "))
            + ". Keyed pseudonyms (HMAC-SHA256): " + (pseudonyms.isEmpty ? "none" : pseudonyms.joined(separator: ", ")) + "."
    }

    private func file(_ table: ExportTable, number: Int, _ x: inout XMLText) {
        x.open("fileDscr", ["ID": "F\(number)", "URI": "\(table.name).csv"])
        x.open("fileTxt")
        x.element("fileName", "\(table.name).csv")
        x.element(
            "fileCont",
            table.roster == nil
                ? "\(table.label): one row per interview"
                : "\(table.label): one row per row of roster \(table.roster?.rawValue ?? ""), keys "
                    + table.variables.prefix(table.keyCount).map(\.name).joined(separator: ", "))
        x.open("dimensns")
        if let rows = frequencies?.rows[table.name] { x.element("caseQnty", String(rows)) }
        x.element("varQnty", String(table.variables.count))
        x.close("dimensns")
        x.element("fileType", "CSV (RFC 4180, UTF-8); also \(table.name).sav and \(table.name).dta", ["charset": "UTF-8"])
        x.close("fileTxt")
        x.close("fileDscr")
    }

    private func variable(_ v: ExportVariable, table: ExportTable, id: String, file: String, index: SurveyIndex, _ x: inout XMLText) {
        var attributes = ["ID": id, "name": v.name, "files": file, "intrvl": v.measure == .scale ? "contin" : "discrete"]
        if case .decimal(let places) = v.type { attributes["dcml"] = String(places) }
        x.open("var", attributes)
        x.element("labl", v.label)
        if v.question != nil || v.instruction != nil {
            x.open("qstn")
            if let q = v.question { x.element("qstnLit", q) }
            if let i = v.instruction { x.element("ivuInstr", i) }
            x.close("qstn")
        }
        if case .integer(let r) = v.type {
            x.open("valrng")
            x.element("range", nil, ["min": String(r.lowerBound), "max": String(r.upperBound)])
            x.close("valrng")
        }
        if let entry = v.source.question.flatMap({ index[$0] }) {
            x.element("universe", Codebook.route(entry, index: index), ["clusion": "I"])
        }
        let stats = frequencies?.stats(table: table.name, variable: v.name)
        if let s = stats { summaryStatistics(s, v, &x) }
        if let set = v.valueLabels.flatMap({ schema.valueLabelSets[$0] }), !v.type.isString { categories(set, stats, v, &x) }
        var notes: [(String, String)] = []
        if let best = v.valueLabels.flatMap({ schema.valueLabelSets[$0] })?.bestEnd(of: v.type.codeRange) {
            notes.append(("best end", "The favourable end of the scale: \(best)."))
        }
        if v.pii {
            notes.append(("personal data", v.isPseudonym ? "A keyed pseudonym of the answer." : "Personal data, kept as collected."))
        }
        if case .indicator(let q, let code) = v.source {
            notes.append(("multiple choice", "1 if code \(code) was ticked in \(q), else 0."))
        }
        x.element("varFormat", nil, format(v))
        for (subject, text) in notes { x.element("notes", text, ["subject": subject]) }
        x.close("var")
    }

    private func summaryStatistics(_ s: VariableStats, _ v: ExportVariable, _ x: inout XMLText) {
        x.element("sumStat", String(s.valid), ["type": "vald"])
        x.element("sumStat", String(s.empty + s.specials.values.reduce(0, +)), ["type": "invd"])
        guard s.codes.isEmpty, !v.type.isString, !v.type.isCalendar, let lo = s.min, let hi = s.max, let mean = s.mean else { return }
        x.element("sumStat", NumberText.decimal(lo), ["type": "min"])
        x.element("sumStat", NumberText.decimal(hi), ["type": "max"])
        x.element("sumStat", NumberText.decimal((mean * 1000).rounded() / 1000), ["type": "mean"])
    }

    private func categories(_ set: ValueLabelSet, _ stats: VariableStats?, _ v: ExportVariable, _ x: inout XMLText) {
        for (value, label) in set.labels {
            var attributes: [String: String] = [:]
            let code: Int, count: Int?
            switch value {
            case .code(let c): (code, count) = (c, stats.map { $0.codes[c] ?? 0 })
            case .special(let s):
                (code, count) = (schema.specialCodes.code(for: s), stats.map { $0.specials[s] ?? 0 })
                attributes["missing"] = "Y"
            }
            x.open("catgry", attributes)
            x.element("catValu", String(code))
            x.element("labl", label)
            if let count { x.element("catStat", String(count), ["type": "freq"]) }
            x.close("catgry")
        }
    }

    private func format(_ v: ExportVariable) -> [String: String] {
        switch v.type {
        case .string: ["type": "character", "schema": "SPSS", "formatname": "A"]
        case .date: ["type": "numeric", "schema": "ISO", "formatname": "YYYY-MM-DD", "category": "date"]
        case .datetime, .localDatetime: ["type": "numeric", "schema": "ISO", "formatname": "YYYY-MM-DDThh:mm:ss", "category": "date"]
        default: ["type": "numeric", "schema": "SPSS", "formatname": "F"]
        }
    }
}

/// An indented XML document written element by element, with text and attributes escaped.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ s: String) { text += String(repeating: "  ", count: depth) + s + "\n" }

    mutating func open(_ name: String, _ attributes: [String: String] = [:]) {
        line("<\(name)\(Self.attributes(attributes))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    /// `<name attr…>text</name>`, or `<name attr…/>` without text.
    mutating func element(_ name: String, _ content: String?, _ attributes: [String: String] = [:]) {
        guard let content else { return line("<\(name)\(Self.attributes(attributes))/>") }
        line("<\(name)\(Self.attributes(attributes))>\(Self.escape(content))</\(name)>")
    }

    private static func attributes(_ a: [String: String]) -> String {
        a.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    /// Text escaped for XML (``MarkupText``, the one escaping of XML and HTML).
    static func escape(_ s: String) -> String { MarkupText.escaped(s) }
}
