import Foundation
import SurveyModel
import Testing

@testable import SurveySync

/// Random events of every kind, with awkward strings (escapes, non-ASCII) and values.
private func randomEvent(_ rng: inout SeededGenerator, sequence: Int64) -> InterviewEvent {
    let texts = ["Kovács Anna", "say \"hi\"\\ now", "tab\tand\nnewline", "Ő ű ✓ 😀", "", "a/b", "\u{01}ctl", "\u{7F}"]
    func text() -> String { texts.randomElement(using: &rng) ?? "" }
    let address = Bool.random(using: &rng) ? Address(VariableName("q\(Int.random(in: 1...9, using: &rng))")) : Address("m_age", rows: [1, 3])
    let values: [Value] = [
        .integer(Int.random(in: -1000...1000, using: &rng)), .integer(Int.max), .decimal(Double(Int.random(in: 0...50, using: &rng))),
        .decimal(1.25), .text(text()), .boolean(Bool.random(using: &rng)), .date(LocalDate(year: 2024, month: 2, day: 29)),
        .time(TimeOfDay(hour: 9, minute: 5)), .choice(Int.random(in: 1...9, using: &rng)), .choices([1, 4, 7]),
    ]
    let value = values.randomElement(using: &rng) ?? .integer(0)
    let kinds: [InterviewEventKind] = [
        .started(definition: "abc", seed: UInt64.random(in: 0...UInt64.max, using: &rng), language: "hu", preload: ["cl": value]),
        .answered(address, .value(value)), .answered(address, .special(.refused)), .cleared(address),
        .rowAdded("mem", parentRows: []), .rowRemoved("mem", parentRows: [2]),
        .warningConfirmed("chk", rows: [1], reason: Bool.random(using: &rng) ? text() : nil), .shown(address),
        .note(Bool.random(using: &rng) ? address : nil, text()), .languageChanged("en"), .ended(outcome: 11), .reopened,
        .trainingMarked(Bool.random(using: &rng)),
    ]
    return InterviewEvent(
        device: DeviceID("dev-\(Int.random(in: 1...3, using: &rng))"), sequence: sequence, interview: "iv-1",
        timestamp: Int64.random(in: -5...Int64.max, using: &rng), interviewer: text(),
        kind: kinds.randomElement(using: &rng) ?? .reopened)
}

@Test(arguments: 1...20)
func theFastPathDecodesExactlyWhatJSONDecoderDoes(seed: Int) throws {
    var rng = SeededGenerator(seed: UInt64(seed))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for n in 1...200 {
        let event = randomEvent(&rng, sequence: Int64(n))
        let line = try encoder.encode(event)
        let reference = try JSONDecoder().decode(InterviewEvent.self, from: line)
        let fast = FastEventJSON.decode(line)
        if let fast { #expect(fast == reference) }
        // Only fractional decimals and rare escapes may take the slow path.
        let slowAllowed = line.contains(0x2E) && String(decoding: line, as: UTF8.self).contains("\"dec\":")
            || String(decoding: line, as: UTF8.self).contains("\\u")
        if !slowAllowed { #expect(fast != nil, "fast path refused \(String(decoding: line, as: UTF8.self))") }
    }
}

@Test(arguments: [
    #"{"device":"d","interview":"i","interviewer":"x","kind":{"reopened":{"extra":1}},"sequence":1,"timestamp":2}"#,
    #"{"device":"d","device":"e","interview":"i","interviewer":"x","kind":{"reopened":{}},"sequence":1}"#,
    #"{"device":"d","interview":"i","interviewer":"x","kind":{"ended":{"outcome":1.0}},"sequence":1,"timestamp":2}"#,
    #"{"device":"d","interview":"i","interviewer":"x","kind":{"ended":{"outcome":11}},"sequence":-0,"timestamp":2}"#,
    #"{"device":"d","interview":"i","interviewer":"x","kind":{"shown":{"at":"q1"}},"sequence":99999999999999999999,"timestamp":2}"#,
    #"[1,2]"#, #"{"#, "",
])
func unusualLinesAreLeftToJSONDecoder(_ text: String) {
    #expect(FastEventJSON.decode(Data(text.utf8)) == nil)
}

@Test(arguments: 1...20)
func theFastWriterIsByteIdenticalToJSONEncoder(seed: Int) throws {
    var rng = SeededGenerator(seed: UInt64(seed) &+ 1000)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var handled = 0
    for n in 1...200 {
        let event = randomEvent(&rng, sequence: Int64(n))
        var bytes: [UInt8] = [0x41]
        if FastEventWriter.append(event, to: &bytes) {
            handled += 1
            #expect(String(decoding: bytes.dropFirst(), as: UTF8.self) == String(decoding: try encoder.encode(event), as: UTF8.self))
        } else {
            #expect(bytes == [0x41])  // nothing written when it declines
        }
    }
    #expect(handled > 100)
}
