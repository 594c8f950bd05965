import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

/// The supervisor's review, and the sample as the report and exports read it, on PostgreSQL:
/// the same rules as SQLite's `CentralStore+Reviews.swift`. A decision is a `fieldwork_log`
/// entry naming the state it judged (the interview's latest `ended`/`reopened` event), written
/// under the fieldwork writers' lock (``fieldworkWrite(_:)``), so two coordinators deciding at
/// once get entries in commit order.
extension PostgresCentralStore {
    @discardableResult
    public func review(_ decision: ReviewDecision, interview id: InterviewID, actor: String, at time: Int64) throws(StoreError)
        -> FieldworkLogEntry
    {
        try fieldworkWrite { link in
            let rows = try link.query(
                """
                SELECT survey_id, definition_hash, outcome, status_device, status_sequence, case_id
                FROM interview WHERE id = \(id.rawValue)
                """
            ).all((String?, String?, Int64?, String?, Int64?, String?).self)
            guard let (surveyID, definition, outcome, statusDevice, statusSequence, caseID) = rows.first else {
                throw StoreError.unknownInterview(id)
            }
            var holder: String?
            if let surveyID, let caseID {
                holder =
                    try link.query("SELECT device_id FROM sample_case WHERE survey_id = \(surveyID) AND case_id = \(caseID)")
                    .scalar(String?.self) ?? nil
            }
            var entry = try FieldworkRules.review(
                decision, interview: id, survey: surveyID.map(SurveyID.init), ended: outcome != nil, caseID: caseID.map(CaseID.init),
                holder: holder.map(DeviceID.init), status: (statusDevice.map(DeviceID.init), statusSequence),
                definition: definition.map(DefinitionHash.init), actor: actor, at: time)
            entry.sequence = try Self.appendLog(link, entry)
            return entry
        }
    }

    public func reviewsByInterview(survey: SurveyID?) throws(StoreError) -> [InterviewID: [FieldworkLogEntry]] {
        try read { link in
            let result = try link.query(
                """
                SELECT \(unescaped: Self.logColumns)
                FROM fieldwork_log WHERE action IN ('approved', 'rejected', 'commented')
                    AND (\(survey?.rawValue)::text IS NULL OR survey_id = \(survey?.rawValue)) ORDER BY sequence
                """)
            var out: [InterviewID: [FieldworkLogEntry]] = [:]
            for row in result {
                let entry = try Self.logEntry(row.makeRandomAccess())
                if let id = entry.interview { out[id, default: []].append(entry) }
            }
            return out
        }
    }

    public func sampleCases(survey: SurveyID?) throws(StoreError) -> [SampleCaseRecord] {
        try read { link in
            let result = try link.query(
                """
                SELECT c.survey_id, c.case_id, c.preload_json, c.address, c.note, c.device_id, c.assigned_sequence,
                    l.at, c.withdrawn, c.added_sequence, c.updated_sequence
                FROM sample_case c LEFT JOIN fieldwork_log l ON l.sequence = c.assigned_sequence
                WHERE \(survey?.rawValue)::text IS NULL OR c.survey_id = \(survey?.rawValue) ORDER BY c.survey_id, c.case_id
                """)
            return try result.map { row throws(StoreError) in
                try Self.sampleCase(RowReader(cells: row.makeRandomAccess(), what: "sample case row"))
            }
        }
    }

    /// A log entry from a row of ``logColumns``, in their order.
    static func logEntry(_ cells: PostgresRandomAccessRow) throws(StoreError) -> FieldworkLogEntry {
        let read = RowReader(cells: cells, what: "fieldwork log row")
        // Arguments are evaluated left to right: the cells are read in the SELECT's order.
        return FieldworkLogEntry(
            sequence: try read.next(), at: try read.next(), actor: try read.next(),
            action: try StoredWord.decode(try read.next(), as: FieldworkAction.self, what: "fieldwork log action"),
            survey: SurveyID(try read.next(String.self)), caseID: try read.next(String?.self).map(CaseID.init),
            device: try read.next(String?.self).map(DeviceID.init), previousDevice: try read.next(String?.self).map(DeviceID.init),
            interview: try read.next(String?.self).map(InterviewID.init),
            definition: try read.next(String?.self).map(DefinitionHash.init),
            question: try read.next(String?.self).flatMap(Address.init(parsing:)),
            text: try read.next(), reviewedDevice: try read.next(String?.self).map(DeviceID.init),
            reviewedSequence: try read.next())
    }

    /// A sample case from the reader's next cells: survey, case, preload, address, note, device,
    /// assigned sequence and time, withdrawn, added and updated sequences.
    static func sampleCase(_ read: RowReader) throws(StoreError) -> SampleCaseRecord {
        return SampleCaseRecord(
            survey: SurveyID(try read.next(String.self)), id: CaseID(try read.next(String.self)),
            values: try EventCoding.decodeValues(try read.next()), address: try read.next(), note: try read.next(),
            device: try read.next(String?.self).map(DeviceID.init), assignedSequence: try read.next(),
            assignedAt: try read.next(), withdrawn: try read.next(), addedSequence: try read.next(),
            updatedSequence: try read.next())
    }
}

/// Reads a row's cells in order, each decoded as the type asked for; a cell that does not
/// decode is the store's `undecodable` error naming the row.
final class RowReader {
    private let cells: PostgresRandomAccessRow
    private let what: String
    private var index = 0

    init(cells: PostgresRandomAccessRow, what: String) {
        self.cells = cells
        self.what = what
    }

    func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws(StoreError) -> T {
        defer { index += 1 }
        do { return try cells[index].decode(T.self) } catch { throw .undecodable(what: what, detail: "\(error)") }
    }
}
