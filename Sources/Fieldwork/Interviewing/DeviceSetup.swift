import Foundation
import SurveyModel
import SurveyStore
import SurveySync

/// Who a device database says it is: what `terep device init` and the first `terep interview`
/// tell the fieldworker, so the coordinator can register the device.
public struct DeviceIdentity: Sendable {
    public var path: String
    public var deviceID: DeviceID
    public var interviewer: String
    /// The public half of the device's signing key; nil only in a database made by a terep
    /// older than keys at creation (``DeviceSetup/initialise(path:deviceID:interviewer:)`` adds one).
    public var publicKey: DevicePublicKey?
    /// The public half of the device's encryption key: the coordinator seals this device's
    /// packages to it (`terep central add-device --encryption-key`).
    public var encryptionKey: DeviceEncryptionPublicKey?
    /// The coordinator's signing key the device checks packages with (`--coordinator-key`).
    public var coordinatorKey: CoordinatorVerifyingKey?
    /// How many events the device holds, and how many of them were bundled.
    public var events: Int64
    public var bundledThrough: Int64

    /// The command that registers this device at the central dataset.
    public var registration: String {
        "terep central add-device --central CENTRAL --device-id \(deviceID) --key " + (publicKey?.text ?? "KEY")
            + (encryptionKey.map { " --encryption-key \($0.text)" } ?? "")
    }
}

/// What `terep device init` found or did.
public enum DeviceInitialisation: Sendable {
    /// A new database, with its signing and encryption keys.
    case created(DeviceIdentity)
    /// The database already existed. `addedKey` when it had no signing key and one was made now
    /// (an encryption key it lacks is made too); `conflicts` names what was asked for but differs (a device keeps its
    /// id, interviewer and coordinator key).
    case existing(DeviceIdentity, addedKey: Bool, conflicts: [String])
}

/// Creating and opening the device database, always with a signing key so that it can send
/// bundles: the one place `terep device init`, `terep interview` and `terep simulate` make one.
public enum DeviceSetup {
    /// Creates a device database with a new Ed25519 signing key, written with the device row,
    /// and a new X25519 key pair the coordinator's packages are sealed to.
    public static func create(path: String, deviceID: DeviceID, interviewer: String) throws(StoreError) -> DeviceStore {
        let key = DeviceSigningKey()
        let pair = SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation)
        let store = try DeviceStore.initialize(path: path, deviceID: deviceID, interviewer: interviewer, signingKey: pair)
        try addEncryptionKey(store)
        return store
    }

    /// Makes the device's encryption key pair (packages are sealed to it).
    private static func addEncryptionKey(_ store: DeviceStore) throws(StoreError) {
        let key = DeviceEncryptionPrivateKey()
        try store.setEncryptionKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
    }

    /// Opens the device database at `path`, or creates it there (generated device id, the
    /// interviewer given, else `$USER` / `$LOGNAME`) with its signing key. `created` is the new
    /// device's identity, for the message that tells the fieldworker how to register it.
    public static func openOrCreate(
        path: String, interviewer: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreError) -> (store: DeviceStore, created: DeviceIdentity?) {
        guard !FileManager.default.fileExists(atPath: path) else { return (try DeviceStore.open(path: path), nil) }
        let name =
            interviewer ?? [environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "interviewer"
        let device = DeviceID("dev-" + String(UInt64.random(in: 0...UInt64.max), radix: 16))
        let store = try create(path: path, deviceID: device, interviewer: name)
        return (store, try identity(of: store))
    }

    /// `terep device init`: creates the database with its keys, or — when one is already there —
    /// reports what it holds, adding the keys a database made by an older terep lacks. The
    /// coordinator's signing key, when given, is stored (packages are checked with it); a device
    /// keeps the first one it was given.
    public static func initialise(
        path: String, deviceID: DeviceID, interviewer: String, coordinatorKey: CoordinatorVerifyingKey? = nil
    ) throws(StoreError) -> DeviceInitialisation {
        guard FileManager.default.fileExists(atPath: path) else {
            let store = try create(path: path, deviceID: deviceID, interviewer: interviewer)
            if let coordinatorKey { try store.setCoordinatorKey(coordinatorKey.rawRepresentation) }
            return .created(try identity(of: store))
        }
        let store = try DeviceStore.open(path: path)
        var addedKey = false
        if try store.signingKey() == nil {
            let key = DeviceSigningKey()
            try store.setSigningKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
            addedKey = true
        }
        if try store.encryptionKey() == nil { try addEncryptionKey(store) }
        var conflicts: [String] = []
        if store.deviceID != deviceID { conflicts.append("device id \(deviceID)") }
        if store.interviewer != interviewer { conflicts.append("interviewer \(interviewer)") }
        if let coordinatorKey {
            if let stored = try store.coordinatorKey(), stored != coordinatorKey.rawRepresentation {
                conflicts.append("coordinator key \(coordinatorKey.fingerprint)")
            } else {
                try store.setCoordinatorKey(coordinatorKey.rawRepresentation)
            }
        }
        return .existing(try identity(of: store), addedKey: addedKey, conflicts: conflicts)
    }

    /// The device's identity, key and event counts as stored.
    public static func identity(of store: DeviceStore) throws(StoreError) -> DeviceIdentity {
        let info = try store.info()
        let key = try store.signingKey().flatMap { try? DevicePublicKey(rawRepresentation: $0.publicKey) }
        let sealing = try store.encryptionKey().flatMap { try? DeviceEncryptionPublicKey(rawRepresentation: $0.publicKey) }
        let coordinator = try store.coordinatorKey().flatMap { try? CoordinatorVerifyingKey(rawRepresentation: $0) }
        return DeviceIdentity(
            path: store.path, deviceID: info.deviceID, interviewer: info.interviewer, publicKey: key,
            encryptionKey: sealing, coordinatorKey: coordinator, events: info.nextSequence - 1,
            bundledThrough: try store.bundledThrough())
    }
}
