/// SPSS and Stata naming rules, and cutting texts to a format's byte limits.
enum NameRules {
    /// The longest name both SPSS and Stata accept.
    static let maxNameLength = 32

    static let reserved: Set<String> = [
        // SPSS
        "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with",
        // Stata
        "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N",
        "_pi", "_pred", "_rc", "_skip", "strl", "using",
    ]

    /// Checks every name of a table: ASCII, starting with a letter, ≤ 32, not reserved, unique ignoring case.
    static func check(_ table: ExportTable) throws(ExportError) {
        var seen: [String: String] = [:]
        for v in table.variables {
            let name = v.name
            if let reason = problem(name) { throw .invalidName(table: table.name, name: name, reason: reason) }
            let folded = name.lowercased()
            if let other = seen[folded] { throw .duplicateName(table: table.name, name: name, other: other) }
            seen[folded] = name
        }
    }

    /// Why a name is unusable, or nil.
    static func problem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "is empty" }
        if name.utf8.count > maxNameLength { return "is longer than \(maxNameLength) characters" }
        guard first.isASCII, first.properties.isAlphabetic else { return "must start with an ASCII letter" }
        for s in name.unicodeScalars where !(s.isASCII && (s == "_" || s.properties.isAlphabetic || ("0"..."9").contains(s))) {
            return "contains '\(s)'; only ASCII letters, digits and _ are allowed"
        }
        if reserved.contains(name.lowercased()) || (name.hasPrefix("str") && Int(name.dropFirst(3)) != nil) {
            return "is a reserved word in SPSS or Stata"
        }
        return nil
    }

    /// The longest prefix of `text` that fits `maxBytes` UTF-8 bytes and `maxChars` characters.
    static func cut(_ text: String, maxBytes: Int, maxChars: Int = .max) -> String {
        var bytes = 0, chars = 0
        var end = text.startIndex
        for c in text {
            let n = c.utf8.count
            if bytes + n > maxBytes || chars + 1 > maxChars { break }
            bytes += n
            chars += 1
            end = text.index(after: end)
        }
        return String(text[..<end])
    }
}
