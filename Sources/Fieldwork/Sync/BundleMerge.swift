import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID
import enum SurveyModel.DisplayText
import class SurveyModel.ProgressLine

/// What happened to one bundle in a merge run.
public struct MergeOutcome: Encodable, Hashable, Sendable {
    /// Whether the bundle was merged, had been merged before, was refused (the bundle's fault),
    /// or could not be stored (the central dataset's fault: it is neither merged nor refused).
    public enum Status: String, Encodable, Hashable, Sendable {
        case merged
        case alreadyMerged = "already-merged"
        case rejected
        /// The central dataset failed (``StoreError/Fault/storage``: disk full, I/O error,
        /// read-only, its database server gone): nothing of the bundle was stored and no
        /// rejection logged; the same bundle merges once the dataset is repaired.
        case notStored = "not-stored"
    }

    public var file: String
    public var status: Status
    public var device: String?
    public var events = 0
    public var newEvents = 0
    public var duplicateEvents = 0
    public var newInterviews = 0
    public var updatedInterviews = 0
    public var newConflicts = 0
    /// Why the bundle was refused, or not stored: one line, escaped.
    public var reason: String?
    /// For a bundle not stored: the central dataset's failure.
    public var storeFailure: StoreError?

    private enum CodingKeys: String, CodingKey {
        case file, status, device, events, newEvents, duplicateEvents, newInterviews, updatedInterviews, newConflicts, reason
    }

    public init(file: String, status: Status, device: String? = nil, reason: String? = nil) {
        self.file = file
        self.status = status
        self.device = device
        self.reason = reason
    }

    /// The one line `terep merge` prints for the bundle: the file name is escaped
    /// (``DisplayText``) and the reason was escaped when it was made, so whatever a file is
    /// called or holds, it is one line.
    public var line: String {
        let file = DisplayText.escaped(file)
        return switch status {
        case .rejected: "REJECTED \(file): \(reason ?? "?")"
        case .notStored: "NOT STORED \(file): \(reason ?? "?")"
        case .alreadyMerged: "already merged \(file): nothing changed"
        case .merged:
            "merged \(file): \(newEvents) new events, \(duplicateEvents) duplicates skipped, "
                + "\(newInterviews) new and \(updatedInterviews) updated interviews, \(newConflicts) new conflicts"
        }
    }
}

/// Verifies, unseals and applies bundles to a central dataset one by one, each in one
/// transaction; rejections are logged in the dataset and never stop the other bundles. A failure
/// of the dataset itself is no rejection: the bundle is ``MergeOutcome/Status/notStored``,
/// nothing is logged, and a run of files stops there.
public struct BundleMerger {
    public let central: any CentralDataset
    public let coordinatorKey: CoordinatorPrivateKey?
    public let trustNewDevices: Bool
    /// Receives a line for each device registered on first use (the CLI prints it on stderr).
    public var note: (String) -> Void
    /// Where a merge and the cleaning after it say how far they are (silent unless the command
    /// gives a terminal's line).
    public var progress = ProgressLine.silent
    /// The largest payload (inflated bytes, as the signed manifest declares and the inflater
    /// enforces) decoded in memory before its transaction (``prepare(uploadFile:bodySHA256:name:sentBy:)``):
    /// 4 MiB (a day's bundle is a few hundred kB), so the bundles a server holds decoded at
    /// once stay within a bounded memory. Larger payloads stream from their files into the
    /// transaction.
    public var decodedFirstBytes = decodedFirstDefault
    /// ``decodedFirstBytes`` unless changed: 4 MiB.
    public static let decodedFirstDefault = 4 << 20
    let reader = BundleReader()

    public init(
        central: any CentralDataset, coordinatorKey: CoordinatorPrivateKey?, trustNewDevices: Bool,
        note: @escaping (String) -> Void = { _ in }
    ) {
        self.central = central
        self.coordinatorKey = coordinatorKey
        self.trustNewDevices = trustNewDevices
        self.note = note
    }

    /// A merger for the central dataset at `path`, with the coordinator key stored in it.
    ///
    /// Fails once, up front, when the dataset cannot be written (read-only file, folder or
    /// disk), rather than refusing every bundle for it.
    ///
    /// A coordinator key protected by a passphrase is unlocked here, once, with `passphrase`
    /// (throws ``KeyAccessError``); otherwise throws ``StoreError``.
    public static func open(
        centralPath path: String, trustNewDevices: Bool, note: @escaping (String) -> Void = { _ in },
        passphrase: PassphraseSource = KeyAccessError.noPassphrase
    ) throws -> BundleMerger {
        try open(central: try CentralStore.open(path: path), trustNewDevices: trustNewDevices, note: note, passphrase: passphrase)
    }

