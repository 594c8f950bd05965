import GRDB
import SurveyModel

/// The device store's schema, built by migrations that are never edited once shipped: a
/// change is always a new migration appended at the end (see docs/storage.md).
enum DeviceSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-device-store", migrate: v1)
        migrator.registerMigration("v2-device-keys-and-bundles", migrate: v2)
        migrator.registerMigration("v3-device-cases-and-visits", migrate: v3)
        migrator.registerMigration("v4-device-visit-rule", migrate: v4)
        return migrator
    }

    /// The first schema: the device, definitions, interviews and the append-only event log.
    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE device (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    device_id TEXT NOT NULL CHECK (device_id <> ''),
                    interviewer TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    next_sequence INTEGER NOT NULL CHECK (next_sequence >= 1)
                );
                CREATE TABLE definition (
                    hash TEXT PRIMARY KEY NOT NULL,
                    survey_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    complete_code INTEGER,
                    saved_at INTEGER NOT NULL,
                    compiled_json BLOB NOT NULL
                );
                CREATE TABLE interview (
                    id TEXT PRIMARY KEY NOT NULL,
                    survey_id TEXT NOT NULL,
                    definition_hash TEXT NOT NULL REFERENCES definition(hash),
                    interviewer TEXT NOT NULL,
                    case_ids_json TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'ended')),
                    outcome INTEGER,
                    started_at INTEGER NOT NULL,
                    ended_at INTEGER,
                    last_sequence INTEGER NOT NULL,
                    event_count INTEGER NOT NULL,
                    is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0, 1))
                );
                CREATE INDEX interview_by_status ON interview(status, started_at);
                CREATE TABLE event (
                    device_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL CHECK (sequence >= 1),
                    interview_id TEXT NOT NULL REFERENCES interview(id),
                    timestamp INTEGER NOT NULL,
                    interviewer TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload_json TEXT NOT NULL,
                    PRIMARY KEY (device_id, sequence)
                ) WITHOUT ROWID;
                CREATE INDEX event_by_interview ON event(interview_id, sequence);
                CREATE TRIGGER event_no_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'terep events are append-only: UPDATE is not allowed'); END;
                CREATE TRIGGER event_no_delete BEFORE DELETE ON event
                BEGIN SELECT RAISE(ABORT, 'terep events are append-only: DELETE is not allowed'); END;
                """)
    }

    /// Sync: the device's signing key pair (raw Ed25519 bytes, never exported) and how far
    /// the event log has been put into bundles.
    private static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE device ADD COLUMN signing_private_key BLOB;
                ALTER TABLE device ADD COLUMN signing_public_key BLOB;
                ALTER TABLE device ADD COLUMN bundled_through INTEGER NOT NULL DEFAULT 0;
                """)
    }

    /// Fieldwork management: the coordinator's key packages are checked with, the device's
    /// encryption key, the newest package applied (its cases and review marks), each
    /// interview's case and latest end, and every interview's visits (kept as events are
    /// appended, by SurveyModel's `VisitTracker`). Existing interviews get theirs from their
    /// events.
    private static func v3(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE device ADD COLUMN coordinator_key BLOB;
                ALTER TABLE device ADD COLUMN encryption_private_key BLOB;
                ALTER TABLE device ADD COLUMN encryption_public_key BLOB;
                ALTER TABLE device ADD COLUMN package_through INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE device ADD COLUMN package_created_at INTEGER;
                ALTER TABLE device ADD COLUMN package_received_at INTEGER;
                ALTER TABLE interview ADD COLUMN case_id TEXT;
                ALTER TABLE interview ADD COLUMN end_sequence INTEGER;
                ALTER TABLE interview ADD COLUMN visits_closed INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX interview_by_case ON interview(case_id) WHERE case_id IS NOT NULL;
                CREATE TABLE assigned_case (
                    survey_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    definition_hash TEXT NOT NULL,
                    preload_json TEXT NOT NULL,
                    address TEXT,
                    note TEXT,
                    state TEXT NOT NULL CHECK (state IN ('assigned', 'reassigned', 'withdrawn')),
                    changed_at INTEGER NOT NULL,
                    changed_by TEXT NOT NULL,
                    reason TEXT,
                    PRIMARY KEY (survey_id, case_id)
                ) WITHOUT ROWID;
                CREATE TABLE review_mark (
                    sequence INTEGER PRIMARY KEY,
                    interview_id TEXT NOT NULL,
                    decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected', 'commented')),
                    text TEXT,
                    question TEXT,
                    reviewed_device TEXT,
                    reviewed_sequence INTEGER,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL
                );
                CREATE TABLE visit (
                    interview_id TEXT NOT NULL REFERENCES interview(id),
                    number INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    end INTEGER,
                    outcome INTEGER,
                    note TEXT,
                    PRIMARY KEY (interview_id, number)
                ) WITHOUT ROWID;
                """)
        let interviews = try Row.fetchAll(
            db, sql: "SELECT i.id, d.complete_code FROM interview i JOIN definition d ON d.hash = i.definition_hash")
        for row in interviews {
            let id = InterviewID(row[0] as String)
            let events = try EventCoding.fetchEvents(
                db, sql: "SELECT * FROM event WHERE interview_id = ? ORDER BY sequence", arguments: [id.rawValue])
            var visits = VisitTracker(completeCode: row[1])
            for event in events {
                visits.record(event.kind, at: LocalClock.moment(at: event.timestamp).dateTime)
                switch event.kind {
                case .ended, .reopened:
                    try db.execute(sql: "UPDATE interview SET end_sequence = ? WHERE id = ?", arguments: [event.sequence, id.rawValue])
                case .assignedCase(let caseID):
                    try db.execute(sql: "UPDATE interview SET case_id = ? WHERE id = ?", arguments: [caseID.rawValue, id.rawValue])
                default: break
                }
            }
            try VisitRows.save(db, interview: id, visits, from: [])
        }
    }

    /// The version of `VisitTracker`'s rule the `visit` rows follow; the rows of a database made
    /// before it count as version 1, and ``VisitRows/refresh(_:)`` derives them again.
    private static func v4(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE device ADD COLUMN visit_rule INTEGER NOT NULL DEFAULT 1")
    }
}
