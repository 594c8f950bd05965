import CentralTestSupport
import Foundation
import GRDB
import SurveyModel
import Testing

@testable import SurveyStore

/// The central store's own guards, for callers that skip the bundle reader's checks.
@Suite("Central dataset against hostile events") struct HostileMergeStoreTests {
    func event(_ device: DeviceID, _ sequence: Int64, _ kind: InterviewEventKind = .reopened()) -> InterviewEvent {
        InterviewEvent(device: device, sequence: sequence, interview: "iv-1", timestamp: 2_000, interviewer: "x", kind: kind)
    }

    @Test("sequence ranges at the top of Int64 never overflow")
    func rangesAtTheLimit() {
        #expect(SequenceRanges([Int64.max, Int64.max - 1, 5]).ranges == [5...5, (Int64.max - 1)...Int64.max])
        #expect(SequenceRanges(ranges: [1...3, 7...Int64.max]).gaps == [4...6])
        #expect(SequenceRanges(ranges: [1...Int64.max, 5...6]).gaps == [])
    }

    @Test("an event outside the bounds is refused and nothing is merged", arguments: CentralImplementation.all)
    func outOfRangeRefused(implementation: CentralImplementation) throws {
        let central = try makeCentral(implementation, devices: ["lap-1"])
        let events = [event("lap-1", 1), event("lap-1", Int64.max)]
        #expect {
            try central.apply(events: events, definitions: [], bundle: receipt(for: events, device: "lap-1"))
        } throws: { error in
            "\(error)".contains("sequence number 9223372036854775807 is out of range")
        }
        #expect(try central.eventCount() == 0)
    }

    @Test("a device registered with its bundle is not registered when the bundle is refused", arguments: CentralImplementation.all)
    func registrationRollsBackWithTheBundle(implementation: CentralImplementation) throws {
        let central = try implementation.make()
        let new = NewDevice(publicKey: Data("key".utf8), method: .trustOnFirstUse, note: "first use")
        let bad = [event("lap-9", 1, .answered(Address("q1"), .value(.integer(1)))), event("lap-9", 1)]
        #expect(throws: StoreError.self) {
            try central.apply(events: bad, definitions: [], bundle: receipt(for: bad, device: "lap-9"), registering: new)
        }
        #expect(try central.device("lap-9") == nil)
        let good = [event("lap-9", 1)]
        let result = try central.apply(events: good, definitions: [], bundle: receipt(for: good, device: "lap-9"), registering: new)
        #expect(result.newEvents == 1)
        #expect(try central.device("lap-9")?.method == .trustOnFirstUse)
    }

    @Test("a dataset opened read-only says so once, before any bundle")
    func readOnlyCheckedUpFront() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("central.sqlite").path
        _ = try CentralStore.initialize(path: path)
        try CentralStore.open(path: path).checkWritable()
        #expect {
            try CentralStore.open(path: path, readOnly: true).checkWritable()
        } throws: { error in
            guard case .readOnly = error as? StoreError else { return false }
            return true
        }
    }

    @Test("a bundle merged before is answered from a read: also on a read-only dataset, alone or in a group")
    func alreadyMergedNeedsNoWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-again-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("central.sqlite").path
        let events = [event("lap-1", 1), event("lap-1", 2)]
        let bundle = receipt(for: events, device: "lap-1")
        let new = NewDevice(publicKey: Data("key".utf8), method: .trustOnFirstUse, note: "first use")
        _ = try CentralStore.initialize(path: path)
        #expect(try CentralStore.open(path: path).apply(events: events, definitions: [], bundle: bundle, registering: new).newEvents == 2)

        let readOnly = try CentralStore.open(path: path, readOnly: true)
        let again = try readOnly.apply(events: events, definitions: [], bundle: bundle)
        #expect(again.alreadyMerged && again.newEvents == 0)
        let feed: (any CentralMergeFeed) throws -> Void = { _ in Issue.record("an accepted bundle is not fed again") }
        let group = try readOnly.apply(
            group: [BundleWrite(bundle: bundle, registering: nil, feed: feed)] + [
                BundleWrite(bundle: bundle, registering: nil, feed: feed)
            ])
        #expect(try group.map { try $0.get().alreadyMerged } == [true, true])
        // A group with one new bundle needs the write, and says the dataset cannot be written.
        let other = [event("lap-1", 3)]
        let mixed = try? readOnly.apply(group: [
            BundleWrite(bundle: bundle, registering: nil, feed: feed),
            BundleWrite(bundle: receipt(for: other, device: "lap-1", name: "c"), registering: nil, feed: { _ in }),
        ])
        #expect(mixed == nil)
        #expect(try readOnly.eventCount() == 2)
    }
}
