import Crypto
import Foundation
import SurveyExport

/// Keyed pseudonyms of personal data: HMAC-SHA256 of the answer's text form with a secret key,
/// as 64 lower-case hex digits. The same key always gives the same pseudonym, so records can
/// be linked across exports; without the key a pseudonym cannot be reversed or recomputed.
public struct Pseudonymiser: Sendable {
    private let key: SymmetricKey

    /// A pseudonymiser with the key's raw bytes (at least 16).
    public init(key: Data) throws(FieldworkError) {
        guard key.count >= 16 else {
            throw .usage(
                "the pseudonymisation key must have at least 16 bytes (got \(key.count)); "
                    + "create one with: head -c 32 /dev/urandom > pii.key")
        }
        self.key = SymmetricKey(data: key)
    }

    /// Reads the key file (its bytes as they are).
    public init(keyFile path: String) throws(FieldworkError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(
                path: path,
                message: "cannot read the pseudonymisation key file; "
                    + "create one with `head -c 32 /dev/urandom > \(path)` and keep it secret, outside the exports")
        }
        try self.init(key: data)
    }

    /// The pseudonym of a text.
    public func pseudonym(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// A pseudonymiser with a random key that is never stored: its pseudonyms link rows within
    /// one export only.
    public static func oneTime() -> Pseudonymiser {
        Pseudonymiser(random: SymmetricKey(size: .bits256))
    }

    private init(random key: SymmetricKey) { self.key = key }

    /// The pseudonym function for an export schema (64 hex digits).
    public var pseudonyms: Pseudonyms {
        let copy = self
        return Pseudonyms(width: 64) { copy.pseudonym($0) }
    }
}
