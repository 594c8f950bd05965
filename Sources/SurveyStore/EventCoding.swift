import Foundation
import GRDB
import SurveyModel

/// The stored JSON form of event kinds: compact, sorted keys, so equal events have equal bytes.
enum EventCoding {
    /// Reads whole events from a query over an `event` table (device and central share its columns).
    static func fetchEvents(_ db: Database, sql: String, arguments: StatementArguments) throws -> [InterviewEvent] {
        let decoder = JSONDecoder()
        var result: [InterviewEvent] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            result.append(InterviewEvent(
                device: DeviceID(row["device_id"] as String), sequence: row["sequence"],
                interview: InterviewID(row["interview_id"] as String), timestamp: row["timestamp"],
                interviewer: row["interviewer"], kind: try decodeKind(row["payload_json"], with: decoder)))
        }
        return result
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes an event kind to its stored JSON text.
    static func encode(_ kind: InterviewEventKind, with encoder: JSONEncoder) throws(StoreError) -> String {
        if let fast = FastEventEncoding.encode(kind) { return fast }
        do {
            return String(decoding: try encoder.encode(kind), as: UTF8.self)
        } catch {
            throw .invalid("cannot encode the event \(name(of: kind)): \(error)")
        }
    }

    /// Encodes a preload / case-identifier dictionary to its stored JSON text.
    static func encode(_ values: [VariableName: Value], with encoder: JSONEncoder) throws(StoreError) -> String {
        do {
            let plain = Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
            return String(decoding: try encoder.encode(plain), as: UTF8.self)
        } catch {
            throw .invalid("cannot encode case identifiers: \(error)")
        }
    }

    /// Decodes a stored event kind.
    static func decodeKind(_ json: String, with decoder: JSONDecoder) throws(StoreError) -> InterviewEventKind {
        do {
            return try decoder.decode(InterviewEventKind.self, from: Data(json.utf8))
        } catch {
            throw .undecodable(what: "event", detail: "\(error)")
        }
    }

    /// Decodes a stored case-identifier dictionary.
    static func decodeValues(_ json: String, with decoder: JSONDecoder) throws(StoreError) -> [VariableName: Value] {
        do {
            let plain = try decoder.decode([String: Value].self, from: Data(json.utf8))
            return Dictionary(uniqueKeysWithValues: plain.map { (VariableName($0.key), $0.value) })
        } catch {
            throw .undecodable(what: "case identifiers", detail: "\(error)")
        }
    }

    /// The kind's name, stored in its own column for queries (`answered`, `ended`…).
    static func name(of kind: InterviewEventKind) -> String {
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
        }
    }
}
