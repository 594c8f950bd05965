import Crypto
import Foundation
import SurveyModel

/// What the central dataset knows about a device.
public enum DeviceRegistration: Hashable, Sendable {
    case registered(DevicePublicKey)
    case revoked
    case unknown
}

/// A bundle whose container, checksum and manifest were read; nothing is verified yet
/// beyond the whole-file checksum.
public struct SealedBundle: Sendable {
    public let file: String
    public let manifest: BundleManifest
    /// The exact manifest bytes that were signed.
    public let manifestBytes: Data
    public let signature: Data
    /// The payload as stored (compressed, maybe encrypted).
    public let payload: Data

    /// A stable identity of the bundle's content: SHA-256 (hex) of its signed manifest, which
    /// includes the payload digest. Re-copying the same file gives the same id.
    public var id: String { Data(SHA256.hash(data: manifestBytes)).hexString }

    /// Checks the signature against `key` and the payload digest against the manifest.
    public func verify(signedBy key: DevicePublicKey) throws(BundleError) {
        guard key.isValidSignature(signature, for: BundleFormat.signingInput(manifestBytes: manifestBytes)) else {
            throw fail(.badSignature(manifest.device))
        }
        guard Data(SHA256.hash(data: payload)).hexString == manifest.payload.sha256 else {
            throw fail(.payloadDigestMismatch)
        }
    }

    /// Checks the device against the registry, then the signature with the registered key.
    public func verify(devices: (DeviceID) -> DeviceRegistration) throws(BundleError) {
        switch devices(manifest.device) {
        case .unknown: throw fail(.unknownDevice(manifest.device, signer: manifest.signerFingerprint))
        case .revoked: throw fail(.revokedDevice(manifest.device))
        case .registered(let key):
            if let signer = manifest.signerPublicKey, signer != key {
                throw fail(.signerMismatch(manifest.device, registered: key.fingerprint, signer: signer.fingerprint))
            }
            try verify(signedBy: key)
        }
    }

    /// Decrypts (if needed), inflates within the limits, parses and checks the payload.
    ///
    /// Call only after ``verify(devices:)`` or ``verify(signedBy:)``: the manifest's sizes are
    /// trusted for the caps only because they are signed.
    public func unseal(coordinatorKey: CoordinatorPrivateKey?, limits: BundleLimits = .default) throws(BundleError) -> VerifiedBundle {
        do {
            let compressed = try decrypt(coordinatorKey)
            let plain = try SignedContainer.inflate(compressed, declared: manifest.payload, limits: limits)
            let (contents, definitions) = try BundlePayload.decode(plain)
            try BundleChecks.events(contents, device: manifest.device, declared: manifest)
            return VerifiedBundle(id: id, manifest: manifest, contents: contents, definitions: definitions)
        } catch { throw fail(error) }
    }

    private func decrypt(_ coordinatorKey: CoordinatorPrivateKey?) throws(BundleError.Kind) -> Data {
        guard let encryption = manifest.encryption else { return payload }
        guard encryption.scheme == BundleFormat.encryptionScheme else {
            throw .malformedManifest("unknown encryption scheme '\(encryption.scheme)'")
        }
        guard let coordinatorKey else { throw .encryptedNoKey(recipient: encryption.recipient) }
        let given = coordinatorKey.publicKey.fingerprint
        guard given == encryption.recipient else { throw .wrongCoordinatorKey(recipient: encryption.recipient, given: given) }
        guard let plain = SignedContainer.open(payload, with: coordinatorKey, kind: .bundle, aad: Data(manifest.device.rawValue.utf8))
        else { throw .decryptionFailed }
        return plain
    }

    func fail(_ kind: BundleError.Kind) -> BundleError { BundleError(file: file, kind: kind) }
}

/// A bundle that passed every check: its events and definitions are ready to merge.
public struct VerifiedBundle: Sendable {
    /// ``SealedBundle/id``.
    public let id: String
    public let manifest: BundleManifest
    public let contents: BundleContents
    /// The included definitions, decoded and hash-checked.
    public let definitions: [DefinitionHash: CompiledSurvey]
}

