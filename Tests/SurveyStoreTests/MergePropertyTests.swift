import CentralTestSupport
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

    @Test("any merge order, with duplicates, gives the identical dataset and keeps every event", arguments: CentralImplementation.all)
    func mergeIsOrderIndependentIdempotentAndLossless(implementation: CentralImplementation) async {
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
                    let central = try makeCentral(implementation, devices: devices)
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

    @Test(
        "what the store keeps is what the pure rules give: received ranges, merge order, interview state",
        arguments: CentralImplementation.all)
    func storeFollowsThePureRules(implementation: CentralImplementation) async {
        await propertyCheck(count: 30, input: Self.fieldwork) { work in
            let devices = (1...work.devices).map { DeviceID(work.seed % 2 == 0 ? "laptop-\($0)" : "L\($0)-é") }
            let shared = InterviewID("shared")
            var rng = SplitMix(state: work.seed)
            var merged: [InterviewEvent] = []
            do {
                let central = try makeCentral(implementation, devices: devices)
                for (i, device) in devices.enumerated() {
                    let log = simulatedLog(
                        device: device, interviews: work.interviews, seed: work.seed &+ UInt64(i),
                        sharedInterview: i == 0 ? nil : shared, trainingMarks: true)
                    // Some bundles never arrive, so there are gaps to find.
                    for events in bundles(of: log, seed: work.seed &+ 7 &+ UInt64(i)) where Int.random(in: 0..<4, using: &rng) > 0 {
                        let mapping = Dictionary(events.map { ($0.interview, sampleSurvey().hash) }, uniquingKeysWith: { a, _ in a })
                        _ = try central.apply(
                            events: events, definitions: definitions, bundle: receipt(for: events, device: device),
                            interviewDefinitions: mapping)
                        merged += events
                    }
                }
                try Self.expectPureRules(central, merged: Array(Set(merged)), devices: devices)
            } catch {
                Issue.record("merge failed: \(error)")
            }
        }
    }

    /// Received ranges are ``SequenceRanges`` of the merged sequence numbers; each interview's
    /// events come in ``MergeKey`` order; its start, status and training flag are those of its
    /// earliest `started`, latest `ended`/`reopened` and latest `trainingMarked` by that order.
    static func expectPureRules(_ central: any CentralDataset, merged: [InterviewEvent], devices: [DeviceID]) throws {
        let status = try central.status()
        for device in devices {
            let expected = SequenceRanges(merged.filter { $0.device == device }.map(\.sequence))
            let summary = status.devices.first { $0.device.id == device }
            #expect(summary?.received == expected.ranges, "received ranges of \(device)")
            #expect(summary?.missing == expected.gaps, "gaps of \(device)")
        }
        let byInterview = Dictionary(grouping: merged, by: \.interview)
        for interview in try central.interviews() {
            let events = (byInterview[interview.id] ?? []).sorted { $0.mergeKey < $1.mergeKey }
            #expect(try central.events(interview: interview.id) == events, "merge order of \(interview.id)")
            let started = events.first { if case .started = $0.kind { true } else { false } }
            #expect(interview.startedAt == started?.timestamp)
            let closing = events.last {
                switch $0.kind {
                case .ended, .reopened: true;
                default: false
                }
            }
            if case .ended(let outcome)? = closing?.kind {
                #expect(interview.outcome == outcome)
            } else {
                #expect(interview.outcome == nil)
            }
            let training = events.last { if case .trainingMarked = $0.kind { true } else { false } }
            if case .trainingMarked(let value)? = training?.kind {
                #expect(interview.isTraining == value)
            } else {
                #expect(!interview.isTraining)
            }
        }
    }
}
