import Crypto
import Foundation
import SurveyModel

/// What the central dataset knows about a device.
public enum DeviceRegistration: Hashable, Sendable {
    case registered(DevicePublicKey)
    case revoked
    case unknown
}

/// A bundle whose container, checksum and manifest were read (the whole file streamed once
/// for its checksum and its payload's digest); nothing is verified yet beyond the checksum.
public struct SealedBundle: Sendable {
    public let file: String
    public let manifest: BundleManifest
    /// The exact manifest bytes that were signed.
    public let manifestBytes: Data
    public let signature: Data
    /// The bundle's bytes, read again when the payload is unsealed.
    let source: any ByteSource
    /// Where the stored payload lies in the bundle.
    let payloadRange: Range<Int>
    /// SHA-256 (hex) of the stored payload as it was read when the bundle was opened.
    let payloadDigest: String

    /// A stable identity of the bundle's content: SHA-256 (hex) of its signed manifest, which
    /// includes the payload digest. Re-copying the same file gives the same id. Computed once,
    /// when the bundle is opened (a merge asks for it several times).
    public let id: String

    /// The payload as stored (compressed, maybe encrypted), read whole: for tools and tests.
    public var payload: Data { (try? Data(source.bytes(at: payloadRange.lowerBound, count: payloadRange.count))) ?? Data() }

