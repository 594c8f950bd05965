import Foundation
import PropertyBased
import Testing

@testable import SurveyModel

/// Random events of every kind, with awkward strings (escapes, control characters, non-ASCII),
/// every value including any finite double, extreme integers and preloads of several keys.
struct RandomEvents {
    var rng: Xoshiro

    init(seed: UInt64) { rng = Xoshiro(seed: (seed, ~seed, seed &* 0x9E37_79B9_7F4A_7C15, 1)) }

    static let texts = [
        "Kovács Anna", "say \"hi\"\\ now", "tab\tand\nnewline\r", "Ő ű ✓ 😀 e\u{301}", "", "a/b", "\u{01}ctl\u{1F}",
        "\u{7F}", "\u{8}\u{C}", "line\u{2028}sep", "</script>",
    ]

    mutating func text() -> String { Self.texts.randomElement(using: &rng) ?? "" }
    mutating func int() -> Int {
        Bool.random(using: &rng) ? Int.random(in: -1000...1000, using: &rng) : [Int.min, Int.max, 0].randomElement(using: &rng) ?? 0
    }

    mutating func double() -> Double {
        let special: [Double] = [-0.0, 0.1 + 0.2, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 72.5, 3, -1e16]
        if Bool.random(using: &rng) { return special.randomElement(using: &rng) ?? 0 }
        let d = Double(bitPattern: rng.next())
        return d.isFinite ? d : 1.5
    }

    mutating func value() -> Value {
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: .integer(int())
        case 1: .decimal(double())
        case 2: .text(text())
        case 3: .boolean(Bool.random(using: &rng))
        case 4: .date(LocalDate(year: Int.random(in: 1900...2100, using: &rng), month: 2, day: 28))
        case 5: .time(TimeOfDay(hour: Int.random(in: 0...23, using: &rng), minute: Int.random(in: 0...59, using: &rng)))
        case 6: .choice(int())
        case 7:
            .datetime(
                LocalDateTime(
                    date: LocalDate(year: Int.random(in: 1900...2100, using: &rng), month: 12, day: 31),
                    hour: Int.random(in: 0...23, using: &rng), minute: 59, second: Int.random(in: 0...59, using: &rng)))
        default: .choices((0..<Int.random(in: 0...4, using: &rng)).map { _ in Int.random(in: -9...99, using: &rng) })
        }
    }

    mutating func address() -> Address {
        Bool.random(using: &rng) ? Address(VariableName("q\(Int.random(in: 1...12, using: &rng))")) : Address("m_age", rows: [1, 3])
    }

    /// A preload of up to four keys; ASCII only unless `unicodeKeys`.
    mutating func preload(unicodeKeys: Bool) -> [VariableName: Value] {
        var keys: [VariableName] = ["q10", "q9", "A", "a", "_x", "cluster_id"]
        if unicodeKeys { keys.append("kör") }
        var out: [VariableName: Value] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &rng) { out[keys.randomElement(using: &rng) ?? "a"] = value() }
        return out
    }

    mutating func kind(unicodeKeys: Bool = false) -> InterviewEventKind {
        switch Int.random(in: 0..<13, using: &rng) {
        case 0:
            .started(
                definition: "abc", seed: rng.next(), language: "hu", preload: preload(unicodeKeys: unicodeKeys))
        case 1: .answered(address(), .value(value()))
        case 2: .answered(address(), .special([.dontKnow, .refused].randomElement(using: &rng) ?? .refused))
        case 3: .cleared(address())
        case 4: .rowAdded("mem", parentRows: Bool.random(using: &rng) ? [] : [2, 10])
        case 5: .rowRemoved("mem", parentRows: [int()])
        case 6: .warningConfirmed("chk", rows: [1], reason: Bool.random(using: &rng) ? text() : nil)
        case 7: .shown(address())
        case 8: .note(Bool.random(using: &rng) ? address() : nil, text())
        case 9: .languageChanged("en")
        case 10: .ended(outcome: int())
        case 11: Bool.random(using: &rng) ? .reopened() : .reopened(reason: text())
        default: .trainingMarked(Bool.random(using: &rng))
        }
    }

    mutating func event(sequence: Int64, unicodeKeys: Bool = false) -> InterviewEvent {
        InterviewEvent(
            device: DeviceID("dev-\(Int.random(in: 1...3, using: &rng))"), sequence: sequence, interview: "iv-1",
            timestamp: Bool.random(using: &rng) ? Int64.random(in: -5...Int64.max, using: &rng) : Int64.min,
            interviewer: text(), kind: kind(unicodeKeys: unicodeKeys))
    }
}

