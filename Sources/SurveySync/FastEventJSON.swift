import Foundation
import SurveyModel

/// A fast path for decoding one event line, ~10× quicker than `JSONDecoder` on Linux.
///
/// It accepts a strict subset of JSON (the shapes `InterviewEvent`'s Codable form produces:
/// known keys only, no duplicates, integers without fraction or exponent, valid UTF-8) and
/// returns nil for anything else; the caller then decodes the line with `JSONDecoder`, which
/// decides. So whenever it returns an event, that event equals what `JSONDecoder` gives
/// (property-tested and fuzzed against it).
enum FastEventJSON {
    static func decode(_ line: Data) -> InterviewEvent? {
        line.withUnsafeBytes { decode(bytes: $0) }
    }

    static func decode(bytes: UnsafeRawBufferPointer) -> InterviewEvent? {
        var parser = MiniJSONParser(bytes: bytes)
        guard let root = parser.parseDocument() else { return nil }
        return event(root)
    }

    private static func event(_ node: MiniJSON) -> InterviewEvent? {
        guard case .object(let fields) = node, fields.count == 6 else { return nil }
        var device: String?, interview: String?, interviewer: String?
        var sequence: Int64?, timestamp: Int64?
        var kind: InterviewEventKind?
        for (key, value) in fields {
            switch key {
            case "device": device = value.string
            case "interview": interview = value.string
            case "interviewer": interviewer = value.string
            case "sequence": sequence = value.int64
            case "timestamp": timestamp = value.int64
            case "kind": kind = eventKind(value)
            default: return nil
            }
        }
        guard let device, let interview, let interviewer, let sequence, let timestamp, let kind else { return nil }
        return InterviewEvent(
            device: DeviceID(device), sequence: sequence, interview: InterviewID(interview), timestamp: timestamp,
            interviewer: interviewer, kind: kind)
    }

    private static func eventKind(_ node: MiniJSON) -> InterviewEventKind? {
        guard case .object(let outer) = node, outer.count == 1, case .object(let f) = outer[0].value else { return nil }
        let fields = Fields(f)
        switch outer[0].key {
        case "answered":
            guard fields.only(["at", "answer"]), let at = fields.address("at"), let a = fields["answer"].flatMap(answer) else {
                return nil
            }
            return .answered(at, a)
        case "shown":
            guard fields.only(["at"]), let at = fields.address("at") else { return nil }
            return .shown(at)
        case "cleared":
            guard fields.only(["at"]), let at = fields.address("at") else { return nil }
            return .cleared(at)
        case "started":
            guard fields.only(["definition", "seed", "language", "preload"]), let d = fields["definition"]?.string,
                let seed = fields["seed"]?.uint64, let l = fields["language"]?.string,
                case .object(let p)? = fields["preload"]
            else { return nil }
            var preload: [VariableName: Value] = [:]
            for (k, v) in p {
                guard let value = value(v) else { return nil }
                preload[VariableName(k)] = value
            }
            return .started(definition: DefinitionHash(d), seed: seed, language: LanguageCode(l), preload: preload)
        case "rowAdded", "rowRemoved":
            guard fields.only(["roster", "parentRows"]), let r = fields["roster"]?.string, let rows = fields["parentRows"]?.ints
            else { return nil }
            return outer[0].key == "rowAdded" ? .rowAdded(GroupID(r), parentRows: rows) : .rowRemoved(GroupID(r), parentRows: rows)
        case "ended":
            guard fields.only(["outcome"]), let o = fields["outcome"]?.int64, let outcome = Int(exactly: o) else { return nil }
            return .ended(outcome: outcome)
        case "reopened":
            return fields.only([]) ? .reopened : nil
        case "trainingMarked":
            guard fields.only(["value"]), case .bool(let value)? = fields["value"] else { return nil }
            return .trainingMarked(value)
        case "languageChanged":
            guard fields.only(["language"]), let l = fields["language"]?.string else { return nil }
            return .languageChanged(LanguageCode(l))
        case "note":
            guard fields.only(["at", "text"]), let text = fields["text"]?.string else { return nil }
            guard let at = fields["at"] else { return .note(nil, text) }
            guard let s = at.string else { return nil }
            return .note(Address(parsing: s), text)
        case "warningConfirmed":
            guard fields.only(["check", "rows", "reason"]), let c = fields["check"]?.string, let rows = fields["rows"]?.ints
            else { return nil }
            guard let r = fields["reason"] else { return .warningConfirmed(CheckID(c), rows: rows, reason: nil) }
            guard let reason = r.string else { return nil }
            return .warningConfirmed(CheckID(c), rows: rows, reason: reason)
        default: return nil
        }
    }

