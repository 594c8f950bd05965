import PropertyBased
import SurveyModel
import Testing

@testable import SurveyStore

/// Issue 4's merge properties, checked with generated fieldwork: any number of devices and
/// interviews, bundles cut at random places, merged in random orders with random duplicates.
@Suite("Merge properties") struct MergePropertyTests {
    let definitions = [try! DefinitionFile(sampleSurvey())]

    /// A generated fieldwork: how many devices, interviews per device, re-merged bundles, and a seed.
    struct Fieldwork: Sendable, CustomStringConvertible {
        var devices: Int
        var interviews: Int
        var duplicates: Int
        var seed: UInt64
        var description: String { "\(devices) devices × \(interviews) interviews, \(duplicates) duplicates, seed \(seed)" }
    }

    static let fieldwork = zip(Gen.int(in: 1...4), Gen.int(in: 1...6), Gen.int(in: 0...8), Gen.uint64(in: 0...UInt64.max))
        .map { Fieldwork(devices: $0, interviews: $1, duplicates: $2, seed: $3) }

    @Test("any merge order, with duplicates, gives the identical dataset and keeps every event")
    func mergeIsOrderIndependentIdempotentAndLossless() async {
        await propertyCheck(count: 40, input: Self.fieldwork) { work in
            let devices = (1...work.devices).map { DeviceID("laptop-\($0)") }
            let shared = InterviewID("laptop-1-0")  // revisited by every other device: conflicts
            var bundlesByDevice: [(DeviceID, [InterviewEvent])] = []
            for (i, device) in devices.enumerated() {
                let log = simulatedLog(
                    device: device, interviews: work.interviews, seed: work.seed &+ UInt64(i),
                    sharedInterview: i == 0 ? nil : shared, trainingMarks: true)
                bundlesByDevice += bundles(of: log, seed: work.seed &+ 100 &+ UInt64(i)).map { (device, $0) }
            }
            let allEvents = Set(bundlesByDevice.flatMap { $0.1.map { "\($0.device)#\($0.sequence)" } })
            var rng = SplitMix(state: work.seed)
            var dumps: Set<String> = []
            for _ in 0..<2 {
                let order = bundlesByDevice.shuffled(using: &rng)
                let again = (0..<work.duplicates).compactMap { _ in bundlesByDevice.randomElement(using: &rng) }
                do {
                    let central = try makeCentral(devices: devices)
                    for (device, events) in order + again {
                        let mapping = Dictionary(
                            events.map { ($0.interview, sampleSurvey().hash) }, uniquingKeysWith: { a, _ in a })
                        _ = try central.apply(
                            events: events, definitions: definitions, bundle: receipt(for: events, device: device),
                            interviewDefinitions: mapping)
                    }
                    #expect(try central.eventCount() == allEvents.count, "an event was lost or duplicated")
                    #expect(try central.integrityCheck().isEmpty)
                    dumps.insert(try central.canonicalDump())
                } catch {
                    Issue.record("merge failed: \(error)")
                }
            }
            #expect(dumps.count == 1, "two merge orders gave different datasets")
        }
    }
}
