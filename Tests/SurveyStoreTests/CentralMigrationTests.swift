import Foundation
import GRDB
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Central dataset migrations") struct CentralMigrationTests {
    @Test("v2 backfills interview sequence spans so a v1 dataset's interviews keep their events")
    func v2BackfillsSpans() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("old.sqlite")
        // A dataset as the v1 schema wrote it.
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(DatabaseKind.central.rawValue)") }
            try CentralSchema.migrator.migrate(queue, upTo: "v1-central-dataset")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO coordinator (singleton, created_at) VALUES (1, 0)")
                for (sequence, interview) in [(1, "i1"), (2, "i2"), (3, "i1")] {
                    try db.execute(
                        sql: "INSERT INTO event VALUES ('d1', ?, ?, ?, 'X', 'reopened', '{\"reopened\":{}}')",
                        arguments: [sequence, interview, sequence * 10])
                }
                try db.execute(sql: "INSERT INTO interview_device VALUES ('i1', 'd1', 2), ('i2', 'd1', 1)")
            }
        }
        let central = try CentralStore.open(path: path)
        #expect(try central.events(interview: "i1").map(\.sequence) == [1, 3])
        #expect(try central.events(interview: "i2").map(\.sequence) == [2])
        let indexes = try central.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'event_by_interview'")
        }
        #expect(indexes.isEmpty)
    }

    @Test("v3 backfills the training flag of interviews merged before it from their latest mark")
    func v3BackfillsTrainingFlag() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let path = folder.path("v2.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = \(DatabaseKind.central.rawValue)") }
            try CentralSchema.migrator.migrate(queue, upTo: "v2-central-interview-sequence-spans")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO coordinator (singleton, created_at) VALUES (1, 0)")
                let marks = [(1, "i1", 10, true), (2, "i1", 20, false), (3, "i2", 30, true)]
                for (sequence, interview, time, value) in marks {
                    try db.execute(
                        sql: "INSERT INTO event VALUES ('d1', ?, ?, ?, 'X', 'trainingMarked', ?)",
                        arguments: [sequence, interview, time, "{\"trainingMarked\":{\"value\":\(value)}}"])
                }
                for id in ["i1", "i2", "i3"] {
                    try db.execute(
                        sql:
                            "INSERT INTO interview (id, status, last_timestamp, event_count, device_count) VALUES (?, 'in_progress', 0, 1, 1)",
                        arguments: [id])
                }
            }
        }
        let central = try CentralStore.open(path: path)
        let flags = Dictionary(uniqueKeysWithValues: try central.interviews().map { ($0.id.rawValue, $0.isTraining) })
        #expect(flags == ["i1": false, "i2": true, "i3": false])
    }
}
