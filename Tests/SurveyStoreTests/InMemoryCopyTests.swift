import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

/// `CentralStore.inMemoryCopy()`: the fuzz target's template dataset, copied for every input.
@Suite("In-memory copy of a central dataset") struct InMemoryCopyTests {
    static let device: DeviceID = "laptop-1"
    let definitions = [try! DefinitionFile(sampleSurvey())]

    /// A template with the device registered, and a simulated log's bundles of that device.
    func template(seed: UInt64) throws -> (CentralStore, [[InterviewEvent]]) {
        let template = try CentralStore.inMemory()
        _ = try template.registerDevice(Self.device, publicKey: Data([1, 2, 3]), method: .explicit)
        let parts = bundles(of: simulatedLog(device: Self.device, interviews: 4, seed: seed), seed: seed)
        try #require(parts.count >= 2 && parts[0].count > 2)
        return (template, parts)
    }

    @discardableResult
    func merge(_ events: [InterviewEvent], into central: CentralStore, name: String = "b") throws -> MergeResult {
        let mapping = Dictionary(events.map { ($0.interview, sampleSurvey().hash) }, uniquingKeysWith: { a, _ in a })
        return try central.apply(
            events: events, definitions: definitions, bundle: receipt(for: events, device: Self.device, name: name),
            interviewDefinitions: mapping)
    }

    @Test func theCopyHoldsTheSameDatasetAndChangesApart() throws {
        let device = Self.device
        let (template, parts) = try template(seed: 3)
        try merge(parts[0], into: template)
        let before = try template.canonicalDump()

        let copy = try template.inMemoryCopy()
        #expect(try copy.canonicalDump() == before)
        #expect(try copy.device(device) != nil)
        for part in parts.dropFirst() { try merge(part, into: copy) }
        #expect(try copy.eventCount() == Set(parts.joined().map(\.sequence)).count)
        #expect(try copy.integrityCheck().isEmpty)
        #expect(try template.canonicalDump() == before)
        #expect(try template.eventCount() == Set(parts[0].map(\.sequence)).count)
        #expect(try template.inMemoryCopy().canonicalDump() == before)
    }

    /// A copy with `allowingRollback` and what `rollingBack` makes of the writes inside it: the
    /// fuzz target's one dataset, reset after every input.
    @Test func rollingBackLeavesTheDatasetExactlyAsItWas() throws {
        let device = Self.device
        let (template, parts) = try template(seed: 5)
        let central = try template.inMemoryCopy(allowingRollback: true)
        let before = try central.everyRow()
        #expect(before == (try template.everyRow()))
        #expect(before.contains { $0.hasPrefix("sqlite_master ") } && before.contains { $0.hasPrefix("device ") })
        for _ in 0..<2 {
            let merged = try central.rollingBack {
                let first = try merge(parts[0], into: central)
                #expect(first.newEvents == parts[0].count)
                try central.recordRejected(hash: "bad", fileName: "bad.terepbundle", device: device, reason: "test")
                // A write that fails inside is rolled back alone (a savepoint), the rest kept.
                var changed = Array(parts[0].prefix(2))
                changed[0].interviewer += "x"
                #expect(throws: StoreError.self) { try merge(changed, into: central, name: "changed") }
                #expect(try central.eventCount() == parts[0].count)
                #expect(try central.bundles().count == 2)
                #expect(try central.integrityCheck().isEmpty)
                return try central.everyRow()
            }
            #expect(merged != before)
            #expect(try central.everyRow() == before)
            #expect(try central.eventCount() == 0 && central.bundles().isEmpty && central.definitionHashes().isEmpty)
        }
        // Outside it, a merge commits as ever.
        try merge(parts[1], into: central)
        #expect(try central.eventCount() == parts[1].count)
        #expect(try central.everyRow() != before)
    }

    @Test func onlyACopyAllowingRollbackIsRolledBack() throws {
        let template = try CentralStore.inMemory()
        let copy = try template.inMemoryCopy()
        #expect(throws: StoreError.self) {
            try copy.rollingBack { try copy.recordRejected(hash: "h", fileName: "f", device: nil, reason: "r") }
        }
        #expect(try copy.bundles().isEmpty)
    }
}
