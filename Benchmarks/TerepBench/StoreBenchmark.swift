import Foundation
import GRDBSQLite
import SurveyModel
import SurveyStore

/// Device store benchmarks: durable single-event append latency beside a raw `sqlite3_*`
/// single-row commit, and batch append throughput beside a raw bulk insert of the same rows.
enum StoreBenchmark {
    static func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try singleAppends(folder: folder, count: 2_000)
        try batchAppends(folder: folder, count: 200_000)
    }

    static func survey() -> CompiledSurvey {
        let definition = SurveyDefinition(
            id: "bench", version: "1", title: LocalizedText(["en": "Bench"]), languages: ["en"],
            outcome: OutcomeSpec(variable: "outcome", completeCode: 11), answerSets: [],
            items: (0...60).map { question($0) }
                + [.group(Group(id: "r", kind: .roster(RosterSpec(count: nil, maxRows: 20)), children: (61..<1_000).map { question($0) }))])
        return CompiledSurvey(definition: definition, hash: DefinitionHash(String(repeating: "c", count: 64)))
    }

    static func question(_ n: Int) -> Node {
        .question(Question(name: VariableName("q\(n)"), kind: .singleChoice(ChoiceSpec(answerSet: "A5"))))
    }

    static func event(_ i: Int) -> InterviewEventKind {
        .answered(Address(VariableName("q\(i % 1_000)"), rows: i % 3 == 0 ? [i % 200 + 1] : []), .value(.integer(i % 97)))
    }

    /// One durable transaction per event, alternating blocks of the store and raw SQLite.
    static func singleAppends(folder: URL, count: Int) throws {
        let store = try DeviceStore.initialize(
            path: folder.appendingPathComponent("single.sqlite").path, deviceID: "bench", interviewer: "B")
        try store.saveDefinition(survey())
        let interview = try store.createInterview(NewInterview(definition: survey().hash, seed: 1, language: "en"), timestamp: 0)
        let raw = try RawSQLite(path: folder.appendingPathComponent("raw-single.sqlite").path)
        let payloads = (0..<count).map { i in String(decoding: (try? JSONEncoder().encode(event(i))) ?? Data(), as: UTF8.self) }
        var storeTimes: [UInt64] = [], rawTimes: [UInt64] = []
        let block = 100
        for start in stride(from: 0, to: count, by: block) {
            for i in start..<min(start + block, count) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try store.append(event(i), interview: interview.id, timestamp: Int64(i))
                storeTimes.append(DispatchTime.now().uptimeNanoseconds - t0)
            }
            for i in start..<min(start + block, count) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try raw.commitOne(sequence: Int64(i + 1), payload: payloads[i])
                rawTimes.append(DispatchTime.now().uptimeNanoseconds - t0)
            }
        }
        print("single durable append (WAL, synchronous=FULL), \(count) events:")
        print("  DeviceStore.append   p50 \(micros(percentile(storeTimes, 0.50))) µs   p99 \(micros(percentile(storeTimes, 0.99))) µs")
        print("  raw sqlite3 commit   p50 \(micros(percentile(rawTimes, 0.50))) µs   p99 \(micros(percentile(rawTimes, 0.99))) µs")
        print("  ratio p50 \(String(format: "%.2f", Double(percentile(storeTimes, 0.5)) / Double(percentile(rawTimes, 0.5))))×")
    }

    /// One transaction of `count` events: the store's batch append beside a raw bulk insert.
    static func batchAppends(folder: URL, count: Int) throws {
        let store = try DeviceStore.initialize(
            path: folder.appendingPathComponent("batch.sqlite").path, deviceID: "bench", interviewer: "B")
        try store.saveDefinition(survey())
        let interview = try store.createInterview(NewInterview(definition: survey().hash, seed: 1, language: "en"), timestamp: 0)
        let pending = (0..<count).map { PendingEvent(interview: interview.id, timestamp: Int64($0), kind: event($0)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payloads = try pending.map { String(decoding: try encoder.encode($0.kind), as: UTF8.self) }
        let raw = try RawSQLite(path: folder.appendingPathComponent("raw-batch.sqlite").path)

        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try store.appendBatch(pending)
        let storeSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let t1 = DispatchTime.now().uptimeNanoseconds
        try raw.bulkInsert(payloads: payloads)
        let rawSeconds = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
        print("batch append, \(count) events in one transaction:")
        print(
            "  DeviceStore.appendBatch  \(rate(count, storeSeconds)) events/s (\(String(format: "%.2f", storeSeconds)) s, includes JSON encoding)"
        )
        print("  raw sqlite3 bulk insert  \(rate(count, rawSeconds)) rows/s (\(String(format: "%.2f", rawSeconds)) s, pre-encoded rows)")
        print("  store / raw \(String(format: "%.0f", 100 * rawSeconds / storeSeconds)) %")
    }

    static func percentile(_ values: [UInt64], _ p: Double) -> UInt64 {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func micros(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1_000) }
    static func rate(_ n: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(n) / seconds) }
}