    /// Checks the signature against `key` and the payload digest against the manifest.
    public func verify(signedBy key: DevicePublicKey) throws(BundleError) {
        guard key.isValidSignature(signature, for: BundleFormat.signingInput(manifestBytes: manifestBytes)) else {
            throw fail(.badSignature(manifest.device))
        }
        guard payloadDigest == manifest.payload.sha256 else { throw fail(.payloadDigestMismatch) }
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

    /// Decrypts (if needed), inflates within the limits, parses and checks the payload, all in
    /// memory: for inspection, tests and fuzzing. ``unseal(coordinatorKey:limits:into:)`` streams.
    ///
    /// Call only after ``verify(devices:)`` or ``verify(signedBy:)``: the manifest's sizes are
    /// trusted for the caps only because they are signed.
    public func unseal(coordinatorKey: CoordinatorPrivateKey?, limits: BundleLimits = .default) throws(BundleError) -> VerifiedBundle {
        var header = PayloadHeader()
        var events: [InterviewEvent] = []
        do {
            try unseal(coordinatorKey: coordinatorKey, limits: limits) { part in
                switch part {
                case .header(let h):
                    header = h
                    events.reserveCapacity(Swift.min(h.eventCount, 1 << 20))
                case .event(let e): events.append(e)
                }
            }
        } catch let error as BundleError { throw error } catch { throw fail(.io("\(error)")) }
        let contents = BundleContents(
            events: events, definitionFiles: header.definitionFiles, interviewDefinitions: header.interviewDefinitions)
        return VerifiedBundle(id: id, manifest: manifest, contents: contents, definitions: header.definitions)
    }

    /// Streams the payload: decrypts (chunk by chunk in format 2), inflates within the limits,
    /// parses, checks each event, and hands `receive` the header, then each event in order.
    /// Memory does not grow with the bundle. The consistency checks that need every event
    /// (counts, range) and the payload's digest (read again, so a file changed since it was
    /// opened is caught) fail only after the last event: a caller that applies events as they
    /// come does so in a transaction it rolls back when this throws.
    ///
    /// Throws ``BundleError`` for the bundle's faults and rethrows what `receive` throws.
    public func unseal(
        coordinatorKey: CoordinatorPrivateKey?, limits: BundleLimits = .default, into receive: (PayloadPart) throws -> Void
    ) throws {
        var stage: PayloadStages
        do { stage = try PayloadStages(manifest: manifest, coordinatorKey: coordinatorKey, limits: limits) } catch {
            throw fail(error)
        }
        var parser = PayloadParser(limits: limits)
        var checker: EventChecker?
        var definitions: [DefinitionHash] = []
        try withoutActuallyEscaping(receive) { receive in
            let part: (PayloadPart) throws -> Void = { part in
                switch part {
                case .header(let header):
                    try Self.declared(header.eventCount, matches: manifest)
                    checker = EventChecker(device: manifest.device, interviewDefinitions: header.interviewDefinitions)
                    definitions = Array(header.definitionFiles.keys)
                case .event(let event):
                    try checker?.check(event)
                }
                try receive(part)
            }
            do {
                var digest = SHA256()
                try source.forEachChunk(in: payloadRange) { stored in
                    digest.update(data: stored)
                    try stage.push(stored) { plain in try parser.push(plain, part) }
                }
                try stage.finish { plain in try parser.push(plain, part) }
                try parser.finish()
                guard Data(digest.finalize()).hexString == manifest.payload.sha256 else { throw BundleError.Kind.payloadDigestMismatch }
                try (checker ?? EventChecker(device: manifest.device, interviewDefinitions: [:]))
                    .finish(definitions: definitions, declared: manifest)
            } catch let kind as BundleError.Kind {
                throw fail(kind)
            } catch let failure as InflateFailure {
                throw fail(stage.describe(failure))
            }
            // Anything else is the receiver's error and passes through as it is.
        }
    }

    /// The payload's `events N` line against the manifest, before any event is read.
    private static func declared(_ count: Int, matches manifest: BundleManifest) throws(BundleError.Kind) {
        guard count == manifest.eventCount else {
            throw .inconsistentEvents("\(count) events, manifest says \(manifest.eventCount)")
        }
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

    /// Reads a bundle's container from memory: magic, version, lengths, whole-file checksum, manifest.
    public func open(_ data: Data, file: String) throws(BundleError) -> SealedBundle {
        do { return try BundleContainer.open(MemoryBytes(data: data), file: file, limits: limits) } catch {
            throw BundleError(file: file, kind: error)
        }
    }

    /// Opens a file and reads its container in chunks (``open(_:file:)``); nothing is held in
    /// memory but the manifest. Errors name the file `name` (the path by default: a server's
    /// spooled upload is named by where it came from instead).
    public func open(path: String, name: String? = nil) throws(BundleError) -> SealedBundle {
        do {
            let file = try InputFile(path: path, maxSize: limits.maxFileSize)
            return try BundleContainer.open(file, file: name ?? path, limits: limits)
        } catch { throw BundleError(file: name ?? path, kind: error) }
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

    /// Reads a file and runs the same checks as ``read(_:file:devices:coordinatorKey:)``.
    public func read(
        path: String, devices: (DeviceID) -> DeviceRegistration, coordinatorKey: CoordinatorPrivateKey?
    ) throws(BundleError) -> VerifiedBundle {
        let sealed = try open(path: path)
        try sealed.verify(devices: devices)
        return try sealed.unseal(coordinatorKey: coordinatorKey, limits: limits)
    }

    /// SHA-256 (hex) of a bundle file, read in chunks (constant memory), for the log of
    /// refused bundles; nil when the file is not a readable regular file within the size cap.
    public func fileDigest(path: String) -> String? {
        guard let file = try? InputFile(path: path, maxSize: limits.maxFileSize) else { return nil }
        return try? file.sha256Hex()
    }
}

/// The container (docs/bundle-format.md §1): header, manifest, signature, payload, checksum.
enum BundleContainer {
    static func open(_ source: some ByteSource, file: String, limits: BundleLimits) throws(BundleError.Kind) -> SealedBundle {
        let magic = Array(BundleFormat.magic)
        let head = try source.bytes(at: 0, count: Swift.min(source.size, BundleFormat.headerSize))
        guard head.count >= magic.count else {
            if !head.isEmpty, magic.starts(with: head) { throw .truncated(expected: BundleFormat.headerSize, actual: head.count) }
            throw .notABundle
        }
        guard head.starts(with: magic) else { throw .notABundle }
        guard head.count >= BundleFormat.headerSize else { throw .truncated(expected: BundleFormat.headerSize, actual: head.count) }
        let header = Data(head)
        let version = Int(header.readBigEndian(UInt16.self, at: magic.count))
        guard BundleFormat.readableVersions.contains(version) else { throw .unsupportedFormatVersion(version) }
        let manifestLength = Int(header.readBigEndian(UInt32.self, at: magic.count + 2))
        let payloadLength64 = header.readBigEndian(UInt64.self, at: magic.count + 6)
        guard manifestLength <= BundleFormat.maxManifestSize else {
            throw .malformedManifest("declared length \(manifestLength) bytes exceeds the 1 MiB limit")
        }
        guard payloadLength64 <= UInt64(limits.maxFileSize) else {
            throw .decompressionBomb("declares a \(payloadLength64)-byte payload, above the \(limits.maxFileSize >> 20) MiB cap")
        }
        let manifestStart = BundleFormat.headerSize
        let signatureStart = manifestStart + manifestLength
        let payloadStart = signatureStart + BundleFormat.signatureSize
        let checksumStart = payloadStart + Int(payloadLength64)
        let total = checksumStart + BundleFormat.checksumSize
        guard source.size >= total else { throw .truncated(expected: total, actual: source.size) }
        guard source.size == total else { throw .trailingData(source.size - total) }
        let checksum = try source.bytes(at: checksumStart, count: BundleFormat.checksumSize)
        guard try source.sha256(of: 0..<checksumStart) == checksum else { throw .checksumMismatch }
        let manifestBytes = Data(try source.bytes(at: manifestStart, count: manifestLength))
        let manifest = try decodeManifest(manifestBytes, version: version, payloadLength: Int(payloadLength64))
        let payloadDigest = try source.sha256(of: payloadStart..<checksumStart)
        return SealedBundle(
            file: file, manifest: manifest, manifestBytes: manifestBytes,
            signature: Data(try source.bytes(at: signatureStart, count: BundleFormat.signatureSize)), source: source,
            payloadRange: payloadStart..<checksumStart, payloadDigest: Data(payloadDigest).hexString,
            id: Data(SHA256.hash(data: manifestBytes)).hexString)
    }

    private static func decodeManifest(_ bytes: Data, version: Int, payloadLength: Int) throws(BundleError.Kind) -> BundleManifest {
        let manifest: BundleManifest
        if let plain = BundleManifest.plain(bytes) {
            manifest = plain
        } else {
            do { manifest = try JSONDecoder().decode(BundleManifest.self, from: bytes) } catch {
                throw .malformedManifest(BundlePayload.describe(error, json: bytes))
            }
        }
        if let problem = manifest.rangeProblem { throw .malformedManifest(problem) }
        guard manifest.format == version else {
            throw .malformedManifest("manifest format \(manifest.format) differs from the header's \(version)")
        }
        guard manifest.payload.storedSize == payloadLength else {
            throw .malformedManifest("payload size \(payloadLength) differs from the declared \(manifest.payload.storedSize)")
        }
        return manifest
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
