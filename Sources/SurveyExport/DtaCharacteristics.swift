/// The characteristics of a `.dta` table: each variable's question text and interviewer
/// instruction (`char list life_sat[question]` in Stata), and where the data came from.
///
/// Each is a `<ch>` record: a 4-byte length, the variable name and the characteristic name in
/// 129-byte fields, then the UTF-8 contents ending in a zero byte (format 118).
enum DtaCharacteristics {
    /// Stata keeps at most 67,784 bytes per characteristic; texts are cut well below.
    static let maxContents = 8_000

    /// The characteristics of `table` as `.dta` bytes (without the enclosing tags).
    static func records(table: ExportTable, schema: ExportSchema) -> [UInt8] {
        var w = ByteWriter()
        for (variable, name, contents) in entries(table: table, schema: schema) {
            let text = Array(NameRules.cut(contents, maxBytes: maxContents).utf8)
            w.ascii("<ch>")
            w.int32(129 + 129 + text.count + 1)
            w.fixed(variable, size: 129)
            w.fixed(name, size: 129)
            w.bytes += text
            w.uint8(0)
            w.ascii("</ch>")
        }
        return w.bytes
    }

    /// (variable or `_dta`, characteristic name, contents), in table order; shared with the `.do` file.
    static func entries(table: ExportTable, schema: ExportSchema) -> [(String, String, String)] {
        var out: [(String, String, String)] = [("_dta", "source", "terep export of survey \(schema.survey) version \(schema.version)")]
        for v in table.variables {
            if let q = v.question { out.append((v.name, "question", q)) }
            if let i = v.instruction { out.append((v.name, "instruction", i)) }
        }
        return out
    }
}
