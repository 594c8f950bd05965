import Foundation
import PostgresNIO
import SurveyModel
import SurveyStore

extension PostgresCentralStore {
    /// The PostgreSQL store's error for a failure inside a database access
    /// (``PostgresSession/storeError(_:location:connecting:)``).
    public func storeError(_ error: any Error) -> StoreError { PostgresSession.storeError(error, location: location) }

    /// Merges one bundle as `feed` hands it over, in one transaction; when `feed` throws,
    /// everything is rolled back and its error rethrown as it is.
    public func apply(
        bundle: BundleReceipt, registering: NewDevice?, _ feed: (any CentralMergeFeed) throws -> Void
    ) throws -> MergeResult {
        if let existing = try self.bundle(hash: bundle.hash), existing.accepted { return Self.alreadyMerged }
        var fed: (any Error)?
        do {
            return try write { link in
                if let new = registering {
                    _ = try Self.insertDevice(
                        link, bundle.device, publicKey: new.publicKey, method: new.method, note: new.note, at: bundle.receivedAt)
                }
                // The device's row is the merge's lock: merges of one device's bundles run one
                // after the other, and the second of two copies of a bundle finds it accepted.
                guard let device = try Self.fetchDevice(link, bundle.device, forUpdate: true) else {
                    throw StoreError.deviceNotRegistered(bundle.device)
                }
                guard device.status == .active else { throw StoreError.deviceRevoked(bundle.device) }
                if try Self.bundles(
                    link.query(
                        "SELECT \(unescaped: Self.bundleColumns) FROM bundle WHERE hash = \(bundle.hash) AND status = 'accepted'"
                    )
                ).first != nil {
                    return Self.alreadyMerged
                }
                let merge = PostgresMerge(link, device: bundle.device)
                do { try feed(merge) } catch {
                    fed = error
                    throw error
                }
                let result = try merge.finish()
                try Self.record(link, bundle, events: merge.eventCount, newEvents: result.newEvents)
                return result
            }
        } catch {
            if let fed, !(fed is StoreError) { throw fed }
            throw error
        }
    }

    private static var alreadyMerged: MergeResult {
        var result = MergeResult()
        result.alreadyMerged = true
        return result
    }

    private static func record(_ link: PostgresSession, _ bundle: BundleReceipt, events: Int, newEvents: Int) throws {
        try link.execute(
            """
            INSERT INTO bundle (hash, file_name, device_id, first_sequence, last_sequence, event_count,
                new_events, status, reason, received_at)
            VALUES (\(bundle.hash), \(bundle.fileName), \(bundle.device.rawValue), \(bundle.firstSequence),
                \(bundle.lastSequence), \(events), \(newEvents), 'accepted', NULL, \(bundle.receivedAt))
            ON CONFLICT (hash) DO UPDATE SET file_name = excluded.file_name, device_id = excluded.device_id,
                first_sequence = excluded.first_sequence, last_sequence = excluded.last_sequence,
                event_count = excluded.event_count, new_events = excluded.new_events,
                status = 'accepted', reason = NULL, received_at = excluded.received_at
            """)
    }
}

/// One bundle being merged inside a transaction of the PostgreSQL store: its definitions
/// first, then its events, each checked as it comes (``MergeEventCheck``) and inserted in
/// batches of ``batchSize`` (one multi-row `INSERT … ON CONFLICT DO NOTHING` each: a round trip
/// per batch, not per event); an event already present must equal the stored one. What is kept
/// is the batch, each interview's ``InterviewDelta`` and the runs of sequence numbers.
final class PostgresMerge: CentralMergeFeed {
    static let batchSize = 1000
    private let link: PostgresSession
    private let device: DeviceID
    private var check: MergeEventCheck
    private var mapped: [InterviewID: DefinitionHash] = [:]
    private var pending: [(event: InterviewEvent, payload: String)] = []
    private var knownDefinitions: Set<DefinitionHash> = []
    private var definitionInfo: [DefinitionHash: (survey: SurveyID, completeCode: Int?)] = [:]
    private var result = MergeResult()
    private var deltas: [InterviewID: InterviewDelta] = [:]
    private var sequences = SequenceRanges()
    /// Events handed over so far (new and duplicate).
    private(set) var eventCount = 0

    init(_ link: PostgresSession, device: DeviceID) {
        self.link = link
        self.device = device
        check = MergeEventCheck(device: device)
        pending.reserveCapacity(Self.batchSize)
    }

