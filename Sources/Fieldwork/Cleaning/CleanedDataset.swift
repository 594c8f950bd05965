import SurveyExport
import SurveyModel
import SurveyStore

/// The cleaned interviews of one survey in a central dataset, streamed one at a time.
///
/// Applies the rules of docs/exports.md that depend on the central dataset: selection by
/// status/outcome and questionnaire version, replay through the engine (on-route answers only,
/// off route as -7, the central's last-write-wins rule across devices, the conflict flag,
/// confirmed soft checks) and the analysts' corrections file. Exports and reports both read
/// interviews through this type, so their numbers agree. Memory holds one interview's events
/// at a time (plus one summary row per interview for the selection).
///
/// Replay is the expensive step, so its result (the record before corrections) is cached in
/// the central dataset (``CleanedRecordCache``): an interview is replayed once after its events
/// change, and later passes decode its cached record. Selection and corrections are applied
/// after the cache, on every pass.
public struct CleanedDataset: Sendable {
    public let central: any CentralDataset
    public let survey: SurveyID
    /// The definitions of the survey that are selected, oldest version first.
    public let definitions: [CompiledSurvey]
    /// The newest of ``exportDefinitions``: its order and labels lead the export's schema.
    public var schemaDefinition: CompiledSurvey { exportDefinitions[0] }
    /// The definitions the export's schema merges, newest first: the selected ones that have
    /// selected interviews (or the newest selected one when none has). The newest version is
    /// the one that came into use last (its first interview started last), so a device still
    /// interviewing with an old version does not make that version the newest.
    public private(set) var exportDefinitions: [CompiledSurvey]
    public let statuses: StatusSelection
    public let corrections: Corrections?
    /// Where the corrections came from (a file name), for messages and the log.
    public let correctionsFile: String?
    /// How passes use the central dataset's cache of cleaned records.
    public var cacheUse: CleanedCacheUse
    /// Whether records come with their paradata and comments (``InterviewRecord/paradata``); a
    /// pass that does not write them (a report) sets this false and skips decoding them.
    public var withParadata = true
    /// The key cached records must carry to be used (``CleanedRecordCoding/cacheKey(timeZone:)``).
    public var cacheKey: String
    let interviews: [CentralInterview]

    /// Reads the survey's definitions and interview list and checks the corrections text
    /// (`correctionsText`, named `correctionsFile` in errors) against the schema definition.
    public init(
        central: any CentralDataset, survey: SurveyID, version: VersionSelection = .all, statuses: StatusSelection = .completed,
        correctionsText: String? = nil, correctionsFile: String = "corrections", cacheUse: CleanedCacheUse = .readWrite,
        cacheKey: String = CleanedRecordCoding.cacheKey()
    ) throws(FieldworkError) {
        self.central = central
        self.cacheUse = cacheUse
        self.cacheKey = cacheKey
        self.survey = survey
        self.statuses = statuses
        let all: [CompiledSurvey]
        do {
            var found: [CompiledSurvey] = []
            for hash in try central.definitionHashes() {
                if let d = try central.definition(hash: hash), d.definition.id == survey { found.append(d) }
            }
            all = found
            let hashes = Set(found.map(\.hash))
            interviews = try central.interviews().filter { i in
                i.survey == survey || (i.survey == nil && i.definition.map(hashes.contains) == true)
            }
        } catch {
            throw .store(error)
        }
        guard !all.isEmpty else {
            let known = (try? central.definitionHashes().compactMap { try? central.definition(hash: $0)?.definition.id.rawValue }) ?? []
            throw .unknownSurvey(survey, known: Array(Set(known)).sorted())
        }
        switch version {
        case .all:
            definitions = all.sorted { ($0.definition.version, $0.hash.rawValue) < ($1.definition.version, $1.hash.rawValue) }
        case .hash(let prefix):
            let matches = all.filter { $0.hash.rawValue.hasPrefix(prefix) }
            guard matches.count == 1 else {
                throw .unknownVersion(prefix, known: all.map { "\($0.hash.rawValue) (\($0.definition.version))" })
            }
            definitions = matches
        }
        let newestFirst = Self.newestFirst(definitions, interviews: interviews)
        exportDefinitions = [newestFirst[0]]
        self.correctionsFile = correctionsText == nil ? nil : correctionsFile
        if let correctionsText {
            let parsed: Corrections
            do {
                // Each line is checked against the version of the interview it names.
                let indexes = Dictionary(uniqueKeysWithValues: all.map { ($0.hash, SurveyIndex($0.definition)) })
                let versionOf = Dictionary(interviews.compactMap { i in i.definition.map { (i.id, $0) } }, uniquingKeysWith: { a, _ in a })
                let fallback = SurveyIndex(newestFirst[0].definition)
                parsed = try Corrections(text: correctionsText, file: correctionsFile) { id in
                    versionOf[id].flatMap { indexes[$0] } ?? fallback
                }
            } catch {
                throw .corrections(file: error.file, line: error.line, message: error.message)
            }
            let known = Set(interviews.map(\.id))
            if let unknown = parsed.unknownInterviews(known: known).first {
                throw .corrections(
                    file: correctionsFile, line: unknown.line,
                    message: "interview \(unknown.interview) is not in the central dataset for survey \(survey)")
            }
            corrections = parsed
        } else {
            corrections = nil
        }
        let used = Set(interviews.filter { exclusion(of: $0) == nil }.compactMap(\.definition))
        let exported = newestFirst.filter { used.contains($0.hash) }
        if !exported.isEmpty { exportDefinitions = exported }
    }

