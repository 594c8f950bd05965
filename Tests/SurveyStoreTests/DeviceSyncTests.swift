import CentralTestSupport
import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Device store: sync support") struct DeviceSyncTests {
    @Test("a signing key is stored once and never replaced")
    func signingKey() throws {
        let store = try DeviceStore.inMemory(deviceID: "d1", interviewer: "X")
        #expect(try store.signingKey() == nil)
        let pair = SigningKeyPair(privateKey: Data([1, 2, 3]), publicKey: Data([4, 5]))
        try store.setSigningKey(pair)
        #expect(try store.signingKey() == pair)
        #expect(throws: StoreError.self) { try store.setSigningKey(SigningKeyPair(privateKey: Data([9]), publicKey: Data([9]))) }
        #expect(try store.signingKey() == pair)
    }

    @Test("the bundled mark only moves forward and never past the log")
    func bundledMark() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        let id = try startInterview(store).id
        _ = try store.appendBatch((0..<4).map { _ in PendingEvent(interview: id, timestamp: 1, kind: .reopened()) })
        #expect(try store.bundledThrough() == 0)
        try store.markBundled(through: 3)
        try store.markBundled(through: 2)
        #expect(try store.bundledThrough() == 3)
        #expect(throws: StoreError.self) { try store.markBundled(through: 6) }
        #expect(try store.events(after: store.bundledThrough()).map(\.sequence) == [4, 5])
    }

    @Test("a test interview's flag travels in the shipped events and the central dataset derives it", arguments: CentralImplementation.all)
    func trainingFlagTravels(implementation: CentralImplementation) throws {
        let store = try DeviceStore.inMemory(deviceID: "d1", interviewer: "X")
        try store.saveDefinition(sampleSurvey())
        let test = try startInterview(store, isTest: true)
        let real = try startInterview(store, at: 2_000)
        let shipped = try store.events(after: 0)
        let central = try makeCentral(implementation, devices: ["d1"])
        _ = try central.apply(
            events: shipped, definitions: [try DefinitionFile(sampleSurvey())], bundle: receipt(for: shipped, device: "d1"))
        let flags = Dictionary(uniqueKeysWithValues: try central.interviews().map { ($0.id, $0.isTraining) })
        #expect(flags == [test.id: true, real.id: false])
    }
}
