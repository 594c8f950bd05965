/// Finds the number that made a JSON text undecodable: Foundation's decoder only says "The
/// given data was not valid JSON" when a number does not fit the type it decodes into.
enum JSONNumberProbe {
    /// A one-line description of the first number in `text` that no 64-bit integer holds
    /// (for whole numbers) or no `Double` holds (for the others), with the key it follows;
    /// nil when every number fits.
    static func firstOutOfRange(in text: some Collection<UInt8>) -> String? {
        var lastKey: String?
        let bytes = Array(text)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                let (quoted, end) = string(in: bytes, from: i)
                i = end
                // A string followed by ':' is a key.
                var j = i
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: ":") { lastKey = quoted }
                continue
            }
            if byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                var end = i
                while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
                let literal = String(decoding: bytes[i..<end], as: UTF8.self)
                i = end
                if let problem = problem(with: literal, unsigned: lastKey == "seed") {
                    let at = lastKey.map { " (at '\(String($0.prefix(40)))')" } ?? ""
                    return "number \(literal.prefix(40))\(literal.count > 40 ? "…" : "")\(at) \(problem)"
                }
                continue
            }
            i += 1
        }
        return nil
    }

    /// Why a number literal fits nothing terep decodes, or nil.
    /// (`unsigned`: a randomisation seed, an unsigned 64-bit number.)
    private static func problem(with literal: String, unsigned: Bool) -> String? {
        let whole = !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if whole, unsigned {
            return UInt64(literal) == nil ? "is out of range: a seed is between 0 and 18446744073709551615" : nil
        }
        if whole {
            return Int64(literal) == nil ? "is out of range: whole numbers must be within ±9223372036854775807" : nil
        }
        guard let value = Double(literal) else { return "is not a number" }
        return value.isFinite ? nil : "is out of range for a decimal number"
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// The string starting at the quote at `start` (escapes kept as written) and the index after it.
    private static func string(in bytes: [UInt8], from start: Int) -> (String, Int) {
        var i = start + 1
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
        }
        let end = Swift.min(i, bytes.count)
        return (String(decoding: bytes[(start + 1)..<end], as: UTF8.self), Swift.min(end + 1, bytes.count))
    }
}
