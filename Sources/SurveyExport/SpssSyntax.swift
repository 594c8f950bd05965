import SurveyModel

/// The SPSS/PSPP syntax file beside a `.sav` (`<table>.sps`): it reads `<table>.csv` and declares
/// everything the `.sav` declares — variable labels, value labels, missing values, measurement
/// levels, formats, multiple-response sets and the question texts and instructions as variable
/// attributes — so the data can be rebuilt from the CSV, and the declarations read and edited.
///
/// Dates and date-times are read as text and converted, so that their special answers get the
/// values the `.sav` gives them (whole days before 14 Oct 1582, see ``SavLayout/specialValue``).
/// Run it from the export directory (`cd` there, or `INSERT FILE='…/x.sps' CD=YES.`).
public struct SpssSyntax {
    public let table: ExportTable
    public let schema: ExportSchema

    public init(table: ExportTable, schema: ExportSchema) {
        self.table = table
        self.schema = schema
    }

    public func text() -> String {
        var out: [String] = [
            "* terep export of survey \(schema.survey) version \(schema.version): table \(table.name).",
            "* Reads \(table.name).csv (UTF-8) and declares what \(table.name).sav declares; run it in the export directory.",
            "* Special answers: -7 not applicable, -8 don't know, -9 refused (user-missing); empty = not answered.",
            "",
        ]
        out += getData()
        out += calendarConversions()
        out += labels()
        out += declarations()
        out += attributes()
        out.append("EXECUTE.")
        out.append("* SAVE OUTFILE='\(table.name)_from_csv.sav'.")
        return out.joined(separator: "\n") + "\n"
    }

    /// Variables read under another name first: dates and date-times, as text.
    private var calendar: [ExportVariable] { table.variables.filter { $0.type.isCalendar } }

    private func readName(_ v: ExportVariable) -> String { v.type.isCalendar ? "\(v.name)_s" : v.name }

    private func getData() -> [String] {
        var out = [
            "GET DATA /TYPE=TXT /FILE='\(table.name).csv' /ENCODING='UTF8'",
            "  /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2 /DELIMITERS=\",\" /QUALIFIER='\"'",
            "  /VARIABLES=",
        ]
        for v in table.variables {
            let format: String
            switch v.type {
            case .date: format = "A10"
            case .datetime, .localDatetime: format = "A20"
            default: format = Self.format(v.type)
            }
            out.append("    \(readName(v)) \(format)")
        }
        out[out.count - 1] += "."
        return out
    }

    /// `COMPUTE` each date from its text; special codes become their days before 1582-10-14.
    private func calendarConversions() -> [String] {
        guard !calendar.isEmpty else { return [] }
        var out: [String] = []
        for v in calendar {
            let s = readName(v)
            // Only texts that are dates: the special codes are set below, empty stays system missing.
            let isDate = "(\(s) <> '' AND SUBSTR(\(s), 1, 1) <> '-')"
            switch v.type {
            case .date: out.append("IF \(isDate) \(v.name) = NUMBER(\(s), SDATE10).")
            default:
                out.append("IF \(isDate) \(v.name) = NUMBER(SUBSTR(\(s), 1, 10), SDATE10) + NUMBER(SUBSTR(\(s), 12, 8), TIME8).")
            }
            for special in [SpecialAnswer.notApplicable, .dontKnow, .refused] {
                let code = schema.specialCodes.code(for: special)
                let value = NumberText.decimal(SavLayout.specialValue(special, codes: schema.specialCodes, type: v.type))
                out.append("IF (\(s) = '\(code)') \(v.name) = \(value).")
            }
        }
        out.append("DELETE VARIABLES \(calendar.map(readName).joined(separator: " ")).")
        out.append("ADD FILES /FILE=* /KEEP=\(table.variables.map(\.name).joined(separator: " ")).")
        return out
    }

