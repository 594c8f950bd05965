import Foundation

/// The event wire format: the one owner of the JSON of an ``InterviewEvent`` as the device and
/// central stores keep it (`payload_json`: the kind alone), as a bundle carries it (one event
/// per line) and as it is hashed and signed there.
///
/// The format is the `Codable` form written with ``SurveyDefinition/canonicalEncoder(pretty:)``
/// — compact, keys sorted, `/` unescaped — and `Codable` stays its definition and test oracle:
/// ``CanonicalJSONWriter`` writes the same bytes directly and ``EventJSONReader`` reads the
/// shapes it writes, each several times faster than `JSONEncoder` / `JSONDecoder`. What the fast
/// paths decline (a non-finite decimal, a preload key outside ASCII; on reading, unusual
/// escapes, a decimal not in the writer's form, unknown keys) goes through `Codable`, which
/// decides.
public enum EventJSON {
    // MARK: Writing

    /// Appends an event's JSON (no newline) to `out`; on failure nothing is appended.
    public static func append(_ event: InterviewEvent, to out: inout [UInt8]) throws(EncodingError) {
        let mark = out.count
        var writer = CanonicalJSONWriter()
        swap(&writer.bytes, &out)  // the writer owns the buffer while writing: no copy
        writer.event(event)
        let declined = writer.unsupported
        swap(&writer.bytes, &out)
        guard declined else { return }
        out.removeSubrange(mark...)
        out.append(contentsOf: try codable(event))
    }

    /// An event's JSON.
    public static func encode(_ event: InterviewEvent) throws(EncodingError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        try append(event, to: &out)
        return out
    }

    /// An event kind's JSON, as the stores keep it.
    public static func encode(_ kind: InterviewEventKind) throws(EncodingError) -> String {
        var writer = CanonicalJSONWriter()
        writer.bytes.reserveCapacity(96)
        writer.kind(kind)
        if !writer.unsupported { return String(decoding: writer.bytes, as: UTF8.self) }
        return String(decoding: try codable(kind), as: UTF8.self)
    }

