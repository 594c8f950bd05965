import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

/// `CentralStore.inMemoryCopy()`: the fuzz target's template dataset, copied for every input.
@Suite("In-memory copy of a central dataset") struct InMemoryCopyTests {
    @Test func theCopyHoldsTheSameDatasetAndChangesApart() throws {
        let definitions = [try DefinitionFile(sampleSurvey())]
        let device: DeviceID = "laptop-1"
        let template = try CentralStore.inMemory()
        _ = try template.registerDevice(device, publicKey: Data([1, 2, 3]), method: .explicit)
        let parts = bundles(of: simulatedLog(device: device, interviews: 4, seed: 3), seed: 3)
        try #require(parts.count >= 2)
        func merge(_ events: [InterviewEvent], into central: CentralStore) throws {
            let mapping = Dictionary(events.map { ($0.interview, sampleSurvey().hash) }, uniquingKeysWith: { a, _ in a })
            _ = try central.apply(
                events: events, definitions: definitions, bundle: receipt(for: events, device: device), interviewDefinitions: mapping)
        }
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
}
