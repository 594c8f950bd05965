import GRDB

/// The central dataset's schema, built by migrations that are never edited once shipped.
///
/// Everything except `bundle` (a receipt log) and the coordinator row is a function of the
/// *set* of merged events and definitions, so merging in any order, any number of times,
/// gives identical tables.
enum CentralSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-central-dataset", migrate: v1)
        migrator.registerMigration("v2-central-interview-sequence-spans", migrate: v2)
        migrator.registerMigration("v3-central-interview-training-flag", migrate: v3)
        migrator.registerMigration("v4-central-cleaned-record-cache", migrate: v4)
        migrator.registerMigration("v5-central-fieldwork", migrate: v5)
        migrator.registerMigration("v6-central-request-nonces", migrate: v6)
        return migrator
    }

    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE coordinator (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    created_at INTEGER NOT NULL,
                    encryption_private_key BLOB,
                    encryption_public_key BLOB
                );
                CREATE TABLE device (
                    device_id TEXT PRIMARY KEY NOT NULL,
                    public_key BLOB NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
                    registered_at INTEGER NOT NULL,
                    registered_how TEXT NOT NULL CHECK (registered_how IN ('explicit', 'trust-on-first-use')),
                    revoked_at INTEGER,
                    note TEXT
                );
                CREATE TABLE definition (
                    hash TEXT PRIMARY KEY NOT NULL,
                    survey_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    complete_code INTEGER,
                    compiled_json BLOB NOT NULL
                );
                CREATE TABLE event (
                    device_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL CHECK (sequence >= 1),
                    interview_id TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    interviewer TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload_json TEXT NOT NULL,
                    PRIMARY KEY (device_id, sequence)
                ) WITHOUT ROWID;
                CREATE INDEX event_by_interview ON event(interview_id);
                CREATE TRIGGER event_no_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'terep events are append-only: UPDATE is not allowed'); END;
                CREATE TRIGGER event_no_delete BEFORE DELETE ON event
                BEGIN SELECT RAISE(ABORT, 'terep events are append-only: DELETE is not allowed'); END;
                CREATE TABLE received_range (
                    device_id TEXT NOT NULL,
                    first_sequence INTEGER NOT NULL,
                    last_sequence INTEGER NOT NULL CHECK (last_sequence >= first_sequence),
                    PRIMARY KEY (device_id, first_sequence)
                ) WITHOUT ROWID;
                CREATE TABLE interview (
                    id TEXT PRIMARY KEY NOT NULL,
                    survey_id TEXT,
                    definition_hash TEXT,
                    interviewer TEXT,
                    case_ids_json TEXT,
                    started_at INTEGER,
                    start_device TEXT,
                    start_sequence INTEGER,
                    status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'ended')),
                    outcome INTEGER,
                    ended_at INTEGER,
                    status_timestamp INTEGER,
                    status_device TEXT,
                    status_sequence INTEGER,
                    last_timestamp INTEGER NOT NULL,
                    event_count INTEGER NOT NULL,
                    device_count INTEGER NOT NULL
                );
                CREATE TABLE interview_device (
                    interview_id TEXT NOT NULL,
                    device_id TEXT NOT NULL,
                    event_count INTEGER NOT NULL,
                    PRIMARY KEY (interview_id, device_id)
                ) WITHOUT ROWID;
                CREATE VIEW conflict AS
                    SELECT interview_id, group_concat(device_id, ',') AS devices, sum(event_count) AS event_count
                    FROM (SELECT * FROM interview_device ORDER BY interview_id, device_id)
                    GROUP BY interview_id HAVING count(*) > 1;
                CREATE TABLE bundle (
                    hash TEXT PRIMARY KEY NOT NULL,
                    file_name TEXT NOT NULL,
                    device_id TEXT,
                    first_sequence INTEGER,
                    last_sequence INTEGER,
                    event_count INTEGER NOT NULL DEFAULT 0,
                    new_events INTEGER NOT NULL DEFAULT 0,
                    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
                    reason TEXT,
                    received_at INTEGER NOT NULL
                );
                CREATE TABLE registration_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    device_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    detail TEXT
                );
                """)
    }

    /// Replaces the `event_by_interview` index (a third of the cost of every merged event) by
    /// each interview's sequence span per device: an interview's events are found by a
    /// primary-key range scan of (device, first_sequence…last_sequence).
    private static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE interview_device ADD COLUMN first_sequence INTEGER;
                ALTER TABLE interview_device ADD COLUMN last_sequence INTEGER;
                UPDATE interview_device SET
                    first_sequence = (SELECT min(sequence) FROM event e
                        WHERE e.device_id = interview_device.device_id AND e.interview_id = interview_device.interview_id),
                    last_sequence = (SELECT max(sequence) FROM event e
                        WHERE e.device_id = interview_device.device_id AND e.interview_id = interview_device.interview_id);
                DROP INDEX event_by_interview;
                """)
    }

    /// Adds the training flag: the value of an interview's latest `trainingMarked` event, with
    /// that event's key (timestamp, device, sequence) so later merges apply the same
    /// latest-wins rule as status. Interviews merged before this migration get theirs from
    /// their stored events.
    private static func v3(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE interview ADD COLUMN is_training INTEGER NOT NULL DEFAULT 0 CHECK (is_training IN (0, 1));
                ALTER TABLE interview ADD COLUMN training_timestamp INTEGER;
                ALTER TABLE interview ADD COLUMN training_device TEXT;
                ALTER TABLE interview ADD COLUMN training_sequence INTEGER;
                UPDATE interview SET (is_training, training_timestamp, training_device, training_sequence) = (
                    SELECT json_extract(e.payload_json, '$.trainingMarked.value'), e.timestamp, e.device_id, e.sequence
                    FROM event e WHERE e.interview_id = interview.id AND e.kind = 'trainingMarked'
                    ORDER BY e.timestamp DESC, e.device_id DESC, e.sequence DESC LIMIT 1)
                WHERE EXISTS (SELECT 1 FROM event e WHERE e.interview_id = interview.id AND e.kind = 'trainingMarked');
                """)
    }

    /// Adds the cache of cleaned interview records (exports and reports): one opaque record per
    /// interview with what it was computed from — the cleaner's cache key, the definition and
    /// the interview's event count. It is not derived from the event set alone (it depends on
    /// the cleaning program), so it stays out of ``CentralStore/canonicalDump()``; any row can
    /// be dropped at any time and is recomputed on the next read.
    private static func v4(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE cleaned_record (
                    interview_id TEXT PRIMARY KEY NOT NULL REFERENCES interview(id) ON DELETE CASCADE,
                    cache_key TEXT NOT NULL,
                    definition_hash TEXT NOT NULL,
                    event_count INTEGER NOT NULL,
                    record BLOB NOT NULL
                );
                """)
    }

    /// Fieldwork management: the coordinator's signing key (packages), devices' encryption keys,
    /// the append-only fieldwork log (publishing, sample imports, assignments, withdrawals,
    /// reviews — who and when), the sample's cases as the log leaves them, and each
    /// interview's case (from its `assignedCase` event, the earliest by merge order, like its
    /// start). Interviews merged before this step have no `assignedCase` events: no case.
    private static func v5(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE coordinator ADD COLUMN signing_private_key BLOB;
                ALTER TABLE coordinator ADD COLUMN signing_public_key BLOB;
                ALTER TABLE device ADD COLUMN encryption_public_key BLOB;
                ALTER TABLE interview ADD COLUMN case_id TEXT;
                ALTER TABLE interview ADD COLUMN case_timestamp INTEGER;
                ALTER TABLE interview ADD COLUMN case_device TEXT;
                ALTER TABLE interview ADD COLUMN case_sequence INTEGER;
                CREATE INDEX interview_by_case ON interview(case_id) WHERE case_id IS NOT NULL;
                CREATE TABLE fieldwork_log (
                    sequence INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('published', 'sample-imported', 'assigned', 'reassigned',
                        'withdrawn', 'approved', 'rejected', 'commented')),
                    survey_id TEXT NOT NULL,
                    case_id TEXT,
                    device_id TEXT,
                    previous_device_id TEXT,
                    interview_id TEXT,
                    definition_hash TEXT,
                    question TEXT,
                    text TEXT,
                    reviewed_device TEXT,
                    reviewed_sequence INTEGER
                );
                CREATE INDEX fieldwork_log_by_device ON fieldwork_log(device_id) WHERE device_id IS NOT NULL;
                CREATE INDEX fieldwork_log_by_previous ON fieldwork_log(previous_device_id) WHERE previous_device_id IS NOT NULL;
                CREATE INDEX fieldwork_log_by_interview ON fieldwork_log(interview_id) WHERE interview_id IS NOT NULL;
                CREATE TRIGGER fieldwork_log_no_update BEFORE UPDATE ON fieldwork_log
                BEGIN SELECT RAISE(ABORT, 'the fieldwork log is append-only: UPDATE is not allowed'); END;
                CREATE TRIGGER fieldwork_log_no_delete BEFORE DELETE ON fieldwork_log
                BEGIN SELECT RAISE(ABORT, 'the fieldwork log is append-only: DELETE is not allowed'); END;
                CREATE TABLE sample_case (
                    survey_id TEXT NOT NULL,
                    case_id TEXT NOT NULL,
                    preload_json TEXT NOT NULL,
                    address TEXT,
                    note TEXT,
                    device_id TEXT,
                    assigned_sequence INTEGER,
                    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
                    withdrawn_sequence INTEGER,
                    added_sequence INTEGER NOT NULL,
                    updated_sequence INTEGER NOT NULL,
                    PRIMARY KEY (survey_id, case_id)
                ) WITHOUT ROWID;
                CREATE INDEX sample_case_by_device ON sample_case(device_id) WHERE device_id IS NOT NULL;
                CREATE TRIGGER sample_case_no_delete BEFORE DELETE ON sample_case
                BEGIN SELECT RAISE(ABORT, 'a case of the sample is never deleted: withdraw it'); END;
                """)
    }

    /// The nonces of signed requests `terep server` accepted, each until it expires (twice the
    /// allowed clock skew after it was seen): kept in the dataset so a restarted server, or a
    /// second server over the same database, still refuses a replay. Not merged data: left out
    /// of ``CentralStore/canonicalDump()``.
    private static func v6(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE request_nonce (
                    key TEXT PRIMARY KEY NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX request_nonce_by_expiry ON request_nonce(expires_at);
                """)
    }
}