    /// A map of values by variable name (a `started` event's preload, an interview's case
    /// identifiers) as one JSON object with sorted keys.
    public static func encode(_ values: [VariableName: Value]) throws(EncodingError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32 * values.count + 2)
        try append(values, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a map of values' JSON, the bytes `encode(_ values:)` gives, to `out` (many cases'
    /// preloads into one buffer: no allocation per case); on failure nothing is appended.
    public static func append(_ values: [VariableName: Value], to out: inout [UInt8]) throws(EncodingError) {
        try append(values, to: &out) { $0.values(values) }
    }

    /// Writes `values` with `write` into `out`, or `Codable`'s bytes when the writer declines.
    fileprivate static func append(
        _ values: [VariableName: Value], to out: inout [UInt8], _ write: (inout CanonicalJSONWriter) -> Void
    ) throws(EncodingError) {
        let mark = out.count
        var writer = CanonicalJSONWriter()
        swap(&writer.bytes, &out)  // the writer owns the buffer while writing: no copy
        write(&writer)
        let declined = writer.unsupported
        swap(&writer.bytes, &out)
        guard declined else { return }
        out.removeSubrange(mark...)
        out.append(contentsOf: try codable(Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })))
    }

    /// Writes many maps of values, each exactly as ``append(_:to:)-(([VariableName:Value],_))``
    /// does, remembering the last map's keys: when a map holds the same keys in the same order of
    /// its own (maps copied from one template, as a sample file's cases are), their sorted order
    /// and their `"name":` bytes are reused instead of sorted, checked for ASCII and escaped for
    /// every map (that was half of writing a sample's preloads).
    public struct ValuesWriter {
        /// The last map's keys in its own order.
        private var keys: [VariableName] = []
        /// The output's entries in key order: where the key is in `keys`, and its `"name":` bytes in `names`.
        private var order: [(position: Int, name: Range<Int>)] = []
        private var names: [UInt8] = []
        /// How many maps were written with a remembered order (for the tests).
        private(set) var reuses = 0

        public init() {}

        /// Appends a map's JSON to `out`; on failure nothing is appended.
        public mutating func append(_ values: [VariableName: Value], to out: inout [UInt8]) throws(EncodingError) {
            if values.count == keys.count, try reused(values, to: &out) { return reuses += 1 }
            keys = Array(values.keys)
            let ascii = keys.allSatisfy { key in key.rawValue.utf8.allSatisfy { $0 < 0x80 } }
            guard ascii else {  // not mirrored: the writer declines, Codable writes it
                keys = []
                order = []
                return try EventJSON.append(values, to: &out)
            }
            // ASCII keys: String's order is their bytes' order, `.sortedKeys`' order.
            var writer = CanonicalJSONWriter()
            order = keys.indices.sorted { keys[$0].rawValue < keys[$1].rawValue }.map { position in
                let start = writer.bytes.count
                writer.string(keys[position].rawValue)
                writer.bytes.append(0x3A)
                return (position, start..<writer.bytes.count)
            }
            names = writer.bytes
            guard try reused(values, to: &out) else { preconditionFailure("a map's keys differ from themselves") }
        }

        /// Writes the map with the remembered order when its keys, in its own order, are the last
        /// map's; false (nothing written) otherwise.
        private func reused(_ values: [VariableName: Value], to out: inout [UInt8]) throws(EncodingError) -> Bool {
            typealias Index = Dictionary<VariableName, Value>.Index
            return try withUnsafeTemporaryAllocation(of: Index.self, capacity: keys.count) { (slots) throws(EncodingError) -> Bool in
                var count = 0
                defer { _ = slots[..<count].deinitialize() }
                for index in values.indices {
                    guard values[index].key == keys[count] else { return false }
                    slots.initializeElement(at: count, to: index)
                    count += 1
                }
                try EventJSON.append(values, to: &out) { writer in
                    writer.bytes.append(0x7B)
                    names.withUnsafeBufferPointer { names in
                        for (n, entry) in order.enumerated() {
                            if n > 0 { writer.bytes.append(0x2C) }
                            writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: names[entry.name]))
                            writer.value(values[slots[entry.position]].value)
                        }
                    }
                    writer.bytes.append(0x7D)
                }
                return true
            }
        }
    }

    private static func codable(_ value: some Encodable) throws(EncodingError) -> Data {
        do {
            return try SurveyDefinition.canonicalEncoder().encode(value)
        } catch let error as EncodingError {
            throw error
        } catch {
            throw .invalidValue(value, .init(codingPath: [], debugDescription: "\(error)"))
        }
    }

    // MARK: Reading

    /// Decodes one event's JSON.
    public static func decodeEvent(_ bytes: UnsafeRawBufferPointer) throws(DecodingError) -> InterviewEvent {
        if let event = EventJSONReader.event(bytes) { return event }
        return try codable(InterviewEvent.self, Data(bytes))
    }

    /// Decodes one event's JSON.
    public static func decodeEvent(_ data: Data) throws(DecodingError) -> InterviewEvent {
        let fast = data.withUnsafeBytes { EventJSONReader.event($0) }
        if let fast { return fast }
        return try codable(InterviewEvent.self, data)
    }

    /// Decodes a stored event kind.
    public static func decodeKind(_ json: String) throws(DecodingError) -> InterviewEventKind {
        var json = json
        let fast = json.withUTF8 { EventJSONReader.kind(UnsafeRawBufferPointer($0)) }
        if let fast { return fast }
        return try codable(InterviewEventKind.self, Data(json.utf8))
    }

    /// Decodes a stored map of values by variable name.
    public static func decodeValues(_ json: String) throws(DecodingError) -> [VariableName: Value] {
        var json = json
        let fast = json.withUTF8 { EventJSONReader.values(UnsafeRawBufferPointer($0)) }
        if let fast { return fast }
        let plain = try codable([String: Value].self, Data(json.utf8))
        return Dictionary(uniqueKeysWithValues: plain.map { (VariableName($0.key), $0.value) })
    }

    /// The fast reader alone: nil where it leaves the line to `Codable` (for fuzzing it against
    /// `JSONDecoder`).
    public static func fastDecodeEvent(_ data: Data) -> InterviewEvent? {
        data.withUnsafeBytes { EventJSONReader.event($0) }
    }

    /// The fast reader alone, over bytes in place.
    public static func fastDecodeEvent(_ bytes: UnsafeRawBufferPointer) -> InterviewEvent? { EventJSONReader.event(bytes) }

    private static func codable<T: Decodable>(_ type: T.Type, _ data: Data) throws(DecodingError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw .dataCorrupted(.init(codingPath: [], debugDescription: "\(error)"))
        }
    }
}

