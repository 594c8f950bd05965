import SurveyModel

/// Why a bundle was rejected (or could not be written), with the file it concerns.
///
/// ``description`` is one line: `FILE: reason`, ending with what to do where that helps.
public struct BundleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bundle's path (or a label such as `<memory>`).
    public var file: String
    public var kind: Kind

    public init(file: String, kind: Kind) {
        self.file = file
        self.kind = kind
    }

    /// Every way a bundle can be rejected.
    public enum Kind: Error, Hashable, Sendable {
        /// The file does not start with the bundle magic.
        case notABundle
        /// The file is shorter than its header says.
        case truncated(expected: Int, actual: Int)
        /// Bytes follow the bundle's end.
        case trailingData(Int)
        /// The whole-file checksum does not match: bits changed in transit or on disk.
        case checksumMismatch
        /// A bundle format this version of terep does not read.
        case unsupportedFormatVersion(Int)
        /// The manifest is not valid JSON of the expected shape, or is inconsistent with the header.
        case malformedManifest(String)
        /// The device is not registered at the central dataset.
        case unknownDevice(DeviceID, signer: KeyFingerprint)
        /// The device was revoked.
        case revokedDevice(DeviceID)
        /// The bundle was signed by another key than the one registered for its device.
        case signerMismatch(DeviceID, registered: KeyFingerprint, signer: KeyFingerprint)
        /// The signature does not verify.
        case badSignature(DeviceID)
        /// The payload's SHA-256 differs from the (signed) manifest's.
        case payloadDigestMismatch
        /// The payload is encrypted and no coordinator key was given.
        case encryptedNoKey(recipient: KeyFingerprint)
        /// The payload is encrypted to another coordinator key.
        case wrongCoordinatorKey(recipient: KeyFingerprint, given: KeyFingerprint)
        /// HPKE decryption failed although the key fingerprint matched.
        case decryptionFailed
        /// The payload would inflate beyond the caps.
        case decompressionBomb(String)
        /// The compressed payload is damaged.
        case corruptCompression(String)
        /// The decompressed payload is not in the payload format.
        case malformedPayload(String)
        /// The N-th event line (from 1) is not valid event JSON.
        case malformedEvent(index: Int, String)
        /// An included definition is not a valid compiled-survey file.
        case malformedDefinition(DefinitionHash, String)
        /// An included definition's content hash differs from its declared hash.
        case definitionHashMismatch(declared: DefinitionHash, actual: DefinitionHash)
        /// An event is outside ``EventBounds``: a number (sequence, timestamp, answer, row) out of
        /// range, or a NUL character in its device, interview or interviewer.
        case outOfRange(String)
        /// The events disagree with the manifest or among themselves.
        case inconsistentEvents(String)
        /// Reading or writing the file failed.
        case io(String)
    }

    /// The reason, without the file name: one line, with anything the file brought (device
    /// ids, names, JSON keys) escaped by ``DisplayText``.
    public var reason: String { DisplayText.escaped(text) }

    private var text: String {
        switch kind {
        case .notABundle: "not a terep bundle (no 'terep-bundle' header); check that you picked the right file"
        case .truncated(let expected, let actual):
            "truncated: \(actual) of \(expected) bytes; copy the bundle again from the device"
        case .trailingData(let n): "damaged: \(n) unexpected bytes after the end of the bundle; copy it again"
        case .checksumMismatch: "damaged: file checksum mismatch (bits changed in transit or on disk); copy it again"
        case .unsupportedFormatVersion(let v):
            "bundle format version \(v) is not supported (this terep reads versions \(BundleFormat.readableVersions.lowerBound) to \(BundleFormat.readableVersions.upperBound)); update terep"
        case .malformedManifest(let why): "malformed manifest: \(why)"
        case .unknownDevice(let device, let signer):
            "device '\(device)' is not registered (its key \(signer)); register it with 'terep central add-device'"
        case .revokedDevice(let device): "device '\(device)' is revoked; its bundles are not accepted"
        case .signerMismatch(let device, let registered, let signer):
            "signed by key \(signer), but device '\(device)' is registered with key \(registered)"
        case .badSignature(let device): "signature does not verify with the registered key of device '\(device)'"
        case .payloadDigestMismatch: "payload SHA-256 does not match the signed manifest (tampered or damaged)"
        case .encryptedNoKey(let recipient):
            "encrypted to coordinator key \(recipient); pass the coordinator's private key to open it"
        case .wrongCoordinatorKey(let recipient, let given):
            "encrypted to coordinator key \(recipient), but the key given is \(given)"
        case .decryptionFailed: "decryption failed (payload damaged or not sealed for this key)"
        case .decompressionBomb(let why): "rejected as a decompression bomb: \(why)"
        case .corruptCompression(let why): "compressed payload is damaged: \(why)"
        case .malformedPayload(let why): "malformed payload: \(why)"
        case .malformedEvent(let index, let why): "malformed event line \(index) (of the events section): \(why)"
        case .malformedDefinition(let hash, let why): "definition \(hash.short) is not a valid compiled survey: \(why)"
        case .definitionHashMismatch(let declared, let actual):
            "definition declared as \(declared.short) hashes to \(actual.short)"
        case .outOfRange(let why): "an event is out of bounds: \(why)"
        case .inconsistentEvents(let why): "events inconsistent with the manifest: \(why)"
        case .io(let why): why
        }
    }

    /// `FILE: reason`, on one line (the file name escaped too).
    public var description: String { "\(DisplayText.escaped(file)): \(reason)" }
}
