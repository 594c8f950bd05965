import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

/// The supervisor's review, and the sample as the report and exports read it, on PostgreSQL.
///
/// Reading is real: the report's cases and the exports' `iv_review` read the `sample_case` and
/// `fieldwork_log` tables (which migrations v1–v6 make as SQLite's). Recording a decision is
/// refused with one reason before anything is written: a decision reaches the device only in
/// a package, and packages are not made from a PostgreSQL central dataset yet.
extension PostgresCentralStore {
    public func review(_ decision: ReviewDecision, interview: InterviewID, actor: String, at time: Int64) throws(StoreError)
        -> FieldworkLogEntry
    {
        throw .invalid(
            "review decisions are not available on a PostgreSQL central dataset yet (\(location)): a decision reaches "
                + "the device in its next package, and packages are made from an SQLite central dataset only (docs/storage.md)")
    }

    public func reviewsByInterview(survey: SurveyID?) throws(StoreError) -> [InterviewID: [FieldworkLogEntry]] {
        try read { link in
            let result = try link.query(
                """
                SELECT sequence, at, actor, action, survey_id, case_id, device_id, previous_device_id, interview_id,
                    definition_hash, question, text, reviewed_device, reviewed_sequence
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
            return try result.map { row throws(StoreError) in try Self.sampleCase(row.makeRandomAccess()) }
        }
    }

    private static func logEntry(_ cells: PostgresRandomAccessRow) throws(StoreError) -> FieldworkLogEntry {
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

    private static func sampleCase(_ cells: PostgresRandomAccessRow) throws(StoreError) -> SampleCaseRecord {
        let read = RowReader(cells: cells, what: "sample case row")
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
private final class RowReader {
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
