import Crypto
import Foundation
import SurveyModel

/// The plaintext, non-PII description of a bundle, signed by the device.
///
/// It holds only identifiers, counts, hashes and sizes: it can be read (`terep bundle
/// inspect`) without the coordinator's key, and never contains an answer.
public struct BundleManifest: Hashable, Sendable, Codable {
    /// The bundle format version (equal to the header's).
    public var format: Int
    /// The device that wrote and signed the bundle.
    public var device: DeviceID
    /// The device's Ed25519 public key (`ed25519:BASE64`), so `inspect` can check the
    /// signature and a coordinator can see which key a new device uses. The central dataset
    /// still verifies with the key it registered.
    public var signerKey: String
    /// The lowest and highest event sequence numbers included; nil when there are no events.
    public var sequenceRange: SequenceSpan?
    public var eventCount: Int
    public var interviewCount: Int
    /// The definitions included in the payload, sorted.
    public var definitions: [DefinitionHash]
    /// When the bundle was made: milliseconds since 1970 (device clock).
    public var createdAtMillis: Int64
    /// Present when the payload is encrypted.
    public var encryption: EncryptionInfo?
    public var payload: PayloadInfo

    /// A closed range of sequence numbers, `{"first":1,"last":40}`.
    public struct SequenceSpan: Hashable, Sendable, Codable {
        public var first: Int64
        public var last: Int64
        public init(first: Int64, last: Int64) {
            self.first = first
            self.last = last
        }
        public var range: ClosedRange<Int64>? { first <= last ? first...last : nil }
    }

    /// How the payload is encrypted.
    public struct EncryptionInfo: Hashable, Sendable, Codable {
        /// Always `hpke-x25519-sha256-chachapoly` in format 1.
        public var scheme: String
        /// The fingerprint of the coordinator public key it is sealed to.
        public var recipient: KeyFingerprint

        public init(scheme: String, recipient: KeyFingerprint) {
            self.scheme = scheme
            self.recipient = recipient
        }
    }

    /// The stored payload's digest and sizes.
    public struct PayloadInfo: Hashable, Sendable, Codable {
        /// Always `zlib` in format 1.
        public var compression: String
        /// SHA-256 (hex) of the payload bytes as stored in the file (after compression and encryption).
        public var sha256: String
        /// Bytes stored in the file.
        public var storedSize: Int
        /// Bytes of the zlib stream (before encryption).
        public var compressedSize: Int
        /// Bytes after inflating.
        public var uncompressedSize: Int

        public init(compression: String, sha256: String, storedSize: Int, compressedSize: Int, uncompressedSize: Int) {
            self.compression = compression
            self.sha256 = sha256
            self.storedSize = storedSize
            self.compressedSize = compressedSize
            self.uncompressedSize = uncompressedSize
        }
    }

    public init(
        format: Int? = nil, device: DeviceID, signerKey: String, sequenceRange: SequenceSpan?,
        eventCount: Int, interviewCount: Int, definitions: [DefinitionHash], createdAtMillis: Int64,
        encryption: EncryptionInfo?, payload: PayloadInfo
    ) {
        self.format = format ?? BundleFormat.version(encrypted: encryption != nil)
        self.device = device
        self.signerKey = signerKey
        self.sequenceRange = sequenceRange
        self.eventCount = eventCount
        self.interviewCount = interviewCount
        self.definitions = definitions
        self.createdAtMillis = createdAtMillis
        self.encryption = encryption
        self.payload = payload
    }

    /// The canonical bytes that are signed: compact JSON with sorted keys.
    public var canonicalBytes: Data { BundleFormat.encode(self) }

    /// The signer key as a key value, if well-formed.
    public var signerPublicKey: DevicePublicKey? { try? DevicePublicKey(text: signerKey) }

    /// Why a number in the manifest is out of range (negative sizes or counts, sequence numbers
    /// or a creation time outside ``EventBounds``), or nil when all are in range.
    public var rangeProblem: String? {
        if let span = sequenceRange {
            guard EventBounds.sequences.contains(span.first), EventBounds.sequences.contains(span.last), span.first <= span.last
            else {
                return "sequence range \(span.first)-\(span.last) is out of range "
                    + "(\(EventBounds.sequences.lowerBound) to \(EventBounds.sequences.upperBound), first ≤ last)"
            }
        }
        let counts = [
            ("eventCount", eventCount), ("interviewCount", interviewCount), ("payload.storedSize", payload.storedSize),
            ("payload.compressedSize", payload.compressedSize), ("payload.uncompressedSize", payload.uncompressedSize),
        ]
        if let (name, value) = counts.first(where: { $0.1 < 0 }) { return "\(name) is negative (\(value))" }
        guard EventBounds.timestamps.contains(createdAtMillis) else {
            return "createdAtMillis \(createdAtMillis) is outside 1970–9999"
        }
        return nil
    }

    /// The signer key's fingerprint, or `?` when the manifest's key is malformed.
    public var signerFingerprint: KeyFingerprint { signerPublicKey?.fingerprint ?? KeyFingerprint("?") }
}

