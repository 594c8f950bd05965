import CentralTestSupport
import Foundation
import SurveyModel
import SurveyStorePostgres
import Testing

@testable import SurveyStore

/// A small deterministic random generator (SplitMix64) so property tests are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A device's event log as a simulator would produce it: interviews with answers, some ended
/// (complete or not), some reopened; plus events on a shared interview (a revisit) when asked.
/// With `trainingMarks`, some interviews are marked or unmarked as training, the shared one too.
func simulatedLog(
    device: DeviceID, interviews: Int, seed: UInt64, sharedInterview: InterviewID? = nil, trainingMarks: Bool = false
) -> [InterviewEvent] {
    var rng = SplitMix(state: seed)
    var events: [InterviewEvent] = []
    var clock: Int64 = 1_000_000 + Int64(seed % 1000)
    func add(_ interview: InterviewID, _ kind: InterviewEventKind) {
        clock += Int64.random(in: 1...5_000, using: &rng)
        events.append(
            InterviewEvent(
                device: device, sequence: Int64(events.count + 1), interview: interview, timestamp: clock,
                interviewer: "int-\(device)", kind: kind))
    }
    for n in 0..<interviews {
        let id = InterviewID("\(device)-\(n)")
        add(id, .started(definition: sampleSurvey().hash, seed: rng.next(), language: "hu", preload: ["cluster_id": .integer(n)]))
        for q in 0..<Int.random(in: 1...12, using: &rng) {
            add(
                id,
                .answered(
                    Address(VariableName("q\(q)")),
                    Bool.random(using: &rng) ? .value(.integer(Int.random(in: 0...99, using: &rng))) : .special(.dontKnow)))
        }
        if Bool.random(using: &rng) { add(id, .ended(outcome: Bool.random(using: &rng) ? 11 : 21)) }
        if Int.random(in: 0..<5, using: &rng) == 0 { add(id, .reopened()) }
        if trainingMarks && Int.random(in: 0..<3, using: &rng) == 0 {
            add(id, .trainingMarked(true))
            if Bool.random(using: &rng) { add(id, .trainingMarked(false)) }
        }
    }
    if let shared = sharedInterview {
        add(shared, .answered(Address("q1"), .value(.integer(Int(seed % 100)))))
        if trainingMarks { add(shared, .trainingMarked(seed % 2 == 0)) }
        add(shared, .ended(outcome: 11))
    }
    return events
}

/// Splits a log into bundles of random sizes, some overlapping their neighbour.
func bundles(of log: [InterviewEvent], seed: UInt64) -> [[InterviewEvent]] {
    var rng = SplitMix(state: seed)
    var result: [[InterviewEvent]] = []
    var start = 0
    while start < log.count {
        let end = min(log.count, start + Int.random(in: 1...20, using: &rng))
        let overlap = result.isEmpty ? 0 : Int.random(in: 0...3, using: &rng)
        result.append(Array(log[max(0, start - overlap)..<end]))
        start = end
    }
    return result
}

/// The receipt for a bundle of events (a hash made from its content).
func receipt(for events: [InterviewEvent], device: DeviceID, name: String = "b") -> BundleReceipt {
    let first = events.first?.sequence ?? 0, last = events.last?.sequence ?? 0
    return BundleReceipt(
        hash: "\(device)-\(first)-\(last)", fileName: "\(name)-\(device)-\(first)-\(last).terepbundle", device: device,
        firstSequence: first, lastSequence: last, receivedAt: 5)
}

/// A central dataset of an implementation with the given devices registered explicitly.
func makeCentral(_ implementation: CentralImplementation, devices: [DeviceID]) throws -> any CentralDataset {
    let central = try implementation.make()
    for device in devices {
        try central.registerDevice(device, publicKey: Data(device.rawValue.utf8), method: .explicit, at: 1)
    }
    return central
}
