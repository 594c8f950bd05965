import SurveyExport
import SurveyModel
import SurveyStore

/// How a pass over a ``CleanedDataset`` uses the central dataset's cache of cleaned records.
public enum CleanedCacheUse: Sendable {
    /// Use valid cached records and store the records of interviews it had to replay
    /// (nothing is stored when the dataset is opened read-only).
    case readWrite
    /// Use valid cached records but store nothing.
    case readOnly
    /// Replay every interview; neither read nor write the cache.
    case off
}

/// What one pass did with the cache of cleaned records.
public struct CleanedCacheStatistics: Sendable, Equatable {
    /// Interviews whose cached record was used.
    public var hits = 0
    /// Interviews replayed (no valid cached record).
    public var replayed = 0
    /// Cached records whose bytes could not be decoded (replayed instead).
    public var rejected = 0
    /// Records written to the cache.
    public var stored = 0
    /// Why the cache could not be read or written during the pass, if it could not; the pass
    /// went on without it.
    public var problem: String?

    public init() {}
}

/// Reads and fills the central dataset's cache of cleaned records during one pass, a chunk of
/// interviews at a time: one query reads a chunk's cached records, and replayed records are
/// written in batches of short transactions between reads. A failure to read (or write) the
/// cache stops reading (or writing) it for the rest of the pass; it never fails the pass.
struct CleanedRecordCache {
    /// Replayed records are written once this many are waiting (and at the end of the pass).
    static let batchSize = 500

    let central: any CentralDataset
    let key: String
    /// Whether cached records are decoded with their paradata and comments (exports) or
    /// without (reports skip those bytes).
    var paradata = true
    private var readable: Bool
    private var writable: Bool
    private var pending: [CachedCleanedRecord] = []
    private(set) var statistics = CleanedCacheStatistics()

    init(central: any CentralDataset, key: String, use: CleanedCacheUse) {
        self.central = central
        self.key = key
        readable = use != .off
        writable = use == .readWrite && !central.isReadOnly
    }

    /// The cached rows of the interviews in `selected` (in id order), read in one query.
    mutating func load(_ selected: [CentralInterview]) -> [InterviewID: CachedCleanedRecord] {
        guard readable, let first = selected.first, let last = selected.last else { return [:] }
        do {
            return try central.cachedCleanedRecords(from: first.id, through: last.id)
        } catch {
            disable(because: "cannot read cached records: \(error)", reading: true)
            return [:]
        }
    }

    /// The cached cleaned interview, if `rows` holds a valid record of it for this key, its
    /// current definition and event count.
    mutating func cleaned(
        _ interview: CentralInterview, from rows: [InterviewID: CachedCleanedRecord]
    ) -> InterviewCleaner.Cleaned? {
        guard let row = rows[interview.id], row.cacheKey == key, row.definition == interview.definition,
            row.eventCount == interview.eventCount
        else {
            statistics.replayed += 1
            return nil
        }
        guard let cleaned = try? CleanedRecordCoding.decode(row.data, paradata: paradata), cleaned.record.id == interview.id,
            cleaned.record.definition == row.definition
        else {
            statistics.rejected += 1
            statistics.replayed += 1
            return nil
        }
        statistics.hits += 1
        return cleaned
    }

    /// Whether `rows` holds a record of the interview for this key, definition and event count
    /// (without decoding it; a damaged one is caught when a pass reads it). Counts a hit.
    mutating func isFresh(_ interview: CentralInterview, in rows: [InterviewID: CachedCleanedRecord]) -> Bool {
        guard let row = rows[interview.id], row.cacheKey == key, row.definition == interview.definition,
            row.eventCount == interview.eventCount
        else { return false }
        statistics.hits += 1
        return true
    }

    /// Queues a freshly replayed interview for the cache; writes a batch when one is full.
    mutating func remember(_ cleaned: InterviewCleaner.Cleaned, of interview: CentralInterview, hash: DefinitionHash) {
        guard writable else { return }
        pending.append(
            CachedCleanedRecord(
                interview: interview.id, cacheKey: key, definition: hash, eventCount: interview.eventCount,
                data: CleanedRecordCoding.encode(cleaned)))
        if pending.count >= Self.batchSize { flush() }
    }

    /// Writes the waiting records in one transaction.
    mutating func flush() {
        guard writable, !pending.isEmpty else { return }
        do {
            try central.storeCleanedRecords(pending)
            statistics.stored += pending.count
        } catch {
            disable(because: "cannot store cleaned records: \(error)", reading: false)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Stops writing (and reading, if `reading`) for the rest of the pass.
    private mutating func disable(because problem: String, reading: Bool) {
        if reading { readable = false }
        writable = false
        pending = []
        if statistics.problem == nil { statistics.problem = problem }
    }
}