/// `EventJSON`, the one event wire format, against its oracle: `Codable` with the canonical
/// encoder. Equality is byte for byte, because these bytes are hashed and signed in bundles.
@Suite("The event wire format") struct EventJSONTests {
    static let oracle = SurveyDefinition.canonicalEncoder()

    @Test("the writer gives exactly Codable's bytes for random events, and writes them all itself")
    func writerMatchesCodable() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var random = RandomEvents(seed: seed)
            for n in 1...100 {
                let event = random.event(sequence: Int64(n))
                guard let reference = try? Self.oracle.encode(event) else {
                    Issue.record("the oracle cannot encode \(event)")
                    continue
                }
                var writer = CanonicalJSONWriter()
                writer.event(event)
                #expect(!writer.unsupported, "the fast path declined \(event)")
                #expect(writer.bytes == Array(reference), "\(String(decoding: writer.bytes, as: UTF8.self))")
                #expect((try? EventJSON.encode(event)) == Array(reference))
                #expect((try? EventJSON.encode(event.kind)) == (try? String(decoding: Self.oracle.encode(event.kind), as: UTF8.self)))
            }
        }
    }

    @Test("a preload key outside ASCII is left to Codable, and the bytes are still Codable's")
    func unicodeKeysFallBack() throws {
        let kind = InterviewEventKind.started(definition: "abc", seed: 1, language: "hu", preload: ["kör": .integer(1), "a": .integer(2)])
        var writer = CanonicalJSONWriter()
        writer.kind(kind)
        #expect(writer.unsupported)
        #expect(try EventJSON.encode(kind) == String(decoding: Self.oracle.encode(kind), as: UTF8.self))
        var random = RandomEvents(seed: 7)
        for n in 1...300 {
            let event = random.event(sequence: Int64(n), unicodeKeys: true)
            #expect(try EventJSON.encode(event) == Array(Self.oracle.encode(event)))
        }
    }

    @Test("a map of values is written like Codable's [String: Value]")
    func valuesMatchCodable() throws {
        var random = RandomEvents(seed: 11)
        for _ in 1...300 {
            let values = random.preload(unicodeKeys: true)
            let plain = Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
            let json = try EventJSON.encode(values)
            #expect(json == String(decoding: try Self.oracle.encode(plain), as: UTF8.self))
            let decoded = try JSONDecoder().decode([String: Value].self, from: Data(json.utf8))
            #expect(try EventJSON.decodeValues(json) == Dictionary(uniqueKeysWithValues: decoded.map { (VariableName($0.key), $0.value) }))
        }
    }

    @Test("a ValuesWriter writes every map of a run as append does, reusing the last key order only where it holds")
    func valuesWriterMatchesAppend() async {
        let names: [VariableName] = ["sample_source", "cluster_id", "address_id", "district", "q10", "A", "a"]
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var random = RandomEvents(seed: seed)
            let template = Dictionary(
                uniqueKeysWithValues: names.prefix(Int.random(in: 0...7, using: &random.rng)).map { ($0, Value.integer(0)) })
            var writer = EventJSON.ValuesWriter()
            var out: [UInt8] = [0x2A], expected: [UInt8] = [0x2A]  // what the buffer held stays
            for _ in 1...200 {
                var values = template  // a sample's case: a copy of the template, each slot set
                for index in values.indices { values.values[index] = random.value() }
                switch Int.random(in: 0..<6, using: &random.rng) {
                case 0: values.removeValue(forKey: names.randomElement(using: &random.rng)!)  // an empty cell
                case 1: values = random.preload(unicodeKeys: Bool.random(using: &random.rng))
                case 2: values = Dictionary(uniqueKeysWithValues: values.shuffled(using: &random.rng).map { ($0.key, $0.value) })
                case 3: if let index = values.indices.first { values.values[index] = .decimal(.nan) }  // Codable refuses it
                default: break
                }
                let plain = Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
                let reference = try? Self.oracle.encode(plain)
                #expect(reference.map { String(decoding: $0, as: UTF8.self) } == (try? EventJSON.encode(values)))
                do {
                    try writer.append(values, to: &out)
                    expected += reference.map { Array($0) } ?? []
                    #expect(reference != nil, "written, but Codable refuses \(values)")
                } catch {
                    #expect(reference == nil, "\(error)")
                }
                #expect(out == expected, "\(String(decoding: out.suffix(120), as: UTF8.self))")
            }
            #expect(writer.reuses >= 10, "the remembered order was used for \(writer.reuses) of 200 maps")
        }
    }

    @Test("numbers are written in place as String(v) writes them")
    func digits() {
        var numbers: [Int] = [0, 1, 9, 10, 11, 99, 100, -1, -9, -10, -100, Int.min, Int.max, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            numbers += [power - 1, power, power + 1, -power, -(power - 1)]
        }
        for n in numbers {
            var writer = CanonicalJSONWriter()
            writer.int(n)
            writer.bytes.append(0x20)
            writer.integer(Int64(n))
            writer.bytes.append(0x20)
            writer.integer(UInt64(n.magnitude))
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "\(n) \(n) \(n.magnitude)")
        }
        var writer = CanonicalJSONWriter()
        writer.integer(UInt64.max)
        #expect(writer.bytes == Array("\(UInt64.max)".utf8))
    }

    @Test("the reader gives exactly what JSONDecoder gives, and reads all but rare escapes and a negative zero itself")
    func readerMatchesCodable() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var random = RandomEvents(seed: seed)
            for n in 1...100 {
                let event = random.event(sequence: Int64(n))
                guard let line = try? Self.oracle.encode(event), let reference = try? JSONDecoder().decode(InterviewEvent.self, from: line)
                else {
                    Issue.record("the oracle cannot round-trip \(event)")
                    continue
                }
                let fast = line.withUnsafeBytes { EventJSONReader.event($0) }
                let text = String(decoding: line, as: UTF8.self)
                let slowAllowed = text.contains("\"dec\":-0}") || text.contains("\\u") || text.contains("\\b") || text.contains("\\f")
                if let fast { #expect(fast == reference) } else { #expect(slowAllowed, "the fast path refused \(text)") }
                #expect((try? EventJSON.decodeEvent(line)) == reference)
                let kind = String(decoding: (try? Self.oracle.encode(event.kind)) ?? Data(), as: UTF8.self)
                #expect((try? EventJSON.decodeKind(kind)) == reference.kind)
            }
        }
    }

    @Test(
        "unusual lines are left to JSONDecoder, which decides",
        arguments: [
            #"{"device":"d","interview":"i","interviewer":"x","kind":{"reopened":{"extra":1}},"sequence":1,"timestamp":2}"#,
            #"{"device":"d","device":"e","interview":"i","interviewer":"x","kind":{"reopened":{}},"sequence":1}"#,
            #"{"device":"d","interview":"i","interviewer":"x","kind":{"ended":{"outcome":1.0}},"sequence":1,"timestamp":2}"#,
            #"{"device":"d","interview":"i","interviewer":"x","kind":{"ended":{"outcome":11}},"sequence":-0,"timestamp":2}"#,
            #"{"device":"d","interview":"i","interviewer":"x","kind":{"shown":{"at":"q1"}},"sequence":99999999999999999999,"timestamp":2}"#,
            #"[1,2]"#, #"{"#, "",
        ])
    func unusualLines(_ text: String) {
        #expect(EventJSON.fastDecodeEvent(Data(text.utf8)) == nil)
        #expect((try? EventJSON.decodeEvent(Data(text.utf8))) == (try? JSONDecoder().decode(InterviewEvent.self, from: Data(text.utf8))))
    }

    @Test(
        "a decimal as the writer writes it is read by the fast path; any other form of it is left to JSONDecoder",
        arguments: [72.5, 0.1 + 0.2, 1e21, 1e-7, 5e-324, Double.greatestFiniteMagnitude, -1e16, -2.5])
    func decimals(_ value: Double) {
        func line(_ number: String) -> Data {
            Data(
                #"{"device":"d","interview":"i","interviewer":"x","kind":{"answered":{"answer":{"dec":\#(number)},"at":"q1"}},"sequence":1,"timestamp":2}"#
                    .utf8)
        }
        var writer = CanonicalJSONWriter()
        writer.double(value)
        let written = String(decoding: writer.bytes, as: UTF8.self)
        let fast = EventJSON.fastDecodeEvent(line(written))
        #expect(fast == (try? JSONDecoder().decode(InterviewEvent.self, from: line(written))), "\(written)")
        guard case .answered(_, .value(.decimal(let read)))? = fast?.kind else {
            Issue.record("the fast path declined \(written)")
            return
        }
        #expect(read.bitPattern == value.bitPattern)
        // The same value written otherwise (an upper-case exponent, a trailing zero): not the
        // writer's form, so JSONDecoder decides.
        let other = written.contains("e") ? written.replacingOccurrences(of: "e", with: "E") : written + "0"
        #expect(EventJSON.fastDecodeEvent(line(other)) == nil, "\(other)")
        let reference = try? JSONDecoder().decode(InterviewEvent.self, from: line(other))
        #expect(reference != nil && (try? EventJSON.decodeEvent(line(other))) == reference)
    }

    @Test(
        "integers at and past Int64's and UInt64's limits are read as JSONDecoder reads them",
        arguments: [
            "0", "7", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
            "18446744073709551615", "18446744073709551616", "-18446744073709551616", "99999999999999999999999",
        ])
    func integerLimits(_ number: String) {
        let lines = [
            #"{"device":"d","interview":"i","interviewer":"x","kind":{"shown":{"at":"q1"}},"sequence":\#(number),"timestamp":2}"#,
            #"{"device":"d","interview":"i","interviewer":"x","kind":{"started":{"definition":"h","language":"hu","preload":{},"seed":\#(number)}},"sequence":1,"timestamp":2}"#,
        ]
        for line in lines {
            let reference = try? JSONDecoder().decode(InterviewEvent.self, from: Data(line.utf8))
            #expect((try? EventJSON.decodeEvent(Data(line.utf8))) == reference, "\(line)")
            // Whatever JSONDecoder reads as an integer in range, the fast path reads too.
            #expect(EventJSON.fastDecodeEvent(Data(line.utf8)) == reference, "\(line)")
        }
    }

    @Test("a line MiniJSON finds malformed is refused by JSONDecoder; unusual valid JSON is not malformed")
    func malformedLines() async {
        func malformed(_ text: String) -> Bool { Data(text.utf8).withUnsafeBytes { MiniJSON.isMalformed($0) } }
        for text in [#"{"a":1,}"#, #"{"a" 1}"#, "{", "", "01", "[1,2", #"{"a":"\x"}"#, "nul", "{\"a\":\"\u{1}\"}", "1.", "-", "{} x"] {
            #expect(malformed(text), "\(text)")
        }
        for text in [
            #"{"a":"\u00e9"}"#, #"{"a":1,"a":2}"#, String(repeating: "[", count: 20) + String(repeating: "]", count: 20), "{\"é\":1",
            "\u{0}{}",
        ] {
            #expect(!malformed(text), "\(text)")
        }
        // Random edits of real event lines: whatever MiniJSON calls malformed, JSONDecoder refuses
        // (corelibs' JSONSerialization is laxer: it is no reader of events).
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            var random = RandomEvents(seed: seed)
            var rng = Xoshiro(seed: (seed, seed &+ 1, 3, 4))
            let ascii = Array(#"{}[]":,.-+0123456789eE \"tnfrulsa"#.utf8)
            for n in 1...50 {
                guard var bytes = try? Self.oracle.encode(random.event(sequence: Int64(n))).map({ $0 }) else { continue }
                for _ in 0...Int.random(in: 0...2, using: &rng) where !bytes.isEmpty {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    if Bool.random(using: &rng) { bytes.remove(at: at) } else { bytes.insert(ascii.randomElement(using: &rng)!, at: at) }
                }
                guard bytes.withUnsafeBytes({ MiniJSON.isMalformed($0) }) else { continue }
                #expect((try? JSONDecoder().decode(InterviewEvent.self, from: Data(bytes))) == nil)
            }
        }
    }

    @Test("a line neither path can read is a DecodingError that says where")
    func undecodable() {
        #expect(throws: DecodingError.self) { try EventJSON.decodeEvent(Data(#"{"device":"d"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try EventJSON.decodeKind(#"{"answered":{"at":"q1"}}"#) }
    }
}
