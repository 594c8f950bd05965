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

extension CentralStore {
    /// The ids of a survey's interviews with events from more than one device (conflicts to
    /// review), by id; reads only the interview table.
    public func conflictIDs(survey: SurveyID) throws(StoreError) -> [InterviewID] {
        try read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM interview WHERE device_count > 1 AND survey_id = ? ORDER BY id",
                arguments: [survey.rawValue]
            ).map(InterviewID.init)
        }
    }
}
