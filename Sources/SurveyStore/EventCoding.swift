import Foundation
import GRDB
import SurveyModel

/// The stored JSON of event kinds and case identifiers (``EventJSON``, the one wire format), with
/// the store's errors.
package enum EventCoding {
    /// Reads whole events from a query over an `event` table (device and central share its columns).
    static func fetchEvents(_ db: Database, sql: String, arguments: StatementArguments) throws -> [InterviewEvent] {
        var result: [InterviewEvent] = []
        try forEachEvent(db, sql: sql, arguments: arguments) { result.append($0) }
        return result
    }

    /// Reads the events of such a query one at a time.
    static func forEachEvent(
        _ db: Database, sql: String, arguments: StatementArguments, _ body: (InterviewEvent) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            try body(
                InterviewEvent(
                    device: DeviceID(row["device_id"] as String), sequence: row["sequence"],
                    interview: InterviewID(row["interview_id"] as String), timestamp: row["timestamp"],
                    interviewer: row["interviewer"], kind: try decodeKind(row["payload_json"])))
        }
    }

    /// Encodes an event kind to its stored JSON text.
    package static func encode(_ kind: InterviewEventKind) throws(StoreError) -> String {
        do {
            return try EventJSON.encode(kind)
        } catch {
            throw .invalid("cannot encode the event \(name(of: kind)): \(error)")
        }
    }

    /// Encodes a preload / case-identifier dictionary to its stored JSON text.
    package static func encode(_ values: [VariableName: Value]) throws(StoreError) -> String {
        do {
            return try EventJSON.encode(values)
        } catch {
            throw .invalid("cannot encode case identifiers: \(error)")
        }
    }

    /// Decodes a stored event kind.
    package static func decodeKind(_ json: String) throws(StoreError) -> InterviewEventKind {
        do {
            return try EventJSON.decodeKind(json)
        } catch {
            throw .undecodable(what: "event", detail: "\(error)")
        }
    }

    /// Decodes a stored case-identifier dictionary.
    package static func decodeValues(_ json: String) throws(StoreError) -> [VariableName: Value] {
        do {
            return try EventJSON.decodeValues(json)
        } catch {
            throw .undecodable(what: "case identifiers", detail: "\(error)")
        }
    }

    /// The kind's name, stored in its own column for queries (`answered`, `ended`…).
    package static func name(of kind: InterviewEventKind) -> String {
        switch kind {
        case .started: "started"
        case .answered: "answered"
        case .cleared: "cleared"
        case .rowAdded: "rowAdded"
        case .rowRemoved: "rowRemoved"
        case .warningConfirmed: "warningConfirmed"
        case .shown: "shown"
        case .note: "note"
        case .languageChanged: "languageChanged"
        case .ended: "ended"
        case .reopened: "reopened"
        case .trainingMarked: "trainingMarked"
        case .assignedCase: "assignedCase"
        }
    }
}