/// Reads bundles, enforcing limits; never traps on any input.
public struct BundleReader: Sendable {
    public var limits: BundleLimits

    public init(limits: BundleLimits = .default) { self.limits = limits }

    /// Reads the container: magic, version, lengths, whole-file checksum, manifest.
    public func open(_ data: Data, file: String) throws(BundleError) -> SealedBundle {
        do { return try parse(data, file: file) } catch { throw BundleError(file: file, kind: error) }
    }

    /// Reads a file and runs ``open(_:file:)``.
    public func open(path: String) throws(BundleError) -> SealedBundle {
        try open(try readFile(path), file: path)
    }

    /// Every check in order: container, device registration and signature, payload digest,
    /// decryption, capped decompression, payload format, definition hashes, event consistency.
    public func read(
        _ data: Data, file: String, devices: (DeviceID) -> DeviceRegistration, coordinatorKey: CoordinatorPrivateKey?
    ) throws(BundleError) -> VerifiedBundle {
        let sealed = try open(data, file: file)
        try sealed.verify(devices: devices)
        return try sealed.unseal(coordinatorKey: coordinatorKey, limits: limits)
    }

    /// Reads a file and runs ``read(_:file:devices:coordinatorKey:)``.
    public func read(
        path: String, devices: (DeviceID) -> DeviceRegistration, coordinatorKey: CoordinatorPrivateKey?
    ) throws(BundleError) -> VerifiedBundle {
        try read(try readFile(path), file: path, devices: devices, coordinatorKey: coordinatorKey)
    }

    private func readFile(_ path: String) throws(BundleError) -> Data {
        do {
            let file = try InputFile(path: path, maxSize: limits.maxFileSize)
            return try file.readAll()
        } catch { throw BundleError(file: path, kind: error) }
    }

    /// SHA-256 (hex) of a bundle file, read in chunks (constant memory), for the log of
    /// refused bundles; nil when the file is not a readable regular file within the size cap.
    public func fileDigest(path: String) -> String? {
        guard let file = try? InputFile(path: path, maxSize: limits.maxFileSize) else { return nil }
        return try? file.sha256Hex()
    }

    private func parse(_ data: Data, file: String) throws(BundleError.Kind) -> SealedBundle {
        let parts: ContainerParts
        do { parts = try SignedContainer.parse(.bundle, data, maxPayload: limits.maxFileSize) } catch {
            switch error {
            case .wrongMagic: throw .notABundle
            case .truncated(let expected, let actual): throw .truncated(expected: expected, actual: actual)
            case .trailingData(let n): throw .trailingData(n)
            case .unsupportedVersion(let v): throw .unsupportedFormatVersion(v)
            case .manifestTooLarge(let n): throw .malformedManifest("declared length \(n) bytes exceeds the 1 MiB limit")
            case .payloadTooLarge(let n, let cap):
                throw .decompressionBomb("declares a \(n)-byte payload, above the \(cap >> 20) MiB cap")
            case .checksumMismatch: throw .checksumMismatch
            }
        }
        let manifest: BundleManifest
        do { manifest = try JSONDecoder().decode(BundleManifest.self, from: parts.manifestBytes) } catch {
            throw .malformedManifest(BundlePayload.describe(error, json: parts.manifestBytes))
        }
        if let problem = manifest.rangeProblem { throw .malformedManifest(problem) }
        guard manifest.format == ContainerKind.bundle.version else {
            throw .malformedManifest("manifest format \(manifest.format) differs from the header's \(ContainerKind.bundle.version)")
        }
        guard manifest.payload.storedSize == parts.payload.count else {
            throw .malformedManifest("payload size \(parts.payload.count) differs from the declared \(manifest.payload.storedSize)")
        }
        return SealedBundle(
            file: file, manifest: manifest, manifestBytes: parts.manifestBytes, signature: parts.signature, payload: parts.payload)
    }
}

extension Data {
    /// Reads a big-endian integer at a zero-based offset (the caller checks the bounds).
    func readBigEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value = value << 8 | T(self[startIndex + offset + i]) }
        return value
    }
}