    func begin(
        definitions: [DefinitionFile], interviewDefinitions: [InterviewID: DefinitionHash],
        checkedAgainst: [InterviewID: DefinitionHash]
    ) throws {
        mapped = interviewDefinitions
        check.begin(definitions: definitions, checkedAgainst: checkedAgainst)
        for file in definitions where try PostgresCentralStore.insertDefinition(link, file) { result.newDefinitions += 1 }
    }

    func add(_ event: InterviewEvent) throws {
        try check.check(event)
        pending.append((event, try EventCoding.encode(event.kind)))
        eventCount += 1
        sequences.insert(event.sequence)
        if pending.count >= Self.batchSize { try flush() }
    }

    /// Inserts the pending events in one statement; those already present are compared with
    /// the stored ones, the new ones go into their interviews' deltas.
    private func flush() throws {
        guard !pending.isEmpty else { return }
        var columns = (
            sequence: [Int64](), interview: [String](), timestamp: [Int64](), interviewer: [String](), kind: [String](),
            payload: [String]()
        )
        for (event, payload) in pending {
            columns.sequence.append(event.sequence)
            columns.interview.append(event.interview.rawValue)
            columns.timestamp.append(event.timestamp)
            columns.interviewer.append(event.interviewer)
            columns.kind.append(EventCoding.name(of: event.kind))
            columns.payload.append(payload)
        }
        var inserted = Set(
            try link.query(
                """
                INSERT INTO event (device_id, sequence, interview_id, timestamp, interviewer, kind, payload_json)
                SELECT \(device.rawValue), * FROM unnest(\(columns.sequence)::bigint[], \(columns.interview)::text[],
                    \(columns.timestamp)::bigint[], \(columns.interviewer)::text[], \(columns.kind)::text[], \(columns.payload)::text[])
                ON CONFLICT DO NOTHING RETURNING sequence
                """
            ).column(Int64.self))
        var duplicates: [(event: InterviewEvent, payload: String)] = []
        var startedWith: Set<DefinitionHash> = []
        for (event, payload) in pending {
            guard inserted.remove(event.sequence) != nil else {
                duplicates.append((event, payload))
                continue
            }
            result.newEvents += 1
            if case .started(let definition, _, _, _) = event.kind, !knownDefinitions.contains(definition) {
                startedWith.insert(definition)
            }
            try deltas[event.interview, default: InterviewDelta()].add(event)
        }
        pending.removeAll(keepingCapacity: true)
        try compare(duplicates)
        try requireDefinitions(startedWith)
    }

    /// Events that were present already must equal the stored ones.
    private func compare(_ duplicates: [(event: InterviewEvent, payload: String)]) throws {
        guard !duplicates.isEmpty else { return }
        let rows = try link.query(
            """
            SELECT sequence, interview_id, timestamp, interviewer, payload_json FROM event
            WHERE device_id = \(device.rawValue) AND sequence = ANY(\(duplicates.map(\.event.sequence))::bigint[])
            """
        ).all((Int64, String, Int64, String, String).self)
        let stored = Dictionary(rows.map { ($0.0, $0) }, uniquingKeysWith: { first, _ in first })
        for (event, payload) in duplicates {
            guard let row = stored[event.sequence], row.1 == event.interview.rawValue, row.2 == event.timestamp,
                row.3 == event.interviewer, row.4 == payload
            else { throw StoreError.eventMismatch(device: event.device, sequence: event.sequence) }
            result.duplicateEvents += 1
        }
    }

    /// A new `started` event needs its definition in the dataset.
    private func requireDefinitions(_ hashes: Set<DefinitionHash>) throws {
        for hash in hashes.sorted(by: { $0.rawValue < $1.rawValue }) where try info(hash) == nil {
            throw StoreError.unknownDefinition(hash)
        }
        knownDefinitions.formUnion(hashes)
    }

    /// A stored definition's survey and complete code (nil when it is not stored).
    private func info(_ hash: DefinitionHash) throws(StoreError) -> (survey: SurveyID, completeCode: Int?)? {
        if let known = definitionInfo[hash] { return known }
        guard
            let row = try link.query("SELECT survey_id, complete_code FROM definition WHERE hash = \(hash.rawValue)")
                .all((String, Int?).self).first
        else { return nil }
        definitionInfo[hash] = (SurveyID(row.0), row.1)
        return definitionInfo[hash]
    }

