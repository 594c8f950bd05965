import Crypto
import Foundation
import SurveyModel

/// Why a package was refused (or could not be written), with the file it concerns:
/// `FILE: reason`, one line.
public struct PackageError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var kind: Kind

    public init(file: String, kind: Kind) {
        self.file = file
        self.kind = kind
    }

    public enum Kind: Error, Hashable, Sendable {
        /// The file does not start with the package magic (a bundle is named as such).
        case notAPackage(isBundle: Bool)
        case truncated(expected: Int, actual: Int)
        case trailingData(Int)
        case checksumMismatch
        case unsupportedFormatVersion(Int)
        /// The package is for another device.
        case otherDevice(DeviceID, this: DeviceID)
        /// The device was never given a coordinator key.
        case noCoordinatorKey
        /// Signed (by its manifest's word) by another coordinator than the one this device trusts.
        case otherCoordinator(signer: KeyFingerprint, trusted: KeyFingerprint)
        /// The signature does not verify with the trusted key.
        case badSignature
        /// Encrypted to a key this device does not have.
        case notForThisKey(recipient: KeyFingerprint)
        /// A failure of the payload, worded as for bundles (digest, decryption, caps, format, definitions).
        case payload(BundleError.Kind)
    }

    public var reason: String { DisplayText.escaped(text) }

    private var text: String {
        switch kind {
        case .notAPackage(let isBundle):
            isBundle
                ? "this is a device's bundle, not a package; bundles go to the coordinator (terep merge)"
                : "not a terep package (no 'terep-package' header); check that you picked the right file"
        case .truncated(let expected, let actual): "truncated: \(actual) of \(expected) bytes; copy the package again"
        case .trailingData(let n): "damaged: \(n) unexpected bytes after the end of the package; copy it again"
        case .checksumMismatch: "damaged: file checksum mismatch (bits changed in transit or on disk); copy it again"
        case .unsupportedFormatVersion(let v):
            "package format version \(v) is not supported (this terep reads version \(ContainerKind.package.version)); update terep"
        case .otherDevice(let device, let this):
            "this package is for device '\(device)', and this is device '\(this)'; ask the coordinator for this device's package"
        case .noCoordinatorKey:
            "this device has no coordinator key to check packages with; give it with terep device init --coordinator-key KEY"
        case .otherCoordinator(let signer, let trusted):
            "signed by coordinator key \(signer), but this device trusts coordinator key \(trusted); it is from another central dataset"
        case .badSignature: "signature does not verify with the coordinator's key (tampered or forged)"
        case .notForThisKey(let recipient):
            "encrypted to key \(recipient), which is not this device's encryption key"
        case .payload(let kind): BundleError(file: "", kind: kind).reason
        }
    }

    public var description: String { "\(DisplayText.escaped(file)): \(reason)" }
}

/// A package that passed every check.
public struct VerifiedPackage: Sendable {
    public let manifest: PackageManifest
    public let contents: PackageContents
    /// The included definitions, decoded and hash-checked.
    public let definitions: [DefinitionHash: CompiledSurvey]
}

/// Writes and reads packages: the coordinator's signed, optionally encrypted word to one device
/// (docs/package-format.md), in the container bundles use.
public enum PackageCodec {
    /// Encodes a package for `device`, signed with the coordinator's key and, when the device
    /// has an encryption key, sealed to it.
    public static func encode(
        _ contents: PackageContents, device: DeviceID, through: Int64, signingKey: CoordinatorSigningKey,
        recipient: DeviceEncryptionPublicKey?, createdAtMillis: Int64, file: String = "<memory>"
    ) throws(PackageError) -> Data {
        do {
            for (hash, bytes) in contents.definitionFiles { _ = try BundlePayload.verifiedDefinition(bytes, declared: hash) }
            let plain = try PackagePayload.encode(contents)
            guard let compressed = Zlib.deflate(plain) else { throw BundleError.Kind.io("zlib compression failed") }
            var stored = compressed
            var encryption: BundleManifest.EncryptionInfo?
            if let recipient {
                stored = try SignedContainer.seal(compressed, to: recipient, kind: .package, aad: Data(device.rawValue.utf8))
                encryption = .init(scheme: BundleFormat.encryptionScheme, recipient: recipient.fingerprint)
            }
            let manifest = PackageManifest(
                format: ContainerKind.package.version, device: device, coordinatorKey: signingKey.publicKey.text,
                through: through, caseCount: contents.cases.count, reviewCount: contents.reviews.count,
                definitions: contents.definitionFiles.keys.sorted(), createdAtMillis: createdAtMillis, encryption: encryption,
                payload: .init(
                    compression: "zlib", sha256: BundleFormat.sha256Hex(stored), storedSize: stored.count,
                    compressedSize: compressed.count, uncompressedSize: plain.count))
            let manifestBytes = try SurveyDefinition.canonicalEncoder().encode(manifest)
            let signature = try signingKey.signature(for: ContainerKind.package.signingInput(manifestBytes: manifestBytes))
            return SignedContainer.assemble(.package, manifestBytes: manifestBytes, signature: signature, payload: stored)
        } catch let error as BundleError.Kind {
            throw PackageError(file: file, kind: .payload(error))
        } catch {
            throw PackageError(file: file, kind: .payload(.io("\(error)")))
        }
    }

