import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID

/// The coordinator's operations on a central dataset, behind `terep central`.
public enum CentralAdmin {
    /// Creates the central dataset with a new coordinator key pair; returns the public key to
    /// give to devices (`terep bundle create --to`).
    public static func create(path: String) throws(StoreError) -> CoordinatorPublicKey {
        let key = CoordinatorPrivateKey()
        _ = try CentralStore.initialize(
            path: path, encryptionKey: SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
        return key.publicKey
    }

    /// Registers a device explicitly with its public signing key.
    public static func addDevice(
        path: String, device: DeviceID, key: DevicePublicKey, note: String?
    ) throws(StoreError) -> RegisteredDevice {
        try CentralStore.open(path: path).registerDevice(device, publicKey: key.rawRepresentation, method: .explicit, note: note)
    }

    /// Revokes a device: its merged data stay, its new bundles are rejected.
    public static func revokeDevice(path: String, device: DeviceID) throws(StoreError) {
        try CentralStore.open(path: path).revokeDevice(device)
    }

    /// The coordinator's private key stored in the central dataset at `path` (nil when it has
    /// none), read without writing and unlocked with `passphrase` when it is protected — so a
    /// command can open an encrypted bundle without the key ever being written out.
    public static func coordinatorKey(
        path: String, passphrase: PassphraseSource
    ) throws -> CoordinatorPrivateKey? {
        try coordinatorKey(in: try CentralStore.open(path: path, readOnly: true), passphrase: passphrase)
    }

    /// The coordinator's private key of an open central dataset (see above).
    static func coordinatorKey(in central: CentralStore, passphrase: PassphraseSource) throws -> CoordinatorPrivateKey? {
        guard let secret = try ProtectedKey.coordinator(central).unlock(passphrase) else { return nil }
        do { return try CoordinatorPrivateKey(rawRepresentation: secret) } catch {
            throw KeyAccessError.protection(.malformed(error.description))
        }
    }

    /// The status report, read without writing to the dataset.
    public static func status(path: String) throws(StoreError) -> CentralStatusReport {
        CentralStatusReport(try CentralStore.open(path: path, readOnly: true).status())
    }
}
