/// A parsed JSON value; numbers are kept when they are plain integers, or decimals as the
/// canonical writer writes them. The fast path of the
/// event codec (``EventJSON``) and of the bundle manifest: a `nil` from it leaves the bytes to
/// `JSONDecoder`, which decides.
package enum MiniJSON {
    case object([(key: String, value: MiniJSON)])
    case array([MiniJSON])
    case string(String)
    /// An integer literal (no fraction, no exponent): its value as `Int64` and as `UInt64` where
    /// it fits each, nil where it overflows (and both nil for −0, left to `JSONDecoder`).
    case number(Int64?, unsigned: UInt64?)
    /// A number with a fraction or an exponent: its value when the text is exactly how
    /// ``CanonicalJSONWriter`` writes that value (Swift's shortest `description`, which every
    /// correct reader reads back as the same `Double`), else nil.
    case fraction(Double?)
    case bool(Bool)
    case null

    package var string: String? { if case .string(let s) = self { s } else { nil } }
    package var int64: Int64? { if case .number(let n, _) = self { n } else { nil } }
    package var uint64: UInt64? { if case .number(_, let u) = self { u } else { nil } }
    package var fraction: Double? { if case .fraction(let d) = self { d } else { nil } }
    package var int: Int? { int64.flatMap { Int(exactly: $0) } }
    package var strings: [String]? {
        guard case .array(let items) = self else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let s = item.string else { return nil }
            out.append(s)
        }
        return out
    }
    /// An object's fields by key, when every key is one of `allowed`.
    package func fields(_ allowed: [String]) -> [String: MiniJSON]? {
        guard case .object(let pairs) = self, pairs.allSatisfy({ allowed.contains($0.key) }) else { return nil }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })  // the parser refused duplicates
    }

    /// One JSON document, or nil when it is invalid or unusual (see ``MiniJSONParser``).
    package static func parse(_ bytes: UnsafeRawBufferPointer) -> MiniJSON? {
        var parser = MiniJSONParser(bytes: bytes)
        return parser.parseDocument()
    }

    /// Whether `bytes` break JSON's grammar (RFC 8259), so that `JSONDecoder` refuses them:
    /// ASCII without NUL (no other encoding for a reader to detect), and not read for a reason
    /// other than an unusual but valid form (a `\u`, `\b` or `\f` escape, a duplicate key,
    /// nesting past 16). FuzzMerge skips such lines without asking `JSONDecoder` to fail on them.
    package static func isMalformed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.allSatisfy({ $0 != 0 && $0 < 0x80 }) else { return false }
        var parser = MiniJSONParser(bytes: bytes)
        return parser.parseDocument() == nil && !parser.declined
    }

    var ints: [Int]? {
        guard case .array(let items) = self else { return nil }
        var out: [Int] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let n = item.int64, let i = Int(exactly: n) else { return nil }
            out.append(i)
        }
        return out
    }
}

/// A small strict JSON parser over bytes; returns nil on anything invalid or unusual.
struct MiniJSONParser {
    let bytes: UnsafeRawBufferPointer
    var i = 0
    var depth = 0
    /// Set when it gave up on valid JSON it leaves to `JSONDecoder` (see ``MiniJSON/isMalformed(_:)``).
    private(set) var declined = false

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func parseDocument() -> MiniJSON? {
        guard let v = parseValue() else { return nil }
        skipSpace()
        return i == bytes.count ? v : nil
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            // One comparison where there is no space (canonical JSON has none), not four.
            guard c <= 0x20, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    private mutating func parseValue() -> MiniJSON? {
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return parseObject()
        case UInt8(ascii: "["): return parseArray()
        case UInt8(ascii: "\""): return parseString().map(MiniJSON.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return parseNumber()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: MiniJSON) -> MiniJSON? {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { return nil }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return nil }
        i += n
        return value
    }

    private mutating func parseObject() -> MiniJSON? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 16 else { return decline() }
        i += 1
        var pairs: [(key: String, value: MiniJSON)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(pairs)
        }
        // An event's object has 6 keys, its kind's at most 4: one allocation, not one per doubling.
        pairs.reserveCapacity(6)
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = parseString() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let value = parseValue() else { return nil }
            guard !pairs.contains(where: { $0.key == key }) else { return decline() }
            pairs.append((key, value))
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            return .object(pairs)
        }
    }

    private mutating func parseArray() -> MiniJSON? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 16 else { return decline() }
        i += 1
        var items: [MiniJSON] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            guard let value = parseValue() else { return nil }
            items.append(value)
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "]") else { return nil }
            i += 1
            return .array(items)
        }
    }

    /// A string without escapes is validated as UTF-8; escapes other than the simple ones
    /// (`\"`, `\\`, `\/`, `\n`, `\t`, `\r`) and control characters give nil.
    private mutating func parseString() -> String? {
        i += 1
        let start = i
        var hasEscape = false, nonASCII = false
        while true {
            let run = ByteScan.plainJSONRun(in: bytes, from: i)
            i = run.end
            nonASCII = nonASCII || run.nonASCII
            guard i < bytes.count else { return nil }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { return nil }
            // A backslash: it and the byte it escapes (checked below).
            hasEscape = true
            i += 2
        }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        i += 1
        guard hasEscape else {
            // ASCII without control characters is valid UTF-8 as it is: only the rest is validated
            // (the generic `String(validating:as:)` looked up type metadata on every call).
            guard nonASCII else { return String(decoding: raw, as: UTF8.self) }
            return String(validating: raw, as: UTF8.self) ?? decline()
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            let c = raw[k]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                k += 1
                continue
            }
            guard k + 1 < raw.count else { return nil }
            switch raw[k + 1] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "u"), UInt8(ascii: "b"), UInt8(ascii: "f"): return decline()  // left to JSONDecoder
            default: return nil
            }
            k += 2
        }
        return String(validating: out, as: UTF8.self) ?? decline()
    }

    /// Gives up on valid JSON: nil, remembered.
    private mutating func decline<T>() -> T? {
        declined = true
        return nil
    }

    /// JSON number grammar; keeps the value of plain integers and of canonical decimals.
    private mutating func parseNumber() -> MiniJSON? {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { return nil }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { return nil }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        guard integral else {
            // Decimals took `JSONDecoder` before (a twentieth of a merge when answers held them):
            // read here only in the writer's own form, anything else still left to it.
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard let value = Double(text), value.isFinite, value.description == text else { return .fraction(nil) }
            return .fraction(value)
        }
        let negative = bytes[start] == UInt8(ascii: "-")
        // The digits' value, or nil past UInt64 (read in place: no string made per number).
        var magnitude: UInt64? = 0
        for k in (negative ? start + 1 : start)..<i {
            guard let m = magnitude else { break }
            let (times, o1) = m.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[k] &- 0x30))
            magnitude = o1 || o2 ? nil : sum
        }
        guard let magnitude else { return .number(nil, unsigned: nil) }
        guard negative else { return .number(magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil, unsigned: magnitude) }
        guard magnitude != 0 else { return .number(nil, unsigned: nil) }  // -0: left to JSONDecoder
        guard magnitude <= UInt64(Int64.max) else {
            // -2^63 is the one magnitude past Int64.max that a negative number may have.
            return .number(magnitude == 1 << 63 ? .min : nil, unsigned: nil)
        }
        return .number(-Int64(magnitude), unsigned: nil)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