    /// A merger for an open central dataset (any implementation; see above).
    public static func open(
        central: any CentralDataset, trustNewDevices: Bool, note: @escaping (String) -> Void = { _ in },
        passphrase: PassphraseSource = KeyAccessError.noPassphrase
    ) throws -> BundleMerger {
        try central.checkWritable()
        let key = try CentralAdmin.coordinatorKey(in: central, passphrase: passphrase)
        return BundleMerger(central: central, coordinatorKey: key, trustNewDevices: trustNewDevices, note: note)
    }

    /// Merges every file in order; `progress` is called after each with its outcome and index.
    /// Stops at the first file the dataset cannot store (the files after it are the summary's
    /// ``MergeSummary/notTried``): the next would meet the same failure.
    public mutating func merge(
        _ files: [String], progress: (_ index: Int, _ outcome: MergeOutcome) -> Void = { _, _ in }
    ) -> MergeSummary {
        var outcomes: [MergeOutcome] = []
        for (index, file) in files.enumerated() {
            let outcome = merge(file)
            outcomes.append(outcome)
            progress(index, outcome)
            if outcome.status == .notStored { return MergeSummary(outcomes: outcomes, notTried: Array(files[(index + 1)...])) }
        }
        return MergeSummary(outcomes: outcomes)
    }

    /// Verifies and applies one bundle file; never throws: a fault of the bundle is a rejected
    /// outcome, one of the dataset a bundle not stored.
    public mutating func merge(_ file: String) -> MergeOutcome {
        let outcome = MergeOutcome(file: file, status: .rejected)
        let sealed: SealedBundle
        do {
            sealed = try reader.open(path: file)
        } catch {
            // The log's key: the file's digest, hashed in chunks, or (for a file that was not
            // read at all: missing, not a regular file, above the cap) its name.
            let hash = reader.fileDigest(path: file) ?? "unread:\(file)"
            return reject(outcome, hash: hash, device: nil, reason: error.reason)
        }
        return merge(sealed, file: file)
    }

    /// Verifies and applies a bundle received over the network from `sender` (the device whose
    /// signed request carried it), named `name` in the receipt log; never throws. A bundle of
    /// another device than its sender is refused. Also gives the bundle's id (the SHA-256 of its
    /// manifest, which the sender compares with its own), or nil when it could not be read.
    public func merge(upload data: Data, name: String, sentBy sender: DeviceID) -> (outcome: MergeOutcome, bundle: String?) {
        merge(
            uploadNamed: name, sentBy: sender, digest: { RequestSignature.digest(data) },
            open: { () throws(BundleError) in try reader.open(data, file: name) })
    }

    /// Like ``merge(upload:name:sentBy:)``, for an upload the server spooled to the file at
    /// `path` (read in chunks, so memory does not grow with the bundle); `bodySHA256` is the
    /// digest computed while it was received.
    public func merge(uploadFile path: String, bodySHA256: String, name: String, sentBy sender: DeviceID)
        -> (outcome: MergeOutcome, bundle: String?)
    {
        merge(
            uploadNamed: name, sentBy: sender, digest: { bodySHA256 },
            open: { () throws(BundleError) in try reader.open(path: path, name: name) })
    }

    private func merge(
        uploadNamed name: String, sentBy sender: DeviceID, digest: () -> String, open: () throws(BundleError) -> SealedBundle
    ) -> (outcome: MergeOutcome, bundle: String?) {
        switch prepare(uploadNamed: name, sentBy: sender, digest: digest, open: open) {
        case .finished(let outcome, let bundle): return (outcome, bundle)
        case .ready(let prepared): return (write([prepared])[0], prepared.id)
        }
    }

    func prepare(
        uploadNamed name: String, sentBy sender: DeviceID, digest: () -> String, open: () throws(BundleError) -> SealedBundle
    ) -> UploadStep {
        let outcome = MergeOutcome(file: name, status: .rejected, device: sender.rawValue)
        let sealed: SealedBundle
        do {
            sealed = try open()
        } catch {
            return .finished(reject(outcome, hash: "upload:" + digest(), device: sender, reason: error.reason), bundle: nil)
        }
        guard sealed.manifest.device == sender else {
            let reason = DisplayText.escaped(
                "the bundle is device \(sealed.manifest.device)'s, but device \(sender) sent it: a device uploads only its own bundles")
            return .finished(reject(outcome, hash: sealed.id, device: sender, reason: reason), bundle: sealed.id)
        }
        return prepare(sealed, file: name)
    }

    private func merge(_ sealed: SealedBundle, file: String) -> MergeOutcome {
        switch prepare(sealed, file: file) {
        case .finished(let outcome, _): outcome
        case .ready(let prepared): write([prepared])[0]
        }
    }

