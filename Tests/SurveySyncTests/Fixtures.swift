import Foundation
import SurveyModel
import SurveySync

/// A small deterministic random generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Fixtures {
    /// A tiny two-question definition; `version` changes its hash.
    static func definition(version: String = "2026.1") -> SurveyDefinition {
        SurveyDefinition(
            id: "wellbeing", version: version, title: LocalizedText(["hu": "Jóllét", "en": "Well-being"]),
            languages: ["hu", "en"], answerSets: [], items: [])
    }

    static func definitionFile(version: String = "2026.1") -> (hash: DefinitionHash, bytes: Data) {
        // The fixture definition always encodes; a failure here is a test bug.
        (try? DefinitionFiles.file(for: definition(version: version))) ?? (DefinitionHash(""), Data())
    }

    static let variables: [VariableName] = ["hh_size", "q1", "q2", "income", "note_text"]

    /// Events of one device: `interviews` interviews of `perInterview` events each, sequence from `firstSequence`.
    static func events(
        device: DeviceID = "dev-a", interviews: Int = 3, perInterview: Int = 5, firstSequence: Int64 = 1,
        definition: DefinitionHash, seed: UInt64 = 1
    ) -> [InterviewEvent] {
        var rng = SeededGenerator(seed: seed)
        var out: [InterviewEvent] = []
        var seq = firstSequence
        for i in 0..<interviews {
            let interview = InterviewID("\(device)-iv-\(seed)-\(i)")
            for j in 0..<perInterview {
                let kind: InterviewEventKind =
                    j == 0
                    ? .started(definition: definition, seed: rng.next(), language: "hu", preload: ["cluster": .integer(7)])
                    : .answered(Address(variables[j % variables.count]), .value(.integer(Int(rng.next() % 100))))
                out.append(
                    InterviewEvent(
                        device: device, sequence: seq, interview: interview, timestamp: 1_764_000_000_000 + seq * 1000,
                        interviewer: "Kovács Anna", kind: kind))
                seq += 1
            }
        }
        return out
    }

    static func contents(_ events: [InterviewEvent], definition: (hash: DefinitionHash, bytes: Data)) -> BundleContents {
        BundleContents(
            events: events, definitionFiles: [definition.hash: definition.bytes],
            interviewDefinitions: Dictionary(events.map { ($0.interview, definition.hash) }, uniquingKeysWith: { a, _ in a }))
    }
}
