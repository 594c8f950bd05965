import GRDB
import SurveyModel

/// What a request to change an interview's training mark did.
public enum TrainingMarkChange: Hashable, Sendable {
    /// The interview already had the requested mark: nothing was written.
    case unchanged
    /// One `trainingMarked` event was appended (returned with its device sequence number).
    case marked(InterviewEvent)
}

extension DeviceStore {
    /// Marks an existing interview as test/training (`true`) or as real (`false`) after the fact,
    /// by appending one `trainingMarked` event, durably; nothing is rewritten or deleted.
    ///
    /// Reading the current mark and appending happen in one transaction, so a mark equal to the
    /// current one writes nothing (``TrainingMarkChange/unchanged``). The event carries the
    /// device's interviewer and `timestamp`, raised to the interview's latest earlier mark when
    /// the clock reads earlier than that: the new mark is then the latest both here (by sequence)
    /// and in the central dataset (by timestamp, device, sequence).
    public func markTraining(
        _ isTraining: Bool, interview id: InterviewID, timestamp: Int64 = currentMilliseconds()
    ) throws(StoreError) -> TrainingMarkChange {
        let kind = InterviewEventKind.trainingMarked(isTraining)
        let payload = try EventCoding.encode(kind)
        return try write { db in
            guard let current = try Bool.fetchOne(db, sql: "SELECT is_test FROM interview WHERE id = ?", arguments: [id.rawValue])
            else { throw StoreError.unknownInterview(id) }
            guard current != isTraining else { return .unchanged }
            let latestMark = try Int64.fetchOne(
                db, sql: "SELECT max(timestamp) FROM event WHERE interview_id = ? AND kind = ?",
                arguments: [id.rawValue, EventCoding.name(of: kind)])
            let stamp = max(timestamp, latestMark ?? timestamp)
            let sequence = try reserveSequences(db, count: 1)
            try insert(db, first: sequence, [PendingEvent(interview: id, timestamp: stamp, kind: kind)], payloads: [payload])
            return .marked(
                InterviewEvent(
                    device: deviceID, sequence: sequence, interview: id, timestamp: stamp, interviewer: interviewer, kind: kind))
        }
    }
}