    /// Verifies a bundle (a copy of one merged before is only checked for forgery) and, when
    /// its payload is at most ``decodedFirstBytes``, decrypts, inflates, decodes and checks it:
    /// everything but the write, outside any transaction. Never throws: a fault is a refusal,
    /// logged.
    func prepare(_ sealed: SealedBundle, file: String) -> UploadStep {
        do {
            if let known = try central.bundle(hash: sealed.id), known.accepted {
                // A copy of a merged bundle changes nothing, but a forged copy is still refused.
                let registration = try registration(of: sealed.manifest.device)
                try sealed.verify(devices: { _ in registration })
                return .finished(
                    MergeOutcome(file: file, status: .alreadyMerged, device: sealed.manifest.device.rawValue), bundle: sealed.id)
            }
            let newDevice = try verify(sealed, file: file)
            let range = sealed.manifest.sequenceRange
            let receipt = BundleReceipt(
                hash: sealed.id, fileName: file, device: sealed.manifest.device, firstSequence: range?.first ?? 0,
                lastSequence: range?.last ?? 0, receivedAt: DeviceStore.currentMilliseconds())
            let decoded =
                sealed.manifest.payload.uncompressedSize <= decodedFirstBytes ? try sealed.unseal(coordinatorKey: coordinatorKey) : nil
            return .ready(PreparedBundle(sealed: sealed, file: file, receipt: receipt, newDevice: newDevice, decoded: decoded))
        } catch {
            let outcome = MergeOutcome(file: file, status: .rejected)
            return .finished(failed(outcome, error, hash: sealed.id, device: sealed.manifest.device), bundle: sealed.id)
        }
    }

    /// The outcome of a bundle that met `error`: refused and logged when it is the bundle's
    /// fault, not stored (nothing logged: the store failed) when it is the dataset's.
    func failed(_ outcome: MergeOutcome, _ error: any Error, hash: String, device: DeviceID?) -> MergeOutcome {
        guard let failure = error as? StoreError, failure.fault == .storage else {
            return reject(outcome, hash: hash, device: device, reason: Self.reason(error))
        }
        return Self.notStored(outcome, failure)
    }

    /// A bundle the dataset could not store: the cause, and that the bundle stays to be merged again.
    static func notStored(_ outcome: MergeOutcome, _ failure: StoreError) -> MergeOutcome {
        var outcome = outcome
        outcome.status = .notStored
        outcome.storeFailure = failure
        outcome.reason =
            "the central dataset could not store it: \(failure.sentence) Nothing of the bundle was merged and it was not "
            + "refused: merge it again once this is fixed."
        return outcome
    }

    /// A refusal's one line for any error a merge meets.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as BundleError: error.reason
        case let error as StoreError: error.description
        default: DisplayText.escaped("\(error)")
        }
    }

    /// Checks registration, signature and payload digest. An unknown device's bundle, when
    /// trusting new devices, is checked with its own key, and the device comes back to be
    /// registered in the same transaction as the merge (never for a refused bundle).
    private func verify(_ sealed: SealedBundle, file: String) throws -> TrustedDevice? {
        let device = sealed.manifest.device
        let registered = try central.device(device)
        if registered == nil, trustNewDevices, let signer = sealed.manifest.signerPublicKey {
            try sealed.verify(signedBy: signer)
            let registration = NewDevice(
                publicKey: signer.rawRepresentation, method: .trustOnFirstUse,
                note: "trusted on first use from bundle \(file) (key \(signer.fingerprint))")
            return TrustedDevice(registration: registration, fingerprint: signer.fingerprint)
        }
        let registration = Self.registration(registered)
        try sealed.verify(devices: { _ in registration })
        return nil
    }

    /// A device registered on first use, with its key's fingerprint for the note.
    struct TrustedDevice: Sendable {
        let registration: NewDevice
        let fingerprint: KeyFingerprint
    }

    /// What the central dataset knows of a device's signing key.
    private func registration(of device: DeviceID) throws -> DeviceRegistration {
        Self.registration(try central.device(device))
    }

    private static func registration(_ registered: RegisteredDevice?) -> DeviceRegistration {
        switch registered {
        case nil: .unknown
        case let known? where known.status == .revoked: .revoked
        case let known?: (try? DevicePublicKey(rawRepresentation: known.publicKey)).map { .registered($0) } ?? .unknown
        }
    }

    func reject(_ outcome: MergeOutcome, hash: String, device: DeviceID?, reason: String) -> MergeOutcome {
        var outcome = outcome
        outcome.status = .rejected
        outcome.reason = reason
        do {
            try central.recordRejected(hash: hash, fileName: outcome.file, device: device, reason: reason)
        } catch {
            outcome.reason = reason + " (and the rejection could not be logged: \(error))"
        }
        return outcome
    }
}
