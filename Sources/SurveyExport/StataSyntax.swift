import SurveyModel

/// The Stata do-file beside a `.dta` (`<table>.do`): it reads `<table>.csv` and declares
/// everything the `.dta` declares — storage types, variable labels, value labels with the
/// extended missing values `.a/.b/.c`, display formats and the question texts and
/// instructions as characteristics — so the data can be rebuilt from the CSV and the
/// declarations read and edited.
///
/// Every column is imported as text; each numeric one is converted with `real()` (dates with
/// `date()`, date-times with `clock()`), the special codes becoming `.a`/`.b`/`.c`. Texts keep
/// `"-8"` as text, as in the `.dta` (Stata strings have no missing values). Run it from the
/// export directory (`cd` there first).
public struct StataSyntax {
    public let table: ExportTable
    public let schema: ExportSchema

    public init(table: ExportTable, schema: ExportSchema) {
        self.table = table
        self.schema = schema
    }

    public func text() -> String {
        var out: [String] = [
            "* terep export of survey \(schema.survey) version \(schema.version): table \(table.name)",
            "* Reads \(table.name).csv (UTF-8) and declares what \(table.name).dta declares; run it in the export directory.",
            "* Special answers: -7 not applicable (.a), -8 don't know (.b), -9 refused (.c); texts keep \"-8\" as text.",
            "version 14",
            "import delimited using \"\(table.name).csv\", varnames(1) stringcols(_all) encoding(\"utf-8\") bindquote(strict) clear",
        ]
        for v in table.variables where !v.type.isString { out += convert(v) }
        out.append("order " + table.variables.map(\.name).joined(separator: " "))
        out += labels()
        for v in table.variables { out.append("format \(v.name) \(DtaColumn(v).format)") }
        for (variable, name, contents) in DtaCharacteristics.entries(table: table, schema: schema) {
            out.append("char \(variable)[\(name)] \(Self.quoted(NameRules.cut(contents, maxBytes: DtaCharacteristics.maxContents)))")
        }
        out.append("* save \"\(table.name)_from_csv.dta\", replace")
        return out.joined(separator: "\n") + "\n"
    }

    /// Text to number: `real()`, `date()` or `clock()`, then the special codes to `.a/.b/.c`.
    private func convert(_ v: ExportVariable) -> [String] {
        let storage: String
        switch DtaColumn(v).storage {
        case .byte: storage = "byte"
        case .int: storage = "int"
        case .long: storage = "long"
        default: storage = "double"
        }
        let value: String
        switch v.type {
        case .date: value = "date(\(v.name), \"YMD\")"
        case .datetime, .localDatetime: value = "clock(subinstr(subinstr(\(v.name), \"T\", \" \", 1), \"Z\", \"\", 1), \"YMDhms\")"
        default: value = "real(\(v.name))"
        }
        let temporary = "\(v.name.prefix(28))_tmp"
        var out = ["generate \(storage) \(temporary) = \(value)"]
        for special in [SpecialAnswer.notApplicable, .dontKnow, .refused] where v.declaresSpecials {
            out.append(
                "replace \(temporary) = .\(StataMissing.letter(special)) if \(v.name) == \"\(schema.specialCodes.code(for: special))\"")
        }
        out.append("drop \(v.name)")
        out.append("rename \(temporary) \(v.name)")
        return out
    }

    private func labels() -> [String] {
        var out = table.variables.map { "label variable \($0.name) \(Self.quoted(NameRules.cut($0.label, maxBytes: 320, maxChars: 80)))" }
        var defined = Set<String>()
        for v in table.variables where !v.type.isString {
            guard let name = v.valueLabels, let set = schema.valueLabelSets[name] else { continue }
            if defined.insert(name).inserted {
                let pairs = set.labels.map { value, label -> String in
                    let key: String
                    switch value {
                    case .code(let c): key = String(c)
                    case .special(let s): key = ".\(StataMissing.letter(s))"
                    }
                    return "\(key) \(Self.quoted(NameRules.cut(label, maxBytes: 32_000)))"
                }
                out.append("label define \(name) \(pairs.joined(separator: " ")), replace")
            }
            out.append("label values \(v.name) \(name)")
        }
        return out
    }

    /// Compound double quotes, with `$` and a backquote escaped so Stata expands no macro in them.
    static func quoted(_ s: String) -> String {
        let safe = s.replacingAll("$", with: "\\$").replacingAll("`", with: "\\`")
            .replacingAll("\n", with: " ").replacingAll("\r", with: " ")
        return "`\"" + safe + "\"'"
    }
}