    /// Definitions ordered newest first: by when their first interview started (latest first),
    /// then by version text and hash; definitions without interviews last.
    static func newestFirst(_ definitions: [CompiledSurvey], interviews: [CentralInterview]) -> [CompiledSurvey] {
        var firstStart: [DefinitionHash: Int64] = [:]
        for i in interviews {
            guard let hash = i.definition, let start = i.startedAt else { continue }
            firstStart[hash] = min(firstStart[hash] ?? start, start)
        }
        return definitions.sorted { a, b in
            let x = firstStart[a.hash] ?? Int64.min, y = firstStart[b.hash] ?? Int64.min
            if x != y { return x > y }
            return (a.definition.version, a.hash.rawValue) > (b.definition.version, b.hash.rawValue)
        }
    }

    /// Why an interview is left out, or nil when it is exported.
    public func exclusion(of interview: CentralInterview) -> ExclusionReason? {
        guard interview.survey != nil, let hash = interview.definition else { return .notStarted }
        guard definitions.contains(where: { $0.hash == hash }) else { return .version }
        if interview.isTraining { return .training }
        guard statuses.includes(status: interview.status, outcome: interview.outcome) else { return .status(interview.status) }
        if corrections?.exclusion(of: interview.id) != nil { return .corrections }
        return nil
    }

    /// The number of interviews of the survey in the central dataset (selected or not).
    public var interviewCount: Int { interviews.count }

    /// The number of interviews ``forEach(_:)`` will hand out.
    public var selectedCount: Int { interviews.count { exclusion(of: $0) == nil } }

    /// Interviews are read from the central dataset this many at a time (one query for their
    /// cached records).
    static let chunkSize = 500

    /// Calls `body` with each selected interview's cleaned record (corrections applied), in
    /// interview-id order, and returns what was selected, excluded and corrected.
    public func forEach(
        _ body: (InterviewRecord) throws(FieldworkError) -> Void
    ) throws(FieldworkError) -> CleaningSummary {
        var summary = CleaningSummary()
        let cleaners = makeCleaners()
        let reviews: [InterviewID: [FieldworkLogEntry]]
        do { reviews = try central.reviewsByInterview(survey: survey) } catch { throw .store(error) }
        var cache = CleanedRecordCache(central: central, key: cacheKey, use: cacheUse)
        cache.paradata = withParadata
        defer { cache.flush() }
        var start = interviews.startIndex
        while start < interviews.endIndex {
            let chunk = interviews[start..<min(start + Self.chunkSize, interviews.endIndex)]
            start = chunk.endIndex
            let cached = cache.load(chunk.filter { exclusion(of: $0) == nil })
            for interview in chunk {
                if let reason = exclusion(of: interview) {
                    summary.excluded[reason, default: 0] += 1
                    if reason == .corrections, let entry = corrections?.exclusion(of: interview.id) { summary.exclusions.append(entry) }
                    for line in corrections?.setLines(of: interview.id) ?? [] { summary.notApplied.append((line, reason)) }
                    continue
                }
                guard let hash = interview.definition, let cleaner = cleaners[hash] else { continue }
                var cleaned: InterviewCleaner.Cleaned
                if let hit = cache.cleaned(interview, from: cached) {
                    cleaned = hit
                } else {
                    cleaned = try replay(interview, with: cleaner, hash: hash, into: &cache)
                }
                if let corrections {
                    do { summary.applied += try corrections.apply(to: &cleaned.record) } catch {
                        throw .corrections(file: error.file, line: error.line, message: error.message)
                    }
                }
                Self.addFieldwork(to: &cleaned.record, of: interview, definition: cleaner.definition, reviews: reviews[interview.id])
                for message in cleaned.skippedEvents { summary.skippedEvents.append("\(interview.id): \(message)") }
                summary.included += 1
                summary.byDefinition[hash, default: 0] += 1
                if cleaned.record.hadConflict { summary.conflicts += 1 }
                try body(cleaned.record)
            }
        }
        cache.flush()
        summary.cache = cache.statistics
        return summary
    }