    /// Encodes a package and writes it atomically (as bundles are written).
    public static func write(
        _ contents: PackageContents, device: DeviceID, through: Int64, signingKey: CoordinatorSigningKey,
        recipient: DeviceEncryptionPublicKey?, createdAtMillis: Int64, to path: String
    ) throws(PackageError) {
        let data = try encode(
            contents, device: device, through: through, signingKey: signingKey, recipient: recipient,
            createdAtMillis: createdAtMillis, file: path)
        do {
            try AtomicFile.write(to: path) { emit in try emit([UInt8](data)[...]) }
        } catch { throw PackageError(file: path, kind: .payload(.io("\(error)"))) }
    }

    /// Every check in order: container and checksum, manifest, the device it is for, the
    /// coordinator's key and signature, the payload digest, decryption, capped inflating,
    /// payload format and definition hashes.
    public static func read(
        _ data: Data, file: String, device: DeviceID, coordinatorKey: CoordinatorVerifyingKey?,
        decryptionKey: DeviceEncryptionPrivateKey?, limits: BundleLimits = .default
    ) throws(PackageError) -> VerifiedPackage {
        func fail(_ kind: PackageError.Kind) -> PackageError { PackageError(file: file, kind: kind) }
        let parts: ContainerParts
        do { parts = try SignedContainer.parse(.package, data, maxPayload: limits.maxFileSize) } catch {
            throw fail(containerFailure(error, data: data))
        }
        let manifest: PackageManifest
        do { manifest = try JSONDecoder().decode(PackageManifest.self, from: parts.manifestBytes) } catch {
            throw fail(.payload(.malformedManifest(BundlePayload.describe(error, json: parts.manifestBytes))))
        }
        if let problem = manifest.rangeProblem { throw fail(.payload(.malformedManifest(problem))) }
        guard manifest.format == ContainerKind.package.version else { throw fail(.unsupportedFormatVersion(manifest.format)) }
        guard manifest.device == device else { throw fail(.otherDevice(manifest.device, this: device)) }
        guard let coordinatorKey else { throw fail(.noCoordinatorKey) }
        if let signer = manifest.coordinatorPublicKey, signer != coordinatorKey {
            throw fail(.otherCoordinator(signer: signer.fingerprint, trusted: coordinatorKey.fingerprint))
        }
        guard coordinatorKey.isValidSignature(parts.signature, for: ContainerKind.package.signingInput(manifestBytes: parts.manifestBytes))
        else { throw fail(.badSignature) }
        guard BundleFormat.sha256Hex(parts.payload) == manifest.payload.sha256 else { throw fail(.payload(.payloadDigestMismatch)) }
        var compressed = parts.payload
        if let encryption = manifest.encryption {
            guard encryption.scheme == BundleFormat.encryptionScheme else {
                throw fail(.payload(.malformedManifest("unknown encryption scheme '\(encryption.scheme)'")))
            }
            guard let decryptionKey, decryptionKey.publicKey.fingerprint == encryption.recipient else {
                throw fail(.notForThisKey(recipient: encryption.recipient))
            }
            guard let opened = SignedContainer.open(parts.payload, with: decryptionKey, kind: .package, aad: Data(device.rawValue.utf8))
            else { throw fail(.payload(.decryptionFailed)) }
            compressed = opened
        }
        do throws(BundleError.Kind) {
            let plain = try SignedContainer.inflate(compressed, declared: manifest.payload, limits: limits)
            let (contents, definitions) = try PackagePayload.decode(plain)
            guard contents.cases.count == manifest.caseCount, contents.reviews.count == manifest.reviewCount,
                contents.definitionFiles.keys.sorted() == manifest.definitions
            else { throw BundleError.Kind.malformedPayload("the payload's counts or definitions differ from the manifest's") }
            return VerifiedPackage(manifest: manifest, contents: contents, definitions: definitions)
        } catch { throw fail(.payload(error)) }
    }

    /// Reads a file (refusing one that is not a regular file or is over the cap) and checks it.
    public static func read(
        path: String, device: DeviceID, coordinatorKey: CoordinatorVerifyingKey?,
        decryptionKey: DeviceEncryptionPrivateKey?, limits: BundleLimits = .default
    ) throws(PackageError) -> VerifiedPackage {
        let data: Data
        do { data = try UntrustedFile.read(path: path, maxSize: limits.maxFileSize) } catch {
            throw PackageError(file: path, kind: .payload(error))
        }
        return try read(data, file: path, device: device, coordinatorKey: coordinatorKey, decryptionKey: decryptionKey, limits: limits)
    }

    private static func containerFailure(_ problem: ContainerProblem, data: Data) -> PackageError.Kind {
        switch problem {
        case .wrongMagic: .notAPackage(isBundle: data.starts(with: ContainerKind.bundle.magic))
        case .truncated(let expected, let actual): .truncated(expected: expected, actual: actual)
        case .trailingData(let n): .trailingData(n)
        case .unsupportedVersion(let v): .unsupportedFormatVersion(v)
        case .manifestTooLarge(let n): .payload(.malformedManifest("declared length \(n) bytes exceeds the 1 MiB limit"))
        case .payloadTooLarge(let n, let cap):
            .payload(.decompressionBomb("declares a \(n)-byte payload, above the \(cap >> 20) MiB cap"))
        case .checksumMismatch: .checksumMismatch
        }
    }
}
