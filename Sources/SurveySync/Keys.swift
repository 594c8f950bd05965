import Crypto
import Foundation
import SurveyModel

/// A short, displayable fingerprint of a public key: the first 8 bytes of its SHA-256, in hex.
///
/// Written `1a2b:3c4d:5e6f:7a8b`. Used on screen, in manifests and in error messages, never
/// to verify anything (verification always uses the full key).
public struct KeyFingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The fingerprint of a public key's raw bytes.
    public init(publicKeyBytes: Data) {
        let digest = Array(SHA256.hash(data: publicKeyBytes).prefix(8))
        let hex = digest.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        rawValue = stride(from: 0, to: 8, by: 2).map { hex[$0] + hex[$0 + 1] }.joined(separator: ":")
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Why a key's text or bytes could not be read.
public struct KeyFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The coordinator signs packages with an Ed25519 key of the same kind as a device's
/// (`terep central init` makes it; it stays in the central dataset).
public typealias CoordinatorSigningKey = DeviceSigningKey
/// The coordinator's public signing key, given to devices (`terep device init --coordinator-key`).
public typealias CoordinatorVerifyingKey = DevicePublicKey
/// A device's X25519 key pair, to which the coordinator seals its packages: the same kind of
/// key as the coordinator's own, in the other direction.
public typealias DeviceEncryptionPrivateKey = CoordinatorPrivateKey
public typealias DeviceEncryptionPublicKey = CoordinatorPublicKey

/// An Ed25519 signing key: a device's (bundles) or the coordinator's (packages). It never
/// leaves the database it was made in.
public struct DeviceSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// The 32-byte seed, as stored in the device database.
    public init(rawRepresentation: Data) throws(KeyFormatError) {
        guard rawRepresentation.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        else { throw KeyFormatError("an Ed25519 signing key is 32 bytes, found \(rawRepresentation.count)") }
        self.key = key
    }

    public var rawRepresentation: Data { key.rawRepresentation }
    public var publicKey: DevicePublicKey { DevicePublicKey(key: key.publicKey) }

    /// Signs a message.
    func signature(for message: Data) throws(BundleError.Kind) -> Data {
        do { return try key.signature(for: message) } catch { throw .io("signing failed: \(error)") }
    }
}

/// An Ed25519 public key: a device's, registered at the central dataset, or the coordinator's,
/// given to devices.
///
/// Its text form is `ed25519:` followed by the base64 of the 32 raw bytes; 64 hex digits are
/// accepted too.
public struct DevicePublicKey: Hashable, Sendable, CustomStringConvertible {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    public init(rawRepresentation: Data) throws(KeyFormatError) {
        guard rawRepresentation.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)
        else { throw KeyFormatError("an Ed25519 public key is 32 bytes, found \(rawRepresentation.count)") }
        self.key = key
    }

    /// Parses the text form (`ed25519:BASE64` or 64 hex digits).
    public init(text: String) throws(KeyFormatError) {
        try self.init(rawRepresentation: try KeyText.decode(text, prefix: DevicePublicKey.prefix, what: "public signing key"))
    }

    static let prefix = "ed25519:"
    public var rawRepresentation: Data { key.rawRepresentation }
    public var text: String { DevicePublicKey.prefix + rawRepresentation.base64EncodedString() }
    public var fingerprint: KeyFingerprint { KeyFingerprint(publicKeyBytes: rawRepresentation) }
    public var description: String { text }

    /// Whether `signature` is this key's signature of `message`.
    public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
        key.isValidSignature(signature, for: message)
    }

    public static func == (a: DevicePublicKey, b: DevicePublicKey) -> Bool { a.rawRepresentation == b.rawRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
}

/// An X25519 private key: the coordinator's (bundles are sealed to its public key) or a
/// device's (packages are sealed to its public key).
public struct CoordinatorPrivateKey: Sendable {
    let key: Curve25519.KeyAgreement.PrivateKey