extension BundleManifest {
    /// The manifest read by the event codec's small JSON reader (``MiniJSON``) when it is as plain
    /// as the writer makes it (known keys only, integers without fraction, strings without rare
    /// escapes); nil for anything else, which `JSONDecoder` then decides. Whenever it gives a
    /// manifest, it is the one `JSONDecoder` gives (tested against it): `JSONDecoder` was a tenth of
    /// the reading of a small bundle.
    static func plain(_ bytes: Data) -> BundleManifest? {
        guard let root = bytes.withUnsafeBytes({ MiniJSON.parse($0) }), let f = root.fields(Keys.manifest),
            let format = f["format"]?.int, let device = f["device"]?.string, let signerKey = f["signerKey"]?.string,
            let eventCount = f["eventCount"]?.int, let interviewCount = f["interviewCount"]?.int,
            let definitions = f["definitions"]?.strings, let createdAtMillis = f["createdAtMillis"]?.int64,
            let payloadFields = f["payload"]?.fields(Keys.payload), let payload = PayloadInfo(plain: payloadFields),
            let sequenceRange = Self.optional(f["sequenceRange"], Keys.sequenceRange, SequenceSpan.init(plain:)),
            let encryption = Self.optional(f["encryption"], Keys.encryption, EncryptionInfo.init(plain:))
        else { return nil }
        return BundleManifest(
            format: format, device: DeviceID(device), signerKey: signerKey, sequenceRange: sequenceRange, eventCount: eventCount,
            interviewCount: interviewCount, definitions: definitions.map(DefinitionHash.init), createdAtMillis: createdAtMillis,
            encryption: encryption, payload: payload)
    }

    /// An optional field as `JSONDecoder` reads one: absent or null is nil (`.some(nil)`); an
    /// object `read` declines is `nil` (left to `JSONDecoder`).
    private static func optional<T>(_ node: MiniJSON?, _ keys: [String], _ read: ([String: MiniJSON]) -> T?) -> T?? {
        guard let node else { return .some(nil) }
        if case .null = node { return .some(nil) }
        return node.fields(keys).flatMap(read).map { .some($0) }
    }

    private enum Keys {
        static let manifest = [
            "format", "device", "signerKey", "sequenceRange", "eventCount", "interviewCount", "definitions", "createdAtMillis",
            "encryption", "payload",
        ]
        static let payload = ["compression", "sha256", "storedSize", "compressedSize", "uncompressedSize"]
        static let sequenceRange = ["first", "last"]
        static let encryption = ["scheme", "recipient"]
    }
}

extension BundleManifest {
    /// The fields in sorted key order, absent optionals omitted.
    fileprivate func write(to w: inout CanonicalJSONWriter) {
        var first = true
        w.raw("{")
        w.key("createdAtMillis", &first)
        w.integer(createdAtMillis)
        w.key("definitions", &first)
        w.array(definitions) { $0.string($1.rawValue) }
        w.key("device", &first)
        w.string(device.rawValue)
        if let encryption {
            w.key("encryption", &first)
            var inner = true
            w.raw("{")
            w.key("recipient", &inner)
            w.string(encryption.recipient.rawValue)
            w.key("scheme", &inner)
            w.string(encryption.scheme)
            w.raw("}")
        }
        w.key("eventCount", &first)
        w.int(eventCount)
        w.key("format", &first)
        w.int(format)
        w.key("interviewCount", &first)
        w.int(interviewCount)
        w.key("payload", &first)
        payload.write(to: &w)
        if let sequenceRange {
            w.key("sequenceRange", &first)
            var inner = true
            w.raw("{")
            w.key("first", &inner)
            w.integer(sequenceRange.first)
            w.key("last", &inner)
            w.integer(sequenceRange.last)
            w.raw("}")
        }
        w.key("signerKey", &first)
        w.string(signerKey)
        w.raw("}")
    }
}

extension BundleManifest.PayloadInfo {
    fileprivate func write(to w: inout CanonicalJSONWriter) {
        var first = true
        w.raw("{")
        w.key("compressedSize", &first)
        w.int(compressedSize)
        w.key("compression", &first)
        w.string(compression)
        w.key("sha256", &first)
        w.string(sha256)
        w.key("storedSize", &first)
        w.int(storedSize)
        w.key("uncompressedSize", &first)
        w.int(uncompressedSize)
        w.raw("}")
    }
}

extension BundleManifest.SequenceSpan {
    fileprivate init?(plain f: [String: MiniJSON]) {
        guard let first = f["first"]?.int64, let last = f["last"]?.int64 else { return nil }
        self.init(first: first, last: last)
    }
}

extension BundleManifest.EncryptionInfo {
    fileprivate init?(plain f: [String: MiniJSON]) {
        guard let scheme = f["scheme"]?.string, let recipient = f["recipient"]?.string else { return nil }
        self.init(scheme: scheme, recipient: KeyFingerprint(recipient))
    }
}