    /// After the last event: the interviews' derived rows (locked in id order) and the device's
    /// received ranges.
    func finish() throws -> MergeResult {
        try flush()
        try mergeInterviews()
        try mergeRanges()
        return result
    }

    /// Folds the merge's new events into their interviews' derived rows (``DerivedInterview``)
    /// in five statements whatever their number: placeholders for new interviews, the rows
    /// locked in id order, the device's share of each, the number of devices of each, and the
    /// rows written back.
    private func mergeInterviews() throws {
        let ids = deltas.keys.sorted()
        guard !ids.isEmpty else { return }
        for id in ids {
            if let mapped = mapped[id], try info(mapped) == nil { throw StoreError.unknownDefinition(mapped) }
        }
        let names = ids.map(\.rawValue)
        try link.execute(
            """
            INSERT INTO interview (id, status, last_timestamp, event_count, device_count)
            SELECT id, 'in_progress', 0, 0, 0 FROM unnest(\(names)::text[]) AS id ORDER BY id COLLATE "C"
            ON CONFLICT (id) DO NOTHING
            """)
        let locked = try PostgresCentralStore.derivedInterviews(
            link.query(
                """
                SELECT \(unescaped: PostgresCentralStore.interviewColumns) FROM interview
                WHERE id = ANY(\(names)::text[]) ORDER BY id COLLATE "C" FOR UPDATE
                """))
        let rows = Dictionary(locked.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let shares = ids.map { deltas[$0] ?? InterviewDelta() }
        try link.execute(
            """
            INSERT INTO interview_device (interview_id, device_id, event_count, first_sequence, last_sequence)
            SELECT id, \(device.rawValue), n, f, l
            FROM unnest(\(names)::text[], \(shares.map { Int64($0.newEvents) })::bigint[], \(shares.map(\.firstSequence))::bigint[],
                \(shares.map(\.lastSequence))::bigint[]) AS s(id, n, f, l)
            ORDER BY id COLLATE "C"
            ON CONFLICT (interview_id, device_id) DO UPDATE SET
                event_count = interview_device.event_count + excluded.event_count,
                first_sequence = least(interview_device.first_sequence, excluded.first_sequence),
                last_sequence = greatest(interview_device.last_sequence, excluded.last_sequence)
            """)
        let counted = try link.query(
            "SELECT interview_id, count(*) FROM interview_device WHERE interview_id = ANY(\(names)::text[]) GROUP BY interview_id"
        ).all((String, Int).self)
        let devices = Dictionary(counted.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        var updated: [(row: DerivedInterview, status: InterviewStatus)] = []
        updated.reserveCapacity(ids.count)
        for (id, delta) in zip(ids, shares) {
            guard var row = rows[id] else { throw StoreError.unknownInterview(id) }
            var delta = delta
            delta.mappedDefinition = mapped[id]
            // A row with no events is the placeholder just inserted: the interview is new.
            let before = row.eventCount == 0 ? nil : row.deviceCount
            if before == nil { row = DerivedInterview(id: id) }
            let count = devices[id.rawValue] ?? 0
            try row.fold(delta, deviceCount: count) { hash throws(StoreError) in try info(hash)?.survey }
            let status = row.status(completeCode: try row.definition.flatMap { hash throws(StoreError) in try info(hash)?.completeCode })
            updated.append((row, status))
            if before == nil { result.newInterviews += 1 } else { result.updatedInterviews += 1 }
            if (before ?? 0) < 2 && count >= 2 { result.newConflicts += 1 }
        }
        try PostgresCentralStore.update(link, updated)
    }

    /// Adds the bundle's sequence numbers to the device's received ranges (``SequenceRanges``).
    private func mergeRanges() throws {
        for island in sequences.ranges {
            let (above, below) = (island.upperBound.saturatingSuccessor, island.lowerBound.saturatingPredecessor)
            let touching = try link.query(
                """
                DELETE FROM received_range WHERE device_id = \(device.rawValue)
                    AND first_sequence <= \(above) AND last_sequence >= \(below)
                RETURNING first_sequence, last_sequence
                """
            ).all((Int64, Int64).self)
            var joined = SequenceRanges(ranges: touching.map { $0.0...$0.1 })
            joined.insert(island)
            for range in joined.ranges {
                try link.execute(
                    """
                    INSERT INTO received_range (device_id, first_sequence, last_sequence)
                    VALUES (\(device.rawValue), \(range.lowerBound), \(range.upperBound))
                    """)
            }
        }
    }
}
