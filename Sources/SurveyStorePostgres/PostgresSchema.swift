import PostgresNIO

/// The central dataset's schema on PostgreSQL: the same tables, columns, keys and append-only
/// guards as the SQLite schema (SurveyStore's `CentralSchema`), built by migrations of the same
/// names in the same order (a test checks the names), never edited once shipped. Types are
/// PostgreSQL's own (BIGINT, BYTEA, BOOLEAN); text keys compare by bytes (`COLLATE "C"`), as
/// SQLite's do, so every ordering matches. Applied migrations are listed in `terep_migration`.
package enum PostgresSchema {
    package static let migrations: [(name: String, statements: [String])] = [
        ("v1-central-dataset", v1),
        ("v2-central-interview-sequence-spans", v2),
        ("v3-central-interview-training-flag", v3),
        ("v4-central-cleaned-record-cache", v4),
        ("v5-central-fieldwork", v5),
        ("v6-central-request-nonces", v6),
    ]

    /// The table of applied migrations (made before the first one).
    static let bookkeeping = """
        CREATE TABLE IF NOT EXISTS terep_migration (
            name TEXT COLLATE "C" PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
        """

    private static let v1 = [
        """
        CREATE TABLE coordinator (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            created_at BIGINT NOT NULL,
            encryption_private_key BYTEA,
            encryption_public_key BYTEA)
        """,
        """
        CREATE TABLE device (
            device_id TEXT COLLATE "C" PRIMARY KEY,
            public_key BYTEA NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
            registered_at BIGINT NOT NULL,
            registered_how TEXT NOT NULL CHECK (registered_how IN ('explicit', 'trust-on-first-use')),
            revoked_at BIGINT,
            note TEXT)
        """,
        """
        CREATE TABLE definition (
            hash TEXT COLLATE "C" PRIMARY KEY,
            survey_id TEXT COLLATE "C" NOT NULL,
            version TEXT NOT NULL,
            complete_code BIGINT,
            compiled_json BYTEA NOT NULL)
        """,
        """
        CREATE TABLE event (
            device_id TEXT COLLATE "C" NOT NULL,
            sequence BIGINT NOT NULL CHECK (sequence >= 1),
            interview_id TEXT COLLATE "C" NOT NULL,
            timestamp BIGINT NOT NULL,
            interviewer TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload_json TEXT NOT NULL,
            PRIMARY KEY (device_id, sequence))
        """,
        "CREATE INDEX event_by_interview ON event (interview_id)",
        """
        CREATE FUNCTION terep_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$
        """,
        """
        CREATE TRIGGER event_no_update BEFORE UPDATE ON event FOR EACH ROW
        EXECUTE FUNCTION terep_refuse('terep events are append-only: UPDATE is not allowed')
        """,
        """
        CREATE TRIGGER event_no_delete BEFORE DELETE ON event FOR EACH ROW
        EXECUTE FUNCTION terep_refuse('terep events are append-only: DELETE is not allowed')
        """,
        """
        CREATE TABLE received_range (
            device_id TEXT COLLATE "C" NOT NULL,
            first_sequence BIGINT NOT NULL,
            last_sequence BIGINT NOT NULL CHECK (last_sequence >= first_sequence),
            PRIMARY KEY (device_id, first_sequence))
        """,
        """
        CREATE TABLE interview (
            id TEXT COLLATE "C" PRIMARY KEY,
            survey_id TEXT COLLATE "C",
            definition_hash TEXT COLLATE "C",
            interviewer TEXT,
            case_ids_json TEXT,
            started_at BIGINT,
            start_device TEXT COLLATE "C",
            start_sequence BIGINT,
            status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'ended')),
            outcome BIGINT,
            ended_at BIGINT,
            status_timestamp BIGINT,
            status_device TEXT COLLATE "C",
            status_sequence BIGINT,
            last_timestamp BIGINT NOT NULL,
            event_count BIGINT NOT NULL,
            device_count BIGINT NOT NULL)
        """,
        """
        CREATE TABLE interview_device (
            interview_id TEXT COLLATE "C" NOT NULL,
            device_id TEXT COLLATE "C" NOT NULL,
            event_count BIGINT NOT NULL,
            PRIMARY KEY (interview_id, device_id))
        """,
        """
        CREATE VIEW conflict AS
            SELECT interview_id, string_agg(device_id, ',' ORDER BY device_id) AS devices, sum(event_count) AS event_count
            FROM interview_device GROUP BY interview_id HAVING count(*) > 1
        """,
        """
        CREATE TABLE bundle (
            hash TEXT COLLATE "C" PRIMARY KEY,
            file_name TEXT NOT NULL,
            device_id TEXT COLLATE "C",
            first_sequence BIGINT,
            last_sequence BIGINT,
            event_count BIGINT NOT NULL DEFAULT 0,
            new_events BIGINT NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
            reason TEXT,
            received_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE registration_log (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            device_id TEXT COLLATE "C" NOT NULL,
            action TEXT NOT NULL,
            at BIGINT NOT NULL,
            detail TEXT)
        """,
    ]

    /// Each interview's sequence span per device replaces the index on the interview id.
    private static let v2 = [
        "ALTER TABLE interview_device ADD COLUMN first_sequence BIGINT, ADD COLUMN last_sequence BIGINT",
        """
        UPDATE interview_device s SET (first_sequence, last_sequence) = (
            SELECT min(sequence), max(sequence) FROM event e WHERE e.device_id = s.device_id AND e.interview_id = s.interview_id)
        """,
        "DROP INDEX event_by_interview",
    ]

    /// The training flag, from the latest `trainingMarked` event by merge order.
    private static let v3 = [
        """
        ALTER TABLE interview ADD COLUMN is_training BOOLEAN NOT NULL DEFAULT false,
            ADD COLUMN training_timestamp BIGINT, ADD COLUMN training_device TEXT COLLATE "C",
            ADD COLUMN training_sequence BIGINT
        """,
        """
        UPDATE interview i SET (is_training, training_timestamp, training_device, training_sequence) = (
            SELECT (e.payload_json::jsonb #>> '{trainingMarked,value}')::boolean, e.timestamp, e.device_id, e.sequence
            FROM event e WHERE e.interview_id = i.id AND e.kind = 'trainingMarked'
            ORDER BY e.timestamp DESC, e.device_id DESC, e.sequence DESC LIMIT 1)
        WHERE EXISTS (SELECT 1 FROM event e WHERE e.interview_id = i.id AND e.kind = 'trainingMarked')
        """,
    ]

    /// The cache of cleaned records (a speed-up only; outside the canonical dump).
    private static let v4 = [
        """
        CREATE TABLE cleaned_record (
            interview_id TEXT COLLATE "C" PRIMARY KEY REFERENCES interview (id) ON DELETE CASCADE,
            cache_key TEXT NOT NULL,
            definition_hash TEXT COLLATE "C" NOT NULL,
            event_count BIGINT NOT NULL,
            record BYTEA NOT NULL)
        """
    ]

    /// Fieldwork management: keys for packages, each interview's case, the append-only
    /// fieldwork log and the sample's cases.
    private static let v5 = [
        "ALTER TABLE coordinator ADD COLUMN signing_private_key BYTEA, ADD COLUMN signing_public_key BYTEA",
        "ALTER TABLE device ADD COLUMN encryption_public_key BYTEA",
        """
        ALTER TABLE interview ADD COLUMN case_id TEXT COLLATE "C", ADD COLUMN case_timestamp BIGINT,
            ADD COLUMN case_device TEXT COLLATE "C", ADD COLUMN case_sequence BIGINT
        """,
        "CREATE INDEX interview_by_case ON interview (case_id) WHERE case_id IS NOT NULL",
        """
        CREATE TABLE fieldwork_log (
            sequence BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('published', 'sample-imported', 'assigned', 'reassigned',
                'withdrawn', 'approved', 'rejected', 'commented')),
            survey_id TEXT COLLATE "C" NOT NULL,
            case_id TEXT COLLATE "C",
            device_id TEXT COLLATE "C",
            previous_device_id TEXT COLLATE "C",
            interview_id TEXT COLLATE "C",
            definition_hash TEXT COLLATE "C",
            question TEXT,
            text TEXT,
            reviewed_device TEXT COLLATE "C",
            reviewed_sequence BIGINT)
        """,
        "CREATE INDEX fieldwork_log_by_device ON fieldwork_log (device_id) WHERE device_id IS NOT NULL",
        "CREATE INDEX fieldwork_log_by_previous ON fieldwork_log (previous_device_id) WHERE previous_device_id IS NOT NULL",
        "CREATE INDEX fieldwork_log_by_interview ON fieldwork_log (interview_id) WHERE interview_id IS NOT NULL",
        """
        CREATE TRIGGER fieldwork_log_no_update BEFORE UPDATE ON fieldwork_log FOR EACH ROW
        EXECUTE FUNCTION terep_refuse('the fieldwork log is append-only: UPDATE is not allowed')
        """,
        """
        CREATE TRIGGER fieldwork_log_no_delete BEFORE DELETE ON fieldwork_log FOR EACH ROW
        EXECUTE FUNCTION terep_refuse('the fieldwork log is append-only: DELETE is not allowed')
        """,
        """
        CREATE TABLE sample_case (
            survey_id TEXT COLLATE "C" NOT NULL,
            case_id TEXT COLLATE "C" NOT NULL,
            preload_json TEXT NOT NULL,
            address TEXT,
            note TEXT,
            device_id TEXT COLLATE "C",
            assigned_sequence BIGINT,
            withdrawn BOOLEAN NOT NULL DEFAULT false,
            withdrawn_sequence BIGINT,
            added_sequence BIGINT NOT NULL,
            updated_sequence BIGINT NOT NULL,
            PRIMARY KEY (survey_id, case_id))
        """,
        "CREATE INDEX sample_case_by_device ON sample_case (device_id) WHERE device_id IS NOT NULL",
        """
        CREATE TRIGGER sample_case_no_delete BEFORE DELETE ON sample_case FOR EACH ROW
        EXECUTE FUNCTION terep_refuse('a case of the sample is never deleted: withdraw it')
        """,
    ]

    /// The nonces of signed requests `terep server` accepted, each until it expires: every
    /// server process over the database refuses a replay.
    private static let v6 = [
        "CREATE TABLE request_nonce (key TEXT COLLATE \"C\" PRIMARY KEY, expires_at BIGINT NOT NULL)",
        "CREATE INDEX request_nonce_by_expiry ON request_nonce (expires_at)",
    ]
}
