import GRDB
import SurveyModel

/// A device interview's visits as stored (`visit` rows and `interview.visits_closed`), kept by
/// SurveyModel's ``VisitTracker`` as events are appended, so the case list never replays a log.
enum VisitRows {
    /// The tracker of an interview, continuing from its stored visits.
    static func load(_ db: Database, interview id: InterviewID) throws -> VisitTracker {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT i.visits_closed, d.complete_code FROM interview i JOIN definition d ON d.hash = i.definition_hash
                WHERE i.id = ?
                """,
            arguments: [id.rawValue])
        let visits = try Row.fetchAll(db, sql: "SELECT * FROM visit WHERE interview_id = ? ORDER BY number", arguments: [id.rawValue])
            .map(DeviceStore.visit)
        return VisitTracker(completeCode: row?[1], visits: visits, isClosed: row?[0] ?? false)
    }

    /// Derives every interview's visits again from its events when the rows follow an older
    /// version of the rule (``VisitTracker/rule``), and records the version; otherwise nothing.
    static func refresh(_ db: Database) throws {
        guard try isStale(db) else { return }
        try db.execute(sql: "DELETE FROM visit")
        let interviews = try Row.fetchAll(
            db, sql: "SELECT i.id, d.complete_code FROM interview i JOIN definition d ON d.hash = i.definition_hash")
        for row in interviews {
            let id = InterviewID(row[0] as String)
            let events = try EventCoding.fetchEvents(
                db, sql: "SELECT * FROM event WHERE interview_id = ? ORDER BY sequence", arguments: [id.rawValue])
            var tracker = VisitTracker(completeCode: row[1])
            for event in events { tracker.record(event.kind, at: LocalClock.moment(at: event.timestamp).dateTime) }
            try save(db, interview: id, tracker, from: [])
        }
        try db.execute(sql: "UPDATE device SET visit_rule = ?", arguments: [VisitTracker.rule])
    }

    /// Whether the rows follow an older version of the rule than the program's.
    static func isStale(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT visit_rule FROM device").map { $0 != VisitTracker.rule } ?? false
    }

    /// Writes the visits that differ from `before` (the same interview's, as loaded).
    static func save(_ db: Database, interview id: InterviewID, _ tracker: VisitTracker, from before: [Visit]) throws {
        for visit in tracker.visits where visit.number > before.count || before[visit.number - 1] != visit {
            try db.cachedStatement(
                sql: """
                    INSERT INTO visit (interview_id, number, start, end, outcome, note) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (interview_id, number) DO UPDATE SET start = excluded.start, end = excluded.end,
                        outcome = excluded.outcome, note = excluded.note
                    """
            ).execute(arguments: [
                id.rawValue, visit.number, visit.start.seconds, visit.end?.seconds, visit.outcome, visit.note,
            ])
        }
        try db.cachedStatement(sql: "UPDATE interview SET visits_closed = ? WHERE id = ?").execute(arguments: [
            tracker.isClosed, id.rawValue,
        ])
    }
}
