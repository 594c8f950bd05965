import SurveyModel

/// Where a session's events go: durably, before the next question is shown.
///
/// ``StoreRecorder`` implements it with the device store; tests use an in-memory log and one
/// that fails like a full disk. `record` returns only once the event is committed.
public protocol InterviewRecorder: AnyObject {
    /// Appends one event of the session's interview; throws when it could not be made durable.
    func record(_ kind: InterviewEventKind, timestamp: Int64) throws(RecordingError)
}

/// Why an event could not be saved (disk full, read-only database…), as a readable message.
public struct RecordingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure it was, so the fieldworker is told what to do in the UI language.
    public enum Cause: Hashable, Sendable {
        /// The disk (or the database's size limit) is full.
        case diskFull
        /// The database or its folder cannot be written.
        case readOnly
        /// Writing to the disk failed (an I/O error: a full or failing medium, a file size limit).
        case writeFailed
        /// Anything else (a locked or damaged database…).
        case other
    }

    public var cause: Cause
    /// The technical detail (for the coordinator), in English.
    public var message: String

    public init(_ message: String, cause: Cause = .other) {
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
