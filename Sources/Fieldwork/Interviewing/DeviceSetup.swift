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
    /// How many events the device holds, and how many of them were bundled.
    public var events: Int64
    public var bundledThrough: Int64

    /// The command that registers this device at the central dataset.
    public var registration: String {
        "terep central add-device --central CENTRAL --device-id \(deviceID) --key " + (publicKey?.text ?? "KEY")
    }
}

/// What `terep device init` found or did.
public enum DeviceInitialisation: Sendable {
    /// A new database, with its signing key.
    case created(DeviceIdentity)
    /// The database already existed. `addedKey` when it had no signing key and one was made now;
    /// `conflicts` names what was asked for but differs (a device keeps its id and interviewer).
    case existing(DeviceIdentity, addedKey: Bool, conflicts: [String])
}

/// Creating and opening the device database, always with a signing key so that it can send
/// bundles: the one place `terep device init`, `terep interview` and `terep simulate` make one.
public enum DeviceSetup {
    /// Creates a device database with a new Ed25519 signing key, written with the device row.
    public static func create(path: String, deviceID: DeviceID, interviewer: String) throws(StoreError) -> DeviceStore {
        let key = DeviceSigningKey()
        let pair = SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation)
        return try DeviceStore.initialize(path: path, deviceID: deviceID, interviewer: interviewer, signingKey: pair)
    }

    /// Opens the device database at `path`, or creates it there (generated device id, the
    /// interviewer given, else `$USER` / `$LOGNAME`) with its signing key. `created` is the new
    /// device's identity, for the message that tells the fieldworker how to register it.
    public static func openOrCreate(
        path: String, interviewer: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreError) -> (store: DeviceStore, created: DeviceIdentity?) {
        guard !FileManager.default.fileExists(atPath: path) else { return (try DeviceStore.open(path: path), nil) }
        let name = interviewer ?? [environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "interviewer"
        let device = DeviceID("dev-" + String(UInt64.random(in: 0...UInt64.max), radix: 16))
        let store = try create(path: path, deviceID: device, interviewer: name)
        return (store, try identity(of: store))
    }

    /// `terep device init`: creates the database with its key, or — when one is already there —
    /// reports what it holds, adding the signing key a database made by an older terep lacks.
    public static func initialise(path: String, deviceID: DeviceID, interviewer: String) throws(StoreError)
        -> DeviceInitialisation
    {
        guard FileManager.default.fileExists(atPath: path) else {
            return .created(try identity(of: create(path: path, deviceID: deviceID, interviewer: interviewer)))
        }
        let store = try DeviceStore.open(path: path)
        var addedKey = false
        if try store.signingKey() == nil {
            let key = DeviceSigningKey()
            try store.setSigningKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
            addedKey = true
        }
        var conflicts: [String] = []
        if store.deviceID != deviceID { conflicts.append("device id \(deviceID)") }
        if store.interviewer != interviewer { conflicts.append("interviewer \(interviewer)") }
        return .existing(try identity(of: store), addedKey: addedKey, conflicts: conflicts)
    }

    /// The device's identity, key and event counts as stored.
    public static func identity(of store: DeviceStore) throws(StoreError) -> DeviceIdentity {
        let info = try store.info()
        let key = try store.signingKey().flatMap { try? DevicePublicKey(rawRepresentation: $0.publicKey) }
        return DeviceIdentity(
            path: store.path, deviceID: info.deviceID, interviewer: info.interviewer, publicKey: key,
            events: info.nextSequence - 1, bundledThrough: try store.bundledThrough())
    }
}