    /// A new random key.
    public init() { key = Curve25519.KeyAgreement.PrivateKey() }

    public init(rawRepresentation: Data) throws(KeyFormatError) {
        guard rawRepresentation.count == 32,
            let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation)
        else { throw KeyFormatError("an X25519 private key is 32 bytes, found \(rawRepresentation.count)") }
        self.key = key
    }

    /// Parses the text form (`x25519-private:BASE64` or 64 hex digits), e.g. from a key file.
    public init(text: String) throws(KeyFormatError) {
        try self.init(
            rawRepresentation: try KeyText.decode(text, prefix: CoordinatorPrivateKey.prefix, what: "coordinator private key"))
    }

    static let prefix = "x25519-private:"
    public var rawRepresentation: Data { key.rawRepresentation }
    /// The secret's text form, for a key file only readable by the coordinator.
    public var text: String { CoordinatorPrivateKey.prefix + rawRepresentation.base64EncodedString() }
    public var publicKey: CoordinatorPublicKey { CoordinatorPublicKey(key: key.publicKey) }
}

/// An X25519 public key: the coordinator's, given to devices so their bundles are encrypted,
/// or a device's, registered at the central dataset so its packages are.
///
/// Its text form is `x25519:` followed by the base64 of the 32 raw bytes; 64 hex digits are
/// accepted too.
public struct CoordinatorPublicKey: Hashable, Sendable, CustomStringConvertible {
    let key: Curve25519.KeyAgreement.PublicKey

    init(key: Curve25519.KeyAgreement.PublicKey) { self.key = key }

    public init(rawRepresentation: Data) throws(KeyFormatError) {
        guard rawRepresentation.count == 32,
            let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: rawRepresentation)
        else { throw KeyFormatError("an X25519 public key is 32 bytes, found \(rawRepresentation.count)") }
        self.key = key
    }

    /// Parses the text form (`x25519:BASE64` or 64 hex digits).
    public init(text: String) throws(KeyFormatError) {
        try self.init(
            rawRepresentation: try KeyText.decode(text, prefix: CoordinatorPublicKey.prefix, what: "coordinator public key"))
    }

    static let prefix = "x25519:"
    public var rawRepresentation: Data { key.rawRepresentation }
    public var text: String { CoordinatorPublicKey.prefix + rawRepresentation.base64EncodedString() }
    public var fingerprint: KeyFingerprint { KeyFingerprint(publicKeyBytes: rawRepresentation) }
    public var description: String { text }

    public static func == (a: CoordinatorPublicKey, b: CoordinatorPublicKey) -> Bool {
        a.rawRepresentation == b.rawRepresentation
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
}

/// Text forms of 32-byte keys: a kind prefix plus base64, or bare hex.
enum KeyText {
    static func decode(_ text: String, prefix: String, what: String) throws(KeyFormatError) -> Data {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(prefix), let data = Data(base64Encoded: String(trimmed.dropFirst(prefix.count))) {
            return data
        }
        if let data = hex(trimmed) { return data }
        throw KeyFormatError("not a \(what): expected '\(prefix)' followed by base64, or 64 hex digits")
    }

    /// Decodes an even-length hex string; nil for anything else.
    static func hex(_ text: String) -> Data? {
        let chars = Array(text.utf8)
        guard !chars.isEmpty, chars.count % 2 == 0 else { return nil }
        var out = Data(capacity: chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }
}

extension Data {
    /// Lower-case hex of the bytes.
    var hexString: String {
        let digits: StaticString = "0123456789abcdef"
        // Written in place: no array of digits and no bounds check per byte.
        return String(unsafeUninitializedCapacity: count * 2) { out in
            var k = 0
            for b in self {
                out[k] = digits.utf8Start[Int(b >> 4)]
                out[k + 1] = digits.utf8Start[Int(b & 0x0F)]
                k += 2
            }
            return k
        }
    }
}