extension BundleManifest.PayloadInfo {
    fileprivate init?(plain f: [String: MiniJSON]) {
        guard let compression = f["compression"]?.string, let sha256 = f["sha256"]?.string, let storedSize = f["storedSize"]?.int,
            let compressedSize = f["compressedSize"]?.int, let uncompressedSize = f["uncompressedSize"]?.int
        else { return nil }
        self.init(
            compression: compression, sha256: sha256, storedSize: storedSize, compressedSize: compressedSize,
            uncompressedSize: uncompressedSize)
    }
}

/// Constants of the container layout (see docs/bundle-format.md).
public enum BundleFormat {
    /// The newest format version: 2. A plaintext bundle is still written as version 1 (its
    /// layout did not change, so older readers take it); an encrypted one is version 2, whose
    /// payload is sealed in chunks so that neither side holds it whole (docs/bundle-format.md §3, §7).
    public static let version = 2
    /// The versions this code reads.
    public static let readableVersions = 1...2
    /// The version a bundle is written in.
    static func version(encrypted: Bool) -> Int { encrypted ? 2 : 1 }
    /// The file starts with these 13 bytes.
    public static let magic = Data("terep-bundle\n".utf8)
    /// Magic, version (u16), manifest length (u32), payload length (u64).
    static let headerSize = 13 + 2 + 4 + 8
    static let signatureSize = 64
    static let checksumSize = 32
    /// The manifest may not exceed this many bytes.
    static let maxManifestSize = 1 << 20
    /// HPKE parameters: the suite and the `info` string.
    public static let encryptionScheme = "hpke-x25519-sha256-chachapoly"
    static func hpkeInfo(version: Int) -> Data { Data("terep-bundle-v\(version)".utf8) }
    /// Format 2: the zlib stream is sealed in chunks of this many bytes (the last one shorter).
    static let encryptionChunkSize = 1 << 20
    /// The AEAD tag each sealed chunk adds.
    static let encryptionTagSize = 16

    /// Format 2: what each sealed chunk authenticates besides its bytes: the device, the chunk's
    /// index (HPKE's sequence numbers fix the order too) and whether it is the last one.
    static func chunkAAD(device: DeviceID, index: UInt64, last: Bool) -> Data {
        var aad = Data("terep-bundle-v2 chunk ".utf8) + Data(device.rawValue.utf8)
        aad.append(0)
        aad.appendBigEndian(index)
        aad.append(last ? 1 : 0)
        return aad
    }
    /// Domain separation for the signature: these bytes, then the manifest bytes.
    static let signaturePrefix = Data("terep-bundle-signature-v1\n".utf8)
    /// The usual file name extension.
    public static let fileExtension = "terepbundle"

    /// Lower-case hex SHA-256 of `data`, as the manifest's `payload.sha256` holds it.
    public static func sha256Hex(_ data: Data) -> String { Data(SHA256.hash(data: data)).hexString }

    /// The canonical manifest bytes: compact JSON with sorted keys, as `JSONEncoder` writes the
    /// `Codable` form with `.sortedKeys` and `.withoutEscapingSlashes` (its test oracle), written
    /// by the event codec's writer.
    static func encode(_ manifest: BundleManifest) -> Data {
        var writer = CanonicalJSONWriter()
        writer.bytes.reserveCapacity(512)
        manifest.write(to: &writer)
        return Data(writer.bytes)
    }

    /// The bytes the device signs.
    static func signingInput(manifestBytes: Data) -> Data { signaturePrefix + manifestBytes }
}

/// Limits the reader enforces before and while decompressing and parsing; with them a
/// bundle's reader holds at most a few tens of megabytes whatever the file.
public struct BundleLimits: Hashable, Sendable {
    /// Largest payload after inflating.
    public var maxUncompressedSize: Int
    /// Largest inflated/compressed ratio; measured event JSON compresses ~11× at level 1
    /// (docs/bundle-format.md), so 100 leaves a 9× margin and stops bombs (deflate reaches ~1032×).
    public var maxRatio: Int
    /// Largest file accepted at all.
    public var maxFileSize: Int
    /// Most interviews in one bundle (the interview map is held while the events stream).
    public var maxInterviews = 50_000
    /// Most definitions in one bundle, and their bytes in all (they are held decoded).
    public var maxDefinitions = 16
    public var maxDefinitionBytes = 8 << 20
    /// Longest line of the payload (one event, e.g. a long text answer).
    public var maxLineBytes = 4 << 20
    /// Largest encrypted format-1 payload (decrypted in one piece).
    public var maxWholeEncryptedSize = 64 << 20

    public init(maxUncompressedSize: Int = 512 << 20, maxRatio: Int = 100, maxFileSize: Int = 512 << 20) {
        self.maxUncompressedSize = maxUncompressedSize
        self.maxRatio = maxRatio
        self.maxFileSize = maxFileSize
    }

    public static let `default` = BundleLimits()
}
