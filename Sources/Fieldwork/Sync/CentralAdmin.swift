import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID

/// The coordinator's operations on a central dataset, behind `terep central`.
public enum CentralAdmin {
    /// The coordinator's two public keys, for devices: bundles are encrypted to the first
    /// (`terep bundle create --to`), packages are checked with the second
    /// (`terep device init --coordinator-key`).
    public struct Keys: Sendable {
        public var encryption: CoordinatorPublicKey
        public var signing: CoordinatorVerifyingKey
    }

    /// Creates the central dataset with the coordinator's encryption and signing key pairs.
    public static func create(path: String) throws(StoreError) -> Keys {
        try create { pair throws(StoreError) in try CentralStore.initialize(path: path, encryptionKey: pair) }
    }

    /// Creates a central dataset with `initialize`, which is given the coordinator's new
    /// encryption key pair to store, and makes its signing key pair (any implementation).
    public static func create(
        _ initialize: (SigningKeyPair) throws(StoreError) -> any CentralDataset
    ) throws(StoreError) -> Keys {
        let key = CoordinatorPrivateKey()
        let store = try initialize(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
        return Keys(encryption: key.publicKey, signing: try makeSigningKey(store))
    }

    /// The signing key of a dataset made by a terep older than packages is made on first use.
    public static func signingKey(of store: any CentralDataset) throws(StoreError) -> (key: CoordinatorSigningKey, isNew: Bool) {
        if let pair = try store.signingKey() {
            guard let key = try? CoordinatorSigningKey(rawRepresentation: pair.privateKey) else {
                throw .undecodable(what: "coordinator signing key", detail: "not a 32-byte Ed25519 key")
            }
            return (key, false)
        }
        let key = CoordinatorSigningKey()
        try store.setSigningKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
        return (key, true)
    }

    private static func makeSigningKey(_ store: any CentralDataset) throws(StoreError) -> CoordinatorVerifyingKey {
        try signingKey(of: store).key.publicKey
    }

    /// Registers a device explicitly with its public signing key, and its encryption key when
    /// given (its packages are then encrypted to it).
    public static func addDevice(
        path: String, device: DeviceID, key: DevicePublicKey, encryptionKey: DeviceEncryptionPublicKey? = nil, note: String?
    ) throws(StoreError) -> RegisteredDevice {
        try addDevice(central: try CentralStore.open(path: path), device: device, key: key, encryptionKey: encryptionKey, note: note)
    }

    /// Registers a device in an open central dataset (see above).
    public static func addDevice(
        central store: any CentralDataset, device: DeviceID, key: DevicePublicKey, encryptionKey: DeviceEncryptionPublicKey? = nil,
        note: String?
    ) throws(StoreError) -> RegisteredDevice {
        let registered = try store.registerDevice(device, publicKey: key.rawRepresentation, method: .explicit, note: note)
        if let encryptionKey { try store.setEncryptionKey(encryptionKey.rawRepresentation, device: device) }
        return registered
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
    static func coordinatorKey(in central: any CentralDataset, passphrase: PassphraseSource) throws -> CoordinatorPrivateKey? {
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