/// A bare SQLite connection with the device store's settings and event table, for baselines.
final class RawSQLite {
    let db: OpaquePointer
    let insert: OpaquePointer

    struct Failure: Error { let message: String }

    init(path: String, indexByInterview: Bool = false) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let handle else {
            throw Failure(message: "cannot open \(path)")
        }
        db = handle
        for sql in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
            """
            CREATE TABLE event (device_id TEXT NOT NULL, sequence INTEGER NOT NULL, interview_id TEXT NOT NULL,
                timestamp INTEGER NOT NULL, interviewer TEXT NOT NULL, kind TEXT NOT NULL, payload_json TEXT NOT NULL,
                PRIMARY KEY (device_id, sequence)) WITHOUT ROWID
            """,
        ] + (indexByInterview ? ["CREATE INDEX event_by_interview ON event(interview_id)"] : []) {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw Failure(message: "setup: \(sql)") }
        }
        var statement: OpaquePointer?
        let sql = "INSERT INTO event VALUES ('bench', ?, 'i', ?, 'B', 'answered', ?)"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw Failure(message: "prepare")
        }
        insert = statement
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close(db)
    }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw Failure(message: sql) }
    }

    private func insertRow(sequence: Int64, payload: String) throws {
        sqlite3_bind_int64(insert, 1, sequence)
        sqlite3_bind_int64(insert, 2, sequence)
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(insert, 3, payload, -1, transient)
        guard sqlite3_step(insert) == SQLITE_DONE else { throw Failure(message: "insert") }
        sqlite3_reset(insert)
    }

    /// The same rows as a merge: every column bound from the event, all in one transaction.
    func bulkInsert(events: [InterviewEvent], payloads: [String]) throws {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &statement, nil) == SQLITE_OK,
            let statement
        else { throw Failure(message: "prepare") }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        try exec("BEGIN IMMEDIATE")
        for (event, payload) in zip(events, payloads) {
            sqlite3_bind_text(statement, 1, event.device.rawValue, -1, transient)
            sqlite3_bind_int64(statement, 2, event.sequence)
            sqlite3_bind_text(statement, 3, event.interview.rawValue, -1, transient)
            sqlite3_bind_int64(statement, 4, event.timestamp)
            sqlite3_bind_text(statement, 5, event.interviewer, -1, transient)
            sqlite3_bind_text(statement, 6, "answered", -1, transient)
            sqlite3_bind_text(statement, 7, payload, -1, transient)
            guard sqlite3_step(statement) == SQLITE_DONE else { throw Failure(message: "insert") }
            sqlite3_reset(statement)
        }
        try exec("COMMIT")
    }

    /// One row in its own durable transaction.
    func commitOne(sequence: Int64, payload: String) throws {
        try exec("BEGIN IMMEDIATE")
        try insertRow(sequence: sequence, payload: payload)
        try exec("COMMIT")
    }

    /// All rows in one transaction, numbered from `firstSequence`.
    func bulkInsert(payloads: [String], firstSequence: Int64 = 1) throws {
        try exec("BEGIN IMMEDIATE")
        for (i, payload) in payloads.enumerated() { try insertRow(sequence: firstSequence + Int64(i), payload: payload) }
        try exec("COMMIT")
    }
}
