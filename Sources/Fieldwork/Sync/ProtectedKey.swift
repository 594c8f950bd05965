import Foundation
import SurveyStore
import SurveySync

/// Which passphrase is asked for: the one that opens the key now, or a new one to seal it with.
public enum PassphraseRole: Sendable {
    case current
    case new
}

/// Why a private key could not be unlocked or its protection changed.
public enum KeyAccessError: Error, CustomStringConvertible {
    /// No passphrase could be had (the front says where one comes from).
    case passphraseUnavailable(String)
    case protection(KeyProtectionError)
    case store(StoreError)
    /// There is no private key to protect.
    case noKey(KeyPurpose)
    /// `protect` on a protected key, or `change`/`remove` on an unprotected one.
    case alreadyProtected(KeyPurpose)
    case notProtected(KeyPurpose)

    public var description: String {
        switch self {
        case .passphraseUnavailable(let why): why
        case .protection(let error): "\(error)"
        case .store(let error): "\(error)"
        case .noKey(let purpose): "there is no \(purpose.rawValue) to protect"
        case .alreadyProtected(let purpose):
            "the \(purpose.rawValue) is already protected by a passphrase; use --change to change it or --remove to remove it"
        case .notProtected(let purpose): "the \(purpose.rawValue) is not protected by a passphrase"
        }
    }
}

/// Gives the passphrase for a key: the front asks (environment, terminal) or throws
/// ``KeyAccessError/passphraseUnavailable(_:)`` saying how to give one.
public typealias PassphraseSource = (KeyPurpose, PassphraseRole) throws(KeyAccessError) -> String

/// A private key as one of the stores holds it: plain, or sealed with a passphrase
/// (``KeyProtection``); unlocking it and changing its protection.
public struct ProtectedKey {
    public let purpose: KeyPurpose
    private let load: () throws(StoreError) -> Data?
    private let reseal: (Data, Data) throws(StoreError) -> Void

    /// A device database's signing key.
    public static func device(_ store: DeviceStore) -> ProtectedKey {
        ProtectedKey(
            purpose: .deviceSigning, load: { () throws(StoreError) in try store.signingKey()?.privateKey },
            reseal: { (old, new) throws(StoreError) in try store.resealSigningKey(from: old, to: new) })
    }

    /// A central dataset's coordinator key.
    public static func coordinator(_ central: any CentralDataset) -> ProtectedKey {
        ProtectedKey(
            purpose: .coordinator, load: { () throws(StoreError) in try central.encryptionKey()?.privateKey },
            reseal: { (old, new) throws(StoreError) in try central.resealEncryptionKey(from: old, to: new) })
    }

    /// Whether the stored key is sealed with a passphrase (false when there is no key).
    public func isProtected() throws(KeyAccessError) -> Bool {
        try stored().map(KeyProtection.isSealed) ?? false
    }

    /// The private key's 32 bytes, asking for the passphrase only when it is sealed; nil when
    /// the store holds no key.
    public func unlock(_ passphrase: PassphraseSource) throws(KeyAccessError) -> Data? {
        guard let stored = try stored() else { return nil }
        guard KeyProtection.isSealed(stored) else { return stored }
        do { return try KeyProtection.open(stored, passphrase: try passphrase(purpose, .current), purpose: purpose) } catch {
            throw Self.wrap(error)
        }
    }

    /// Seals the key with a new passphrase (`protect`), re-seals it with another (`change`) or
    /// stores it plain again (`remove`). The key itself never changes.
    public func protect(_ passphrase: PassphraseSource) throws(KeyAccessError) {
        let old = try required()
        guard !KeyProtection.isSealed(old) else { throw .alreadyProtected(purpose) }
        try replace(old, with: seal(old, passphrase))
    }

    public func changePassphrase(_ passphrase: PassphraseSource) throws(KeyAccessError) {
        let old = try required()
        guard KeyProtection.isSealed(old) else { throw .notProtected(purpose) }
        let secret = try open(old, passphrase)
        try replace(old, with: seal(secret, passphrase))
    }

    public func removeProtection(_ passphrase: PassphraseSource) throws(KeyAccessError) {
        let old = try required()
        guard KeyProtection.isSealed(old) else { throw .notProtected(purpose) }
        try replace(old, with: open(old, passphrase))
    }

    private func stored() throws(KeyAccessError) -> Data? {
        do { return try load() } catch { throw .store(error) }
    }

    private func required() throws(KeyAccessError) -> Data {
        guard let stored = try stored() else { throw .noKey(purpose) }
        return stored
    }

    private func open(_ sealed: Data, _ passphrase: PassphraseSource) throws(KeyAccessError) -> Data {
        do { return try KeyProtection.open(sealed, passphrase: try passphrase(purpose, .current), purpose: purpose) } catch {
            throw Self.wrap(error)
        }
    }

    private func seal(_ secret: Data, _ passphrase: PassphraseSource) throws(KeyAccessError) -> Data {
        do { return try KeyProtection.seal(secret, passphrase: try passphrase(purpose, .new), purpose: purpose) } catch {
            throw Self.wrap(error)
        }
    }

    private func replace(_ old: Data, with new: Data) throws(KeyAccessError) {
        do { try reseal(old, new) } catch { throw .store(error) }
    }

    private static func wrap(_ error: any Error) -> KeyAccessError {
        switch error {
        case let access as KeyAccessError: access
        case let protection as KeyProtectionError: .protection(protection)
        default: .passphraseUnavailable("\(error)")
        }
    }
}

extension KeyAccessError {
    /// A source for stores whose keys are never protected (tests, tools): asking fails.
    public static func noPassphrase(_ purpose: KeyPurpose, _: PassphraseRole) throws(KeyAccessError) -> String {
        throw .passphraseUnavailable("the \(purpose.rawValue) is protected by a passphrase and none was given")
    }
}
