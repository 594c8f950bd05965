import Foundation
import SurveyModel
import Testing

@Suite("Escaping untrusted text for terminals, logs and JSON")
struct DisplayTextTests {
    @Test(
        "control characters, separators and bidirectional overrides become visible escapes",
        arguments: [
            (
                "x\nmerged fake.terepbundle: 999 new events\u{1B}[31m.terepbundle",
                "x\\nmerged fake.terepbundle: 999 new events\\u{1B}[31m.terepbundle"
            ),
            ("tab\there\rcr", "tab\\there\\rcr"),
            ("back\\slash", "back\\\\slash"),
            ("del\u{7F} csi\u{9B}2J", "del\\u{7F} csi\\u{9B}2J"),
            ("rtl\u{202E}gnp.exe", "rtl\\u{202E}gnp.exe"),
            ("line\u{2028}sep\u{2029}", "line\\u{2028}sep\\u{2029}"),
            ("nul\u{0}bell\u{7}", "nul\\u{0}bell\\u{7}"),
        ])
    func escapes(_ raw: String, _ shown: String) {
        #expect(DisplayText.escaped(raw) == shown)
        #expect(!DisplayText.escaped(raw).unicodeScalars.contains { DisplayText.needsEscape($0) })
    }

    @Test("ordinary names, accents and emoji pass unchanged")
    func plainTextUnchanged() {
        for text in ["laptop-07", "Kovács Árpádné", "Bulgárföld/Kilián 2026.terepbundle", "👩‍💻 ok", ""] {
            #expect(DisplayText.escaped(text) == text)
        }
    }

    @Test("escaping keeps different names different")
    func unambiguous() {
        #expect(DisplayText.escaped("a\nb") != DisplayText.escaped("a\\nb"))
    }

    @Test("JSON output decodes to the same strings and holds no raw terminal controls")
    func jsonSafe() throws {
        let names = ["x\n\u{1B}[31mred", "del\u{7F}", "csi\u{9B}", "rtl\u{202E}x", "sep\u{2028}", "plain é"]
        let json = DisplayText.json(["names": names])
        #expect(!json.unicodeScalars.contains { DisplayText.needsEscape($0) && $0 != "\n" })
        let decoded = try JSONDecoder().decode([String: [String]].self, from: Data(json.utf8))
        #expect(decoded["names"] == names)
    }
}

@Suite("Bounds on numbers read from files")
struct EventBoundsTests {
    func event(sequence: Int64 = 1, timestamp: Int64 = 1_764_000_000_000, _ kind: InterviewEventKind) -> InterviewEvent {
        InterviewEvent(device: "d", sequence: sequence, interview: "i", timestamp: timestamp, interviewer: "x", kind: kind)
    }

    @Test("events within every bound pass")
    func withinBounds() {
        let kinds: [InterviewEventKind] = [
            .answered(Address("a", rows: [1, 2]), .value(.integer(1 << 53))),
            .answered(Address("b"), .value(.decimal(-9e15))),
            .ended(outcome: 11), .rowAdded("mem", parentRows: [3]), .reopened(),
        ]
        for kind in kinds { #expect(EventBounds.problem(with: event(kind)) == nil) }
        #expect(EventBounds.problem(with: event(sequence: 1 << 53, timestamp: 0, .reopened())) == nil)
    }

    @Test(
        "a number out of range is named with what it is",
        arguments: [
            (Int64.max, Int64(1_764_000_000_000), InterviewEventKind.reopened(), "sequence number 9223372036854775807 is out of range"),
            (0, 1_764_000_000_000, .reopened(), "sequence number 0 is out of range"),
            (5, Int64.min, .reopened(), "event 5 has timestamp -9223372036854775808, outside 1970–9999"),
            (
                5, 1_764_000_000_000, .answered(Address("age"), .value(.integer(Int.max))),
                "event 5 answers age with the number 9223372036854775807, out of range"
            ),
            (5, 1_764_000_000_000, .answered(Address("x"), .value(.decimal(1e30))), "event 5 answers x with the number 1e+30"),
            (5, 1_764_000_000_000, .answered(Address("m", rows: [0]), .special(.dontKnow)), "event 5 answers m at row 0, out of range"),
            (5, 1_764_000_000_000, .ended(outcome: Int.min), "event 5 has outcome code -9223372036854775808"),
            (
                5, 1_764_000_000_000, .started(definition: "h", seed: 1, language: "hu", preload: ["n": .choices([1, Int.max])]),
                "event 5 preloads n with the code 9223372036854775807"
            ),
        ])
    func outOfRange(_ sequence: Int64, _ timestamp: Int64, _ kind: InterviewEventKind, _ message: String) {
        let problem = EventBounds.problem(with: event(sequence: sequence, timestamp: timestamp, kind))
        #expect(problem?.hasPrefix(message) == true, "\(problem ?? "nil")")
    }
}