    private static func answer(_ node: MiniJSON) -> Answer? {
        guard case .object(let f) = node, f.count == 1 else { return nil }
        if f[0].key == "special" {
            guard let s = f[0].value.string, let special = SpecialAnswer(rawValue: s) else { return nil }
            return .special(special)
        }
        return value(node).map(Answer.value)
    }

    private static func value(_ node: MiniJSON) -> Value? {
        guard case .object(let f) = node, f.count == 1 else { return nil }
        let v = f[0].value
        switch f[0].key {
        case "int": return v.int64.flatMap { Int(exactly: $0) }.map(Value.integer)
        case "dec": return v.int64.map { .decimal(Double($0)) }  // fractions go to JSONDecoder
        case "text": return v.string.map(Value.text)
        case "bool": if case .bool(let b) = v { return .boolean(b) } else { return nil }
        case "date": return v.string.flatMap(LocalDate.init(iso:)).map(Value.date)
        case "time": return v.string.flatMap(TimeOfDay.init(text:)).map(Value.time)
        case "datetime": return v.string.flatMap(LocalDateTime.init(iso:)).map(Value.datetime)
        case "code": return v.int64.flatMap { Int(exactly: $0) }.map(Value.choice)
        case "codes": return v.ints.map { Value.choices(normalizing: $0) }
        default: return nil
        }
    }

    /// An object's fields with lookup by key.
    private struct Fields {
        let pairs: [(key: String, value: MiniJSON)]
        init(_ pairs: [(key: String, value: MiniJSON)]) { self.pairs = pairs }
        subscript(key: String) -> MiniJSON? { pairs.first { $0.key == key }?.value }
        /// Whether every key is one of `allowed` (duplicates were already refused by the parser).
        func only(_ allowed: Set<String>) -> Bool { pairs.allSatisfy { allowed.contains($0.key) } }
        func address(_ key: String) -> Address? { self[key]?.string.flatMap(Address.init(parsing:)) }
    }
}

/// A parsed JSON value; numbers are kept only when they are plain integers.
enum MiniJSON {
    case object([(key: String, value: MiniJSON)])
    case array([MiniJSON])
    case string(String)
    /// An integer literal that fits `Int64`, or nil when it has a fraction/exponent or overflows.
    case number(Int64?, unsigned: UInt64?)
    case bool(Bool)
    case null

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int64: Int64? { if case .number(let n, _) = self { n } else { nil } }
    var uint64: UInt64? { if case .number(_, let u) = self { u } else { nil } }
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

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func parseDocument() -> MiniJSON? {
        guard let v = parseValue() else { return nil }
        skipSpace()
        return i == bytes.count ? v : nil
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
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
        guard depth <= 16 else { return nil }
        i += 1
        var pairs: [(key: String, value: MiniJSON)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = parseString() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let value = parseValue() else { return nil }
            guard !pairs.contains(where: { $0.key == key }) else { return nil }
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
        guard depth <= 16 else { return nil }
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
        var hasEscape = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { return nil }
            if c == UInt8(ascii: "\\") {
                hasEscape = true
                i += 1
            }
            i += 1
        }
        guard i < bytes.count else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        i += 1
        guard hasEscape else { return String(validating: raw, as: UTF8.self) }
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
            default: return nil  // \u, \b, \f: left to JSONDecoder
            }
            k += 2
        }
        return String(validating: out, as: UTF8.self)
    }

    /// JSON number grammar; keeps the value only for plain integers.
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
        guard integral else { return .number(nil, unsigned: nil) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard text != "-0" else { return .number(nil, unsigned: nil) }  // left to JSONDecoder
        return .number(Int64(text), unsigned: UInt64(text))
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
