import GRDB
import SurveyModel

extension CentralStore {
    /// Every bundle in the receipt log (accepted and rejected), newest first.
    ///
    /// For `terep report`: the last accepted bundle of each device and the rejected bundles
    /// with their reasons.
    public func bundles() throws(StoreError) -> [BundleRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM bundle ORDER BY received_at DESC, hash").map(CentralStore.bundle(from:))
        }
    }
}
