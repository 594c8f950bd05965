import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DefinitionHash
import struct SurveyModel.DeviceID
import struct SurveyModel.InterviewID

/// Why a device's bundle could not be written.
public enum BundleExportError: Error, CustomStringConvertible {
    case store(StoreError)
    case bundle(BundleError)
    /// The device database has no signing key (made by an older terep).
    case noSigningKey(DeviceID, interviewer: String)
    case unreadableSigningKey(KeyFormatError)
    /// The signing key is protected and could not be unlocked.
    case lockedSigningKey(KeyAccessError)
    case missingInterview(InterviewID)
    case missingDefinition(DefinitionHash, interview: InterviewID)

    public var description: String {
        switch self {
        case .store(let error): "\(error)"
        case .bundle(let error): "\(error)"
        case .noSigningKey(let device, let interviewer):
            "device \(device) has no signing key (its database was made by an older terep): run "
                + "terep device init --device-id \(device) --interviewer '\(interviewer)' (with the same --device-db) to make "
                + "one, have the coordinator register the public key it prints, and bundle again"
        case .unreadableSigningKey(let error): "the device's signing key is unreadable: \(error)"
        case .lockedSigningKey(let error): "\(error)"
        case .missingInterview(let id): "interview \(id) has events but no record"
        case .missingDefinition(let hash, let id): "definition \(hash.short) of interview \(id) is missing from the device"
        }
    }
}

/// Writes a device's events into a signed (optionally encrypted) bundle and moves its
/// `bundled_through` mark: the library side of `terep bundle create`.
public enum BundleExport {
    /// What `create` did.
    public enum Result: Hashable, Sendable {
        /// No event after the mark (without `all`): no file was written.
        case nothingNew(DeviceID)
        case wrote(BundleManifest)
    }

    /// Bundles the events after the device's mark (or every event with `all`) into `output`,
    /// written atomically, then moves the mark to the last sequence bundled. A signing key
    /// protected by a passphrase is unlocked with `passphrase`.
    public static func create(
        store: DeviceStore, output: String, recipient: CoordinatorPublicKey?, all: Bool,
        createdAtMillis: Int64 = Int64(Date().timeIntervalSince1970 * 1000),
        passphrase: PassphraseSource = KeyAccessError.noPassphrase
    ) throws(BundleExportError) -> Result {
        let key = try signingKey(store: store, passphrase: passphrase)
        guard let input = try pendingInput(store, all: all) else { return .nothingNew(store.deviceID) }
        let manifest: BundleManifest
        do {
            manifest = try BundleWriter.write(
                input, device: store.deviceID, signingKey: key, recipient: recipient, createdAtMillis: createdAtMillis, to: output)
        } catch { throw .bundle(error) }
        if let last = manifest.sequenceRange?.last { try storing { () throws(StoreError) in try store.markBundled(through: last) } }
        return .wrote(manifest)
    }

    /// The writer's input for the events after the device's mark (or all of them); nil when
    /// there are none.
    private static func pendingInput(_ store: DeviceStore, all: Bool) throws(BundleExportError) -> BundleInput? {
        let after = try storing { () throws(StoreError) in all ? 0 : try store.bundledThrough() }
        guard let pending = try storing({ () throws(StoreError) in try store.pendingEvents(after: after) }) else { return nil }
        return try input(pending, store: store)
    }

    /// A bundle made in memory, not yet delivered: the device's mark has not moved.
    public struct Prepared: Sendable {
        public var data: Data
        public var manifest: BundleManifest
        /// The bundle's id (SHA-256 of its manifest), as the central dataset logs it.
        public var id: String
    }

    /// The device's signing key, unlocked with `passphrase` when it is protected.
    public static func signingKey(
        store: DeviceStore, passphrase: PassphraseSource = KeyAccessError.noPassphrase
    ) throws(BundleExportError) -> DeviceSigningKey {
        let info = try storing { () throws(StoreError) in try store.info() }
        let secret: Data?
        do { secret = try ProtectedKey.device(store).unlock(passphrase) } catch { throw .lockedSigningKey(error) }
        guard let secret else { throw .noSigningKey(info.deviceID, interviewer: info.interviewer) }
        do { return try DeviceSigningKey(rawRepresentation: secret) } catch { throw .unreadableSigningKey(error) }
    }

    /// Bundles the events after the device's mark (or every event with `all`) in memory; nil
    /// when there is nothing new. The mark stays until ``acknowledge(_:store:)``.
    public static func prepare(
        store: DeviceStore, key: DeviceSigningKey, recipient: CoordinatorPublicKey?, all: Bool,
        createdAtMillis: Int64 = Int64(Date().timeIntervalSince1970 * 1000)
    ) throws(BundleExportError) -> Prepared? {
        guard let input = try pendingInput(store, all: all) else { return nil }
        do {
            let (data, manifest) = try BundleWriter.encode(
                input, device: store.deviceID, signingKey: key, recipient: recipient, createdAtMillis: createdAtMillis)
            return Prepared(data: data, manifest: manifest, id: try BundleReader().open(data, file: "<memory>").id)
        } catch { throw .bundle(error) }
    }

    /// Moves the device's mark to the bundle's last sequence: the bundle was written or the
    /// server acknowledged it. The mark never moves back.
    public static func acknowledge(_ bundle: Prepared, store: DeviceStore) throws(BundleExportError) {
        guard let last = bundle.manifest.sequenceRange?.last else { return }
        try storing { () throws(StoreError) in try store.markBundled(through: last) }
    }

    /// The writer's input: the definitions of the pending events' interviews (held) and the
    /// events, read from the store one at a time as the writer takes them.
    static func input(_ pending: PendingEvents, store: DeviceStore) throws(BundleExportError) -> BundleInput {
        var map: [InterviewID: DefinitionHash] = [:]
        var files: [DefinitionHash: Data] = [:]
        for (id, definition) in pending.interviews.sorted(by: { $0.key < $1.key }) {
            guard let definition else { throw .missingInterview(id) }
            map[id] = definition
            if files[definition] == nil {
                guard let data = try storing({ () throws(StoreError) in try store.definitionData(hash: definition) }) else {
                    throw .missingDefinition(definition, interview: id)
                }
                files[definition] = data
            }
        }
        return BundleInput(definitionFiles: files, interviewDefinitions: map, eventCount: pending.count) { body in
            try store.forEachEvent(in: pending.sequences, body)
        }
    }

    /// Runs a store call, wrapping its error.
    private static func storing<T>(_ body: () throws(StoreError) -> T) throws(BundleExportError) -> T {
        do { return try body() } catch { throw .store(error) }
    }
}
