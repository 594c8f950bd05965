import InterviewEngine
import SurveyModel
import SurveyStore

extension InterviewStart {
    /// Reopens an ended interview, to correct a wrong outcome or finish it on a revisit: the
    /// engine's `reopened` event (who: the device's interviewer, when: now, why: `reason`) is
    /// saved once the log replays and the engine accepts it, and the interview is resumed where
    /// it was last shown. Exports and reports follow the outcome it is ended with later.
    ///
    /// There is no approval of interviews yet; once the central dataset records approvals, an
    /// approved interview must be refused here.
    public static func reopen(
        _ id: InterviewID, reason: String, store: DeviceStore, clock: InterviewClock = .system
    ) throws(InterviewStartError) -> (prepared: PreparedInterview, previousOutcome: Int?) {
        let why = reason.trimmingSpaces
        guard !why.isEmpty else { throw .noReason }
        let (record, compiled, events) = try logged(id, store: store)
        guard record.status != .inProgress else { throw .notEnded(id) }
        var replay: InterviewReplay
        do { replay = try InterviewReplay(definition: compiled.definition, events: events) } catch { throw .cannotReplay(id, error) }
        let kind = InterviewEventKind.reopened(reason: why)
        let now = clock.now()
        do {
            try replay.interview.apply(kind, context: replay.spent.context(for: kind, at: now, interviewer: store.interviewer))
        } catch {
            throw .cannotReplay(id, error)
        }
        _ = try storing { () throws(StoreError) in try store.append(kind, interview: id, timestamp: now.timestamp) }
        let prepared = PreparedInterview(
            id: id, interview: replay.interview, startedAt: replay.startedAt, spent: replay.spent, resumeAt: replay.lastShown)
        return (prepared, record.outcome)
    }
}
