import Foundation
import GRDB

/// Where a key pair lives in a one-row table (the device's, the coordinator's): the one place
/// that stores a pair once (keys are never replaced) and reads it back.
struct KeyPairColumns {
    let table: String
    /// The columns are `<kind>_private_key` and `<kind>_public_key`.
    let kind: String

    static let deviceSigning = KeyPairColumns(table: "device", kind: "signing")
    static let deviceEncryption = KeyPairColumns(table: "device", kind: "encryption")
    static let coordinatorSigning = KeyPairColumns(table: "coordinator", kind: "signing")
    static let coordinatorEncryption = KeyPairColumns(table: "coordinator", kind: "encryption")

    /// Stores `pair` unless a pair is stored already; `owner` names whose key it is in the
    /// refusal ("device dev-a", "the central dataset").
    func storeOnce(_ pair: SigningKeyPair, in db: Database, owner: String) throws {
        guard !pair.privateKey.isEmpty, !pair.publicKey.isEmpty else {
            throw StoreError.invalid("an empty \(kind) key was given")
        }
        try db.execute(
            sql: "UPDATE \(table) SET \(kind)_private_key = ?, \(kind)_public_key = ? WHERE \(kind)_private_key IS NULL",
            arguments: [pair.privateKey, pair.publicKey])
        guard db.changesCount == 1 else {
            throw StoreError.invalid("\(owner) already has \(kind == "encryption" ? "an" : "a") \(kind) key; keys are never replaced")
        }
    }

    /// The stored pair, if both halves are there.
    func fetch(in db: Database) throws -> SigningKeyPair? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(kind)_private_key, \(kind)_public_key FROM \(table)"),
            let privateKey = row[0] as Data?, let publicKey = row[1] as Data?
        else { return nil }
        return SigningKeyPair(privateKey: privateKey, publicKey: publicKey)
    }
}