// MARK: - The writer's event forms (mirroring InterviewEvent's Codable, keys sorted)

extension CanonicalJSONWriter {
    mutating func event(_ e: InterviewEvent) {
        raw(#"{"device":"#); string(e.device.rawValue)
        raw(#","interview":"#); string(e.interview.rawValue)
        raw(#","interviewer":"#); string(e.interviewer)
        raw(#","kind":"#); kind(e.kind)
        raw(#","sequence":"#); integer(e.sequence)
        raw(#","timestamp":"#); integer(e.timestamp)
        bytes.append(0x7D)
    }

    mutating func kind(_ k: InterviewEventKind) {
        switch k {
        case .started(let definition, let seed, let language, let preload):
            raw(#"{"started":{"definition":"#); string(definition.rawValue)
            raw(#","language":"#); string(language.rawValue)
            raw(#","preload":"#); values(preload)
            raw(#","seed":"#); integer(seed)
        case .answered(let at, let answer):
            raw(#"{"answered":{"answer":"#)
            switch answer {
            case .value(let v): value(v)
            case .special(let s): raw(#"{"special":"#); string(s.rawValue); bytes.append(0x7D)
            }
            raw(#","at":"#); string(at.description)
        case .cleared(let at): raw(#"{"cleared":{"at":"#); string(at.description)
        case .shown(let at): raw(#"{"shown":{"at":"#); string(at.description)
        case .rowAdded(let roster, let rows):
            raw(#"{"rowAdded":{"parentRows":"#); array(rows) { $0.int($1) }
            raw(#","roster":"#); string(roster.rawValue)
        case .rowRemoved(let roster, let rows):
            raw(#"{"rowRemoved":{"parentRows":"#); array(rows) { $0.int($1) }
            raw(#","roster":"#); string(roster.rawValue)
        case .warningConfirmed(let check, let rows, let reason):
            raw(#"{"warningConfirmed":{"check":"#); string(check.rawValue)
            if let reason { raw(#","reason":"#); string(reason) }
            raw(#","rows":"#); array(rows) { $0.int($1) }
        case .note(let at, let text):
            raw(#"{"note":{"#)
            if let at { raw(#""at":"#); string(at.description); bytes.append(0x2C) }
            raw(#""text":"#); string(text)
        case .languageChanged(let language): raw(#"{"languageChanged":{"language":"#); string(language.rawValue)
        case .ended(let outcome): raw(#"{"ended":{"outcome":"#); int(outcome)
        case .reopened(let reason):
            raw(#"{"reopened":{"#)
            if let reason { raw(#""reason":"#); string(reason) }
        case .trainingMarked(let value): raw(#"{"trainingMarked":{"value":"#); bool(value)
        case .assignedCase(let id): raw(#"{"assignedCase":{"id":"#); string(id.rawValue)
        }
        raw("}}")
    }

    /// Values by variable name, keys sorted; a key outside ASCII is declined (its order under
    /// `JSONEncoder`'s sorting is not mirrored).
    mutating func values(_ map: [VariableName: Value]) {
        // The map's indices (plain integers: nothing to retain or destroy) sorted in a temporary
        // buffer, on the stack when small: an array of its entries per map was an allocation and
        // a copy of every key and value for each case of a sample import.
        withUnsafeTemporaryAllocation(of: Dictionary<VariableName, Value>.Index.self, capacity: map.count) { buffer in
            var count = 0
            defer { _ = buffer[..<count].deinitialize() }
            for index in map.indices {
                var key = map[index].key.rawValue
                guard key.withUTF8({ $0.allSatisfy { $0 < 0x80 } }) else {
                    unsupported = true
                    return
                }
                buffer.initializeElement(at: count, to: index)
                count += 1
            }
            var indices = UnsafeMutableBufferPointer(rebasing: buffer[..<count])
            // ASCII keys: String's order is their bytes' order, `.sortedKeys`' order (sortedObject's).
            indices.sort { map[$0].key.rawValue < map[$1].key.rawValue }
            bytes.append(0x7B)
            for (i, index) in indices.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                let (name, value) = map[index]
                string(name.rawValue)
                bytes.append(0x3A)
                self.value(value)
            }
            bytes.append(0x7D)
        }
    }

    package mutating func integer(_ v: Int64) { digits(v.magnitude, negative: v < 0) }
    mutating func integer(_ v: UInt64) { digits(v, negative: false) }
}
