import InterviewEngine
import SurveyModel
import SurveyStore

extension InterviewStart {
    /// Reopens an ended interview, to correct a wrong outcome or finish it on a revisit: the
    /// engine's `reopened` event (who: the device's interviewer, when: now, why: `reason`) is
    /// saved once the log replays and the engine accepts it, and the interview is resumed where
    /// it was last shown. An outcome answer that is the code it ended with (`.z CODE`) is
    /// cleared with it. Exports and reports follow the outcome it is ended with later.
    ///
    /// An interview the supervisor approved (as the newest package received says) is refused:
    /// approval is final and locks it on the device; only a later rejection unlocks it.
    public static func reopen(
        _ id: InterviewID, reason: String, store: DeviceStore, clock: InterviewClock = .system
    ) throws(InterviewStartError) -> (prepared: PreparedInterview, previousOutcome: Int?) {
        let why = reason.trimmingSpaces
        guard !why.isEmpty else { throw .noReason }
        let (record, compiled, events) = try logged(id, store: store)
        guard record.status != .inProgress else { throw .notEnded(id) }
        if let approval = try approval(of: id, events: events, store: store) {
            throw .approved(id, by: approval.actor, at: approval.at)
        }
        var replay: InterviewReplay
        do { replay = try InterviewReplay(definition: compiled.definition, events: events) } catch { throw .cannotReplay(id, error) }
        var kinds = [InterviewEventKind.reopened(reason: why)]
        // `.z CODE` answered the outcome question with the code that ended the visit; reopened,
        // the interview no longer ends with it (the visit keeps it), so the answer is cleared —
        // else the next visit's completion would export the old code (25 beside iv_outcome 11).
        if let previous = record.outcome, let variable = compiled.definition.outcome?.variable,
            replay.interview.answer(at: Address(variable)) == .value(.choice(previous))
        {
            kinds.append(.cleared(Address(variable)))
        }
        let now = clock.now()
        do {
            for kind in kinds {
                try replay.interview.apply(kind, context: replay.spent.context(for: kind, at: now, interviewer: store.interviewer))
            }
        } catch {
            throw .cannotReplay(id, error)
        }
        let resumeAt = try firstComment(on: id, events: events, route: replay.interview.route, store: store) ?? replay.lastShown
        _ = try storing { () throws(StoreError) in
            try store.appendBatch(kinds.map { PendingEvent(interview: id, timestamp: now.timestamp, kind: $0) })
        }
        let prepared = PreparedInterview(
            id: id, interview: replay.interview, startedAt: replay.startedAt, spent: replay.spent, resumeAt: resumeAt)
        return (prepared, record.outcome)
    }

    /// Where an interview reopened to fix a rejection starts: the first answer on its route the
    /// supervisor commented on (nil when it is not rejected, or has no comment on the route).
    static func firstComment(
        on id: InterviewID, events: [InterviewEvent], route: [Address], store: DeviceStore
    ) throws(InterviewStartError) -> Address? {
        let marks = try storing { () throws(StoreError) in try store.reviewMarks()[id] ?? [] }
        let end = ReviewNotes.latestEnd(of: events)
        guard let notes = ReviewNotes.of(marks, latestEnd: end?.device, sequence: end?.sequence), !notes.isFixed else {
            return nil
        }
        let commented = Set(notes.comments.compactMap(\.question))
        return route.first { commented.contains($0) }
    }

    /// The approval in force on an interview (its latest decision, from the newest package),
    /// or nil when it is not approved.
    static func approval(of id: InterviewID, events: [InterviewEvent], store: DeviceStore) throws(InterviewStartError) -> ReviewMark? {
        let marks = try storing { () throws(StoreError) in try store.reviewMarks()[id] ?? [] }
        let end = ReviewNotes.latestEnd(of: events)
        guard ReviewState.of(marks, latestEnd: end?.device, sequence: end?.sequence) == .approved else { return nil }
        return marks.filter { $0.decision == .approved }.max { $0.sequence < $1.sequence }
    }
}
