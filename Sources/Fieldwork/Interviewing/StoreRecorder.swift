import InterviewEngine
import SurveyModel
import SurveyStore

/// Saves a session's events in the device store: each `record` is one durable transaction.
public final class StoreRecorder: InterviewRecorder {
    public let store: DeviceStore
    public let interview: InterviewID

    public init(store: DeviceStore, interview: InterviewID) {
        self.store = store
        self.interview = interview
    }

    public func record(_ kind: InterviewEventKind, timestamp: Int64) throws(RecordingError) {
        do {
            _ = try store.append(kind, interview: interview, timestamp: timestamp)
        } catch {
            throw RecordingError(error.description, cause: Self.cause(of: error))
        }
    }

    /// What kind of storage failure a store error is (SQLite's I/O errors are write failures).
    public static func cause(of error: StoreError) -> RecordingError.Cause {
        switch error {
        case .diskFull: .diskFull
        case .readOnly: .readOnly
        case .sqlite(_, let code, _) where code & 0xff == 10: .writeFailed  // SQLITE_IOERR and its extended codes
        default: .other
        }
    }
}
