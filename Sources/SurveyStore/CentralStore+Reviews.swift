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
            guard let survey = (row["survey_id"] as String?).map(SurveyID.init) else {
                throw StoreError.refused([
                    "interview \(id) has no start here yet (a bundle with its beginning is still to be merged)"
                ])
            }
            let ended = (row["outcome"] as Int?) != nil
            if case .comment = decision {
            } else if !ended {
                throw StoreError.refused(["interview \(id) is in progress: review it once its visit has ended"])
            }
            let caseID = (row["case_id"] as String?).map(CaseID.init)
            let statusDevice = (row["status_device"] as String?).map(DeviceID.init)
            // The decision goes to the device that holds the case now, else to the one that ended it.
            var device = statusDevice
            if let caseID,
                let holder = try String.fetchOne(
                    db, sql: "SELECT device_id FROM sample_case WHERE survey_id = ? AND case_id = ?",
                    arguments: [survey.rawValue, caseID.rawValue])
            {
                device = DeviceID(holder)
            }
            var entry = FieldworkLogEntry(
                sequence: 0, at: time, actor: actor, action: decision.action, survey: survey, caseID: caseID,
                device: device, interview: id, definition: (row["definition_hash"] as String?).map(DefinitionHash.init),
                reviewedDevice: statusDevice, reviewedSequence: row["status_sequence"])
            switch decision {
            case .approve(let comment): entry.text = comment
            case .reject(let comment): entry.text = comment
            case .comment(let address, let text):
                entry.question = address
                entry.text = text
            }
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
