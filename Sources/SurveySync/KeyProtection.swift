import CSodium
import Foundation

/// Which private key a sealed key holds; bound into the seal, so a device key's seal can never
/// be opened as the coordinator's or the other way round.
public enum KeyPurpose: String, Sendable {
    case deviceSigning = "device signing key"
    case coordinator = "coordinator key"
}

/// Why a protected key could not be sealed or opened.
public enum KeyProtectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The passphrase does not open the key (or the sealed key was altered).
    case wrongPassphrase(KeyPurpose)
    /// An empty passphrase was given.
    case emptyPassphrase
    /// The stored bytes are neither a key nor a sealed key of this format.
    case malformed(String)
    /// libsodium could not start or ran out of memory.
    case failed(String)

    public var description: String {
        switch self {
        case .wrongPassphrase(let purpose): "the passphrase does not open the \(purpose.rawValue)"
        case .emptyPassphrase: "the passphrase is empty"
        case .malformed(let why): "the stored key is damaged: \(why)"
        case .failed(let why): "key protection failed: \(why)"
        }
    }
}

/// Private keys at rest, protected by a passphrase: Argon2id (libsodium's `crypto_pwhash`)
/// derives a key from the passphrase and a random salt, and XChaCha20-Poly1305 seals the
/// private key with it. Why these and the threat model: docs/security.md.
///
/// A sealed key (`sealed`) is: the magic `terep-sealed-key-1\n` ‖ opslimit (u32, big-endian) ‖
/// memlimit in bytes (u32) ‖ salt (16) ‖ nonce (24) ‖ ciphertext of the 32-byte key with its
/// 16-byte tag. The magic, both limits and the key's purpose are authenticated.
public enum KeyProtection {
    /// The Argon2id cost of new seals: three passes over 32 MiB (about 0.1–0.3 s on a laptop;
    /// above OWASP's minimum of two passes over 19 MiB, and small enough that unlocking the
    /// coordinator key keeps `terep merge` under 100 MB).
    public struct Cost: Hashable, Sendable {
        public var passes: UInt32
        public var memoryBytes: UInt32

        public init(passes: UInt32, memoryBytes: UInt32) {
            self.passes = passes
            self.memoryBytes = memoryBytes
        }

        public static let `default` = Cost(passes: 3, memoryBytes: 32 << 20)
        /// The most a stored seal may ask for (a damaged or planted seal must not exhaust memory).
        static let maxPasses: UInt32 = 16
        static let maxMemory: UInt32 = 1 << 30
    }

    static let magic = Data("terep-sealed-key-1\n".utf8)
    static let saltSize = Int(crypto_pwhash_SALTBYTES)
    static let nonceSize = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagSize = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    static let keySize = 32

    /// Whether stored private-key bytes are sealed (else they are the raw 32-byte key).
    public static func isSealed(_ stored: Data) -> Bool { stored.starts(with: magic) }

    /// Seals a 32-byte private key with a passphrase.
    public static func seal(
        _ secret: Data, passphrase: String, purpose: KeyPurpose, cost: Cost = .default
    ) throws(KeyProtectionError) -> Data {
        guard secret.count == keySize else { throw .malformed("a private key is \(keySize) bytes, got \(secret.count)") }
        try start()
        var header = magic
        header.appendBigEndian(cost.passes)
        header.appendBigEndian(cost.memoryBytes)
        let salt = random(saltSize)
        let nonce = random(nonceSize)
        var key = try derive(passphrase, salt: salt, cost: cost)
        defer { wipe(&key) }
        let aad = Array(header + Data(purpose.rawValue.utf8))
        let message = Array(secret), npub = Array(nonce)
        var ciphertext = [UInt8](repeating: 0, count: keySize + tagSize)
        var length: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &ciphertext, &length, message, UInt64(message.count), aad, UInt64(aad.count), nil, npub, key)
        guard status == 0 else { throw .failed("encryption failed") }
        return header + salt + nonce + Data(ciphertext[0..<Int(length)])
    }

    /// Opens a sealed key with its passphrase; the 32-byte private key.
    public static func open(_ sealed: Data, passphrase: String, purpose: KeyPurpose) throws(KeyProtectionError) -> Data {
        let bytes = Data(sealed)  // zero-based indices
        let headerSize = magic.count + 8
        guard bytes.starts(with: magic) else { throw .malformed("not a sealed key") }
        guard bytes.count == headerSize + saltSize + nonceSize + keySize + tagSize else {
            throw .malformed("a sealed key is \(headerSize + saltSize + nonceSize + keySize + tagSize) bytes, found \(bytes.count)")
        }
        let cost = Cost(
            passes: bytes.readBigEndian(UInt32.self, at: magic.count), memoryBytes: bytes.readBigEndian(UInt32.self, at: magic.count + 4))
        guard (1...Cost.maxPasses).contains(cost.passes), (8192...Cost.maxMemory).contains(cost.memoryBytes) else {
            throw .malformed("its cost (\(cost.passes) passes, \(cost.memoryBytes) bytes) is out of range")
        }
        try start()
        let header = bytes[0..<headerSize]
        let salt = bytes[headerSize..<(headerSize + saltSize)]
        let nonce = bytes[(headerSize + saltSize)..<(headerSize + saltSize + nonceSize)]
        let ciphertext = bytes[(headerSize + saltSize + nonceSize)...]
        var key = try derive(passphrase, salt: Data(salt), cost: cost)
        defer { wipe(&key) }
        let aad = Array(Data(header) + Data(purpose.rawValue.utf8))
        let sealedKey = Array(ciphertext), npub = Array(nonce)
        var secret = [UInt8](repeating: 0, count: keySize)
        var length: UInt64 = 0
        let status = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &secret, &length, nil, sealedKey, UInt64(sealedKey.count), aad, UInt64(aad.count), npub, key)
        guard status == 0, length == UInt64(keySize) else { throw .wrongPassphrase(purpose) }
        defer { wipe(&secret) }
        return Data(secret)
    }

    private static func start() throws(KeyProtectionError) {
        guard sodium_init() >= 0 else { throw .failed("libsodium could not start") }
    }

    /// Argon2id of the passphrase (Unicode NFC, so the same letters typed differently agree).
    private static func derive(_ passphrase: String, salt: Data, cost: Cost) throws(KeyProtectionError) -> [UInt8] {
        let text = Array(passphrase.precomposedStringWithCanonicalMapping.utf8)
        guard !text.isEmpty else { throw .emptyPassphrase }
        var key = [UInt8](repeating: 0, count: keySize)
        let chars = text.map { CChar(bitPattern: $0) }
        let status = crypto_pwhash(
            &key, UInt64(keySize), chars, UInt64(chars.count), Array(salt), UInt64(cost.passes), Int(cost.memoryBytes),
            crypto_pwhash_alg_argon2id13())
        guard status == 0 else { throw .failed("Argon2id could not run (out of memory?)") }
        return key
    }

    private static func random(_ count: Int) -> Data {
        var bytes = [UInt8](repeating: 0, count: count)
        randombytes_buf(&bytes, count)
        return Data(bytes)
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        sodium_memzero(&bytes, bytes.count)
    }
}