    private func labels() -> [String] {
        var out = ["VARIABLE LABELS"]
        let lines = table.variables.map { "  \($0.name) \(Self.quoted(NameRules.cut($0.label, maxBytes: 255)))" }
        out += lines.enumerated().map { i, l in (i == 0 ? "" : " /") + l }
        out[out.count - 1] += "."
        var sets: [String] = []
        for v in table.variables where !v.type.isString {
            guard let name = v.valueLabels, let set = schema.valueLabelSets[name] else { continue }
            let pairs = set.labels.map { value, label -> String in
                let number: Double
                switch value {
                case .code(let c): number = Double(c)
                case .special(let s): number = SavLayout.specialValue(s, codes: schema.specialCodes, type: v.type)
                }
                return "\(NumberText.decimal(number)) \(Self.quoted(NameRules.cut(label, maxBytes: 120)))"
            }
            sets.append("  \(v.name) " + pairs.joined(separator: " "))
        }
        if !sets.isEmpty { out.append("VALUE LABELS\n" + sets.joined(separator: "\n /") + ".") }
        return out
    }

    private func declarations() -> [String] {
        var out: [String] = []
        for v in table.variables where v.declaresSpecials {
            let codes = [SpecialAnswer.notApplicable, .dontKnow, .refused].map { schema.specialCodes.code(for: $0) }
            switch v.type {
            case .string(let width):
                let texts = codes.map(String.init).filter { $0.utf8.count <= Swift.min(8, width) }
                if !texts.isEmpty { out.append("MISSING VALUES \(v.name) (\(texts.map { "'\($0)'" }.joined(separator: ", "))).") }
            case let t where t.isCalendar:
                let range = SavLayout.dateMissingRange(codes: schema.specialCodes)
                out.append("MISSING VALUES \(v.name) (\(NumberText.decimal(range.low)) THRU \(NumberText.decimal(range.high))).")
            default:
                out.append("MISSING VALUES \(v.name) (\(codes.map(String.init).joined(separator: ", "))).")
            }
        }
        for level in [MeasureLevel.nominal, .ordinal, .scale] {
            let names = table.variables.filter { $0.measure == level }.map(\.name)
            if !names.isEmpty { out.append("VARIABLE LEVEL \(names.joined(separator: " ")) (\(level.rawValue.uppercased())).") }
        }
        let formats = table.variables.filter { !$0.type.isString }.map { "\($0.name) (\(Self.format($0.type)))" }
        if !formats.isEmpty { out.append("FORMATS " + formats.joined(separator: " ") + ".") }
        for set in table.responseSets {
            out.append(
                "MRSETS /MDGROUP NAME=\(set.name) LABEL=\(Self.quoted(NameRules.cut(set.label, maxBytes: 255)))"
                    + " VARIABLES=\(set.variables.map(\.name).joined(separator: " ")) VALUE=1.")
        }
        return out
    }

    private func attributes() -> [String] {
        table.variables.compactMap { v in
            let parts = [("Question", v.question), ("Instruction", v.instruction)].compactMap { name, text in
                text.map { "\(name)(\(Self.quoted(SavDictionary.attributeText($0))))" }
            }
            return parts.isEmpty ? nil : "VARIABLE ATTRIBUTE VARIABLES=\(v.name) ATTRIBUTE=\(parts.joined(separator: " "))."
        }
    }

    /// The print format of a type, as SPSS writes it (`F3.0`, `DATE11`, `A36`).
    static func format(_ type: ExportType) -> String {
        let word = Int(SavLayout.format(type, segmentWidth: 255))
        let kind = word >> 16, width = word >> 8 & 0xFF, places = word & 0xFF
        switch kind {
        case 1:
            if case .string(let w) = type { return "A\(Swift.max(1, Swift.min(w, 32_767)))" }
            return "A\(width)"
        case 20: return "DATE\(width)"
        case 22: return "DATETIME\(width)"
        default: return "F\(width).\(places)"
        }
    }

    /// A string in single quotes, quotes doubled, on one line.
    static func quoted(_ s: String) -> String {
        "'" + s.replacingAll("'", with: "''").replacingAll("\n", with: " ").replacingAll("\r", with: " ") + "'"
    }
}