    /// What a record says of the fieldwork beyond its events: whether its last outcome closes
    /// its case (the definition's `final` rules over its visits) and its review state (the
    /// central fieldwork log's decisions against its latest end).
    static func addFieldwork(
        to record: inout InterviewRecord, of interview: CentralInterview, definition: SurveyDefinition, reviews: [FieldworkLogEntry]?
    ) {
        record.isFinal = record.outcome == nil ? nil : definition.standing(of: record.visits).isFinal
        let marks = reviews?.compactMap(\.reviewMark) ?? []
        record.review = ReviewState.of(marks, latestEnd: interview.statusDevice, sequence: interview.statusSequence)
    }

    /// Checks every `set` line of the corrections file against its interview before anything is
    /// written: a line on an interview the same file excludes, or on a test/training interview,
    /// is an error, as is one that does not fit the cleaned interview (``Corrections/apply(to:)``).
    /// Lines on interviews this export does not select (their status or version) are not
    /// errors: ``forEach(_:)`` lists them in ``CleaningSummary/notApplied`` for the log.
    public func checkCorrections() throws(FieldworkError) {
        guard let corrections else { return }
        let byID = Dictionary(interviews.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let cleaners = makeCleaners()
        for id in corrections.correctedInterviews {
            guard let interview = byID[id], let line = corrections.setLines(of: id).first else { continue }
            switch exclusion(of: interview) {
            case .corrections?, .training?, .notStarted?:
                let why = exclusion(of: interview).map(\.description) ?? ""
                throw .corrections(
                    file: corrections.file, line: line.line,
                    message: "interview \(id) is excluded (\(why)), so this correction would never reach the data; remove the line")
            case .status?, .version?:
                continue
            case nil:
                guard let hash = interview.definition, let cleaner = cleaners[hash] else { continue }
                let events: [InterviewEvent]
                do { events = try central.events(interview: id) } catch { throw .store(error) }
                var record = try cleaner.clean(interview, events: events).record
                do { _ = try corrections.apply(to: &record) } catch {
                    throw .corrections(file: error.file, line: error.line, message: error.message)
                }
            }
        }
    }

    /// One cleaner per selected definition, each planned once for the whole pass.
    func makeCleaners() -> [DefinitionHash: InterviewCleaner] {
        var cleaners: [DefinitionHash: InterviewCleaner] = [:]
        for d in definitions { cleaners[d.hash] = InterviewCleaner(definition: d.definition, hash: d.hash) }
        return cleaners
    }

    /// Reads an interview's events, replays them and queues the result for the cache.
    func replay(
        _ interview: CentralInterview, with cleaner: InterviewCleaner, hash: DefinitionHash, into cache: inout CleanedRecordCache
    ) throws(FieldworkError) -> InterviewCleaner.Cleaned {
        let events: [InterviewEvent]
        do { events = try central.events(interview: interview.id) } catch { throw .store(error) }
        let cleaned = try cleaner.clean(interview, events: events)
        // A merge running meanwhile may have added events: cache only what matches the count.
        if events.count == interview.eventCount { cache.remember(cleaned, of: interview, hash: hash) }
        return cleaned
    }
}

/// What one pass over a ``CleanedDataset`` selected, excluded and corrected (for the export log).
public struct CleaningSummary: Sendable {
    public var included = 0
    public var excluded: [ExclusionReason: Int] = [:]
    /// The corrections-file lines that excluded interviews.
    public var exclusions: [Corrections.Entry] = []
    /// Corrections applied, with the answers they replaced.
    public var applied: [AppliedCorrection] = []
    /// `set` lines on interviews this pass did not select (status or version), with why.
    public var notApplied: [(entry: Corrections.Entry, reason: ExclusionReason)] = []
    /// Included interviews per definition.
    public var byDefinition: [DefinitionHash: Int] = [:]
    /// Included interviews with events from more than one device.
    public var conflicts = 0
    /// Events the engine refused during replay, with their interview (skipped, logged).
    public var skippedEvents: [String] = []
    /// What the pass did with the cache of cleaned records.
    public var cache = CleanedCacheStatistics()

    public init() {}
}
