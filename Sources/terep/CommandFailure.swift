import ArgumentParser
import Fieldwork
import SurveyCompiler
import SurveyStore
import SyncClient
import TerminalInterviewer

/// The exit statuses terep uses besides 0, named once (sysexits.h where one fits).
enum ExitStatus {
    /// The work was done and found a problem (a rejected bundle, a failed check), or a store,
    /// cleaning, export or bundle operation failed.
    static let failure: Int32 = 1
    /// EX_USAGE: options that do not fit what they name (found after parsing; a malformed
    /// command line is the argument parser's, with usage help).
    static let usage: Int32 = 64
    /// EX_DATAERR: a questionnaire or an interview log that cannot be used.
    static let dataError: Int32 = 65
    /// EX_NOINPUT: an input file that cannot be read.
    static let noInput: Int32 = 66
    /// EX_IOERR: output or storage failed (for `terep merge`: the central dataset could not store a
    /// bundle, which stays to be merged again).
    static let ioError: Int32 = 74
    /// EX_TEMPFAIL: the server (the sync server, or the central dataset's PostgreSQL server) could
    /// not be reached; nothing was marked as sent or merged, try again later.
    static let temporaryFailure: Int32 = 75
}

/// A failure only the command can word: its message (nil when it was already shown, e.g. by
/// the interview session) and its exit status.
struct CommandFailure: Error {
    var message: String?
    var status: Int32

    init(_ message: String?, status: Int32) {
        self.message = message
        self.status = status
    }
}

/// The one edge where a failure becomes an `error:` line on standard error and an exit status.
/// Commands throw what went wrong — a library's typed error, or a ``CommandFailure`` — and
/// `Terep.main` hands it here; what is not ours (the argument parser's `ValidationError`,
/// `ExitCode`, `CleanExit`) stays the parser's.
enum FailureEdge {
    /// Shows `error`'s message and returns its exit status, or nil when the parser handles it.
    static func report(_ error: any Error) -> Int32? {
        let (message, status): (String?, Int32)
        switch error {
        case let failure as CommandFailure: (message, status) = (failure.message, failure.status)
        case let error as StoreError:
            // A database server that cannot be reached (PostgreSQL): nothing was done, try again later.
            if case .unreachable = error {
                (message, status) = (error.description, ExitStatus.temporaryFailure)
            } else {
                (message, status) = (error.description, ExitStatus.failure)
            }
        case let failure as MergeStoreFailure:
            // Not the bundle's fault: nothing was merged or refused; a database server that cannot be
            // reached or is busy is temporary, any other storage failure an I/O error.
            switch failure.cause {
            case .unreachable, .busy: (message, status) = (failure.description, ExitStatus.temporaryFailure)
            default: (message, status) = (failure.description, ExitStatus.ioError)
            }
        case let error as FieldworkError: (message, status) = (error.description, ExitStatus.failure)
        case let error as BundleExportError: (message, status) = (error.description, ExitStatus.failure)
        case let error as KeyAccessError: (message, status) = ("\(error)", ExitStatus.failure)
        case let error as SurveyLoadError: (message, status) = ("\(error)", ExitStatus.dataError)
        case let outcome as InterviewOutcome:
            // `terep interview` stopped early: the session already said what happened and how to resume.
            switch outcome {
            case .finished: (message, status) = (nil, 0)
            case .interrupted(let signal): (message, status) = (nil, 128 + signal)
            case .storageFailed: (message, status) = (nil, ExitStatus.ioError)
            }
        case let error as SyncError:
            if case .unreachable = error {
                (message, status) = (error.description, ExitStatus.temporaryFailure)
            } else {
                (message, status) = (error.description, ExitStatus.failure)
            }
        default: return nil
        }
        if let message { Console.error("error: \(message)") }
        return status
    }
}
