import GRDB

extension CentralStore {
    /// See ``CentralDataset/recordRequestNonce(_:at:expiresAt:)``: one short write transaction.
    public func recordRequestNonce(_ key: String, at now: Int64, expiresAt: Int64) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM request_nonce WHERE expires_at <= ?", arguments: [now])
            try db.execute(
                sql: "INSERT INTO request_nonce (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                arguments: [key, expiresAt])
            return db.changesCount == 1
        }
    }
}
