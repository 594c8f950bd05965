import SurveyModel
import SurveyStore

extension CleanedDataset {
    /// Replays every interview whose cached cleaned record is missing or out of date, and
    /// stores the new records; fresh records are not decoded.
    ///
    /// Covers every started, non-training interview of the selected versions, whatever its
    /// status or the corrections (the cache holds records before corrections), so that any
    /// later export or report finds them all cached. Returns what it did; a cache that cannot
    /// be written is reported in the statistics' `problem`, never thrown. `progress` says how
    /// many of the interviews have been looked at.
    public func refreshCache(progress: ProgressLine = .silent) throws(FieldworkError) -> CleanedCacheStatistics {
        let cleaners = makeCleaners()
        var cache = CleanedRecordCache(central: central, key: cacheKey, use: .readWrite)
        let candidates = interviews.filter { i in
            guard let hash = i.definition, cleaners[hash] != nil else { return false }
            return !i.isTraining
        }
        var replayed = 0
        var start = candidates.startIndex
        let task = "cleaning " + DisplayText.escaped(survey.rawValue)
        while start < candidates.endIndex {
            progress.update(task, done: start - candidates.startIndex, of: candidates.count, "interviews")
            let chunk = candidates[start..<min(start + Self.chunkSize, candidates.endIndex)]
            start = chunk.endIndex
            let cached = cache.load(Array(chunk))
            for interview in chunk where !cache.isFresh(interview, in: cached) {
                guard let hash = interview.definition, let cleaner = cleaners[hash] else { continue }
                _ = try replay(interview, with: cleaner, hash: hash, into: &cache)
                replayed += 1
            }
        }
        cache.flush()
        var statistics = cache.statistics
        statistics.replayed = replayed
        return statistics
    }

    /// Refreshes the cache of every survey in the central dataset (see ``refreshCache()``),
    /// by survey id. A survey whose interviews cannot be read is left out with its problem.
    public static func refreshCaches(
        central: any CentralDataset, progress: ProgressLine = .silent
    ) -> [(survey: SurveyID, result: Result<CleanedCacheStatistics, FieldworkError>)] {
        var surveys = Set<SurveyID>()
        if let hashes = try? central.definitionHashes() {
            for hash in hashes { if let d = try? central.definition(hash: hash) { surveys.insert(d.definition.id) } }
        }
        return surveys.sorted().map { survey in
            let result = Result { () throws(FieldworkError) -> CleanedCacheStatistics in
                try CleanedDataset(central: central, survey: survey, statuses: .all).refreshCache(progress: progress)
            }
            return (survey, result)
        }
    }
}
