import Foundation
import SurveyModel
import SurveyStore
import SurveySync
import Testing

@testable import Fieldwork

/// Every way of making a device database leaves it with a signing key; an existing one is
/// reported as it is, and one made without a key (an older terep) gets one.
struct DeviceSetupTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("terep-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func openOrCreateMakesTheKeyWithTheDatabase() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sub/device.sqlite").path
        let (store, created) = try DeviceSetup.openOrCreate(path: path, interviewer: nil, environment: ["USER": "anna"])
        let identity = try #require(created)
        #expect(identity.interviewer == "anna" && store.interviewer == "anna")
        #expect(identity.deviceID.rawValue.hasPrefix("dev-"))
        let pair = try #require(try store.signingKey())
        let key = try DeviceSigningKey(rawRepresentation: pair.privateKey)
        #expect(identity.publicKey == key.publicKey)
        let sealing = try #require(identity.encryptionKey, "the database is made with an encryption key for packages")
        #expect(try store.encryptionKey()?.publicKey == sealing.rawRepresentation)
        #expect(
            identity.registration.hasSuffix(
                "--device-id \(identity.deviceID) --key \(key.publicKey.text) --encryption-key \(sealing.text)"))

        let (again, none) = try DeviceSetup.openOrCreate(path: path, interviewer: "someone else", environment: [:])
        #expect(none == nil)
        #expect(again.deviceID == store.deviceID && again.interviewer == "anna")
    }

    @Test func initialiseReportsAnExistingDatabaseAndItsConflicts() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("device.sqlite").path
        guard case .created(let made) = try DeviceSetup.initialise(path: path, deviceID: "lap-1", interviewer: "I1") else {
            Issue.record("a new database was expected")
            return
        }
        #expect(made.publicKey != nil && made.events == 0)
        guard
            case .existing(let same, let added, let conflicts) = try DeviceSetup.initialise(
                path: path, deviceID: "lap-2", interviewer: "I9")
        else {
            Issue.record("the existing database was expected")
            return
        }
        #expect(same.publicKey == made.publicKey && same.deviceID == "lap-1")
        #expect(!added)
        #expect(conflicts == ["device id lap-2", "interviewer I9"])
    }

    @Test func initialiseGivesAKeylessDatabaseItsKeyOnce() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        _ = try DeviceStore.initialize(path: path, deviceID: "lap-1", interviewer: "I1")
        guard case .existing(let repaired, true, []) = try DeviceSetup.initialise(path: path, deviceID: "lap-1", interviewer: "I1"),
            let key = repaired.publicKey
        else {
            Issue.record("the key should have been added")
            return
        }
        guard case .existing(let later, false, []) = try DeviceSetup.initialise(path: path, deviceID: "lap-1", interviewer: "I1")
        else {
            Issue.record("the key must not be replaced")
            return
        }
        #expect(later.publicKey == key)
    }
}
