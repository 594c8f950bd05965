import GRDB
import SurveyModel

/// Review decisions: a supervisor approves or rejects an ended interview, or comments on one
/// of its answers. Each is a log entry naming the state it judged — the interview's latest
/// `ended` event (device, sequence) — so a fix that ends the interview again is recognised as
/// newer than the rejection, on the device and here, without comparing clocks.
extension CentralStore {
    /// Records a decision on an interview; returns its log entry. Refused (with why) for an
    /// interview whose start is not merged yet, or an approval or rejection of one in progress.
    @discardableResult
    public func review(
        _ decision: ReviewDecision, interview id: InterviewID, actor: String, at time: Int64
    ) throws(StoreError) -> FieldworkLogEntry {
        try write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT survey_id, definition_hash, outcome, status_device, status_sequence, case_id
                        FROM interview WHERE id = ?
                        """,
                    arguments: [id.rawValue])
            else { throw StoreError.unknownInterview(id) }
            let survey = (row["survey_id"] as String?).map(SurveyID.init)
            let caseID = (row["case_id"] as String?).map(CaseID.init)
            var holder: DeviceID?
            if let survey, let caseID {
                holder = try String.fetchOne(
                    db, sql: "SELECT device_id FROM sample_case WHERE survey_id = ? AND case_id = ?",
                    arguments: [survey.rawValue, caseID.rawValue]
                ).map(DeviceID.init)
            }
            var entry = try FieldworkRules.review(
                decision, interview: id, survey: survey, ended: (row["outcome"] as Int?) != nil, caseID: caseID, holder: holder,
                status: ((row["status_device"] as String?).map(DeviceID.init), row["status_sequence"]),
                definition: (row["definition_hash"] as String?).map(DefinitionHash.init), actor: actor, at: time)
            entry.sequence = try appendLog(db, entry)
            return entry
        }
    }

    /// Every interview's review entries, by interview (oldest first within one).
    public func reviewsByInterview(survey: SurveyID? = nil) throws(StoreError) -> [InterviewID: [FieldworkLogEntry]] {
        try read { db in
            var out: [InterviewID: [FieldworkLogEntry]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT * FROM fieldwork_log WHERE action IN ('approved', 'rejected', 'commented')
                        AND (?1 IS NULL OR survey_id = ?1) ORDER BY sequence
                    """,
                arguments: [survey?.rawValue])
            while let row = try rows.next() {
                let entry = try CentralStore.logEntry(from: row)
                if let id = entry.interview { out[id, default: []].append(entry) }
            }
            return out
        }
    }
}
