import Foundation
import GRDB
import SurveyModel

/// Everything that can go wrong in a device store or the central dataset, each with a message
/// that says what happened, where, and what to do.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The disk (or the database's size limit) is full; nothing of the failed write was kept.
    case diskFull(path: String)
    /// The database file or its folder cannot be written (permissions, read-only mount).
    case readOnly(path: String, detail: String)
    /// The database file cannot be opened at all (missing folder, permissions).
    case cannotOpen(path: String, detail: String)
    /// The database file exists but this user may not open it (its owner and mode say no).
    case accessDenied(path: String, detail: String)
    /// There is no database at this path.
    case notFound(path: String)
    /// The file is damaged.
    case corrupt(path: String, detail: String)
    /// The file is not a terep database of the expected kind (device store or central dataset).
    case notATerepDatabase(path: String, detail: String)
    /// The database was written by a newer terep; this program must not touch it.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// `terep device init` / `terep central init` on an existing database.
    case alreadyInitialized(path: String)
    /// Another process holds the database lock for too long.
    case busy(path: String)
    /// No interview with this id in the store.
    case unknownInterview(InterviewID)
    /// No compiled definition with this hash in the store.
    case unknownDefinition(DefinitionHash)
    /// An interview with this id already exists.
    case duplicateInterview(InterviewID)
    /// A bundle from a device the central dataset does not know.
    case deviceNotRegistered(DeviceID)
    /// A bundle from a device whose registration was revoked.
    case deviceRevoked(DeviceID)
    /// An event already merged arrived again with different content.
    case eventMismatch(device: DeviceID, sequence: Int64)
    /// An event that does not fit the definition its interview runs on.
    case invalidEvent(device: DeviceID, sequence: Int64, reason: String)
    /// A request that the store refuses (an invalid argument or event).
    case invalid(String)
    /// A coordinator's request refused as a whole, with every reason (nothing was changed).
    case refused([String])
    /// Stored JSON that cannot be decoded (written by an incompatible program, or damaged).
    case undecodable(what: String, detail: String)
    /// Any other SQLite failure.
    case sqlite(path: String, code: Int32, detail: String)
    /// The database server (PostgreSQL) cannot be reached or refused the connection.
    case unreachable(location: String, detail: String)
    /// Any other failure the database server (PostgreSQL) reported, with its SQLSTATE code.
    case database(location: String, code: String, detail: String)

    /// One line saying what happened, where and what to do; paths, ids and details (which may
    /// come from files) are escaped by ``DisplayText``.
    public var description: String { DisplayText.escaped(text) }

    private var text: String {
        switch self {
        case .diskFull(let path):
            "the disk is full: cannot write to \(path). Nothing of the last step was saved and everything "
                + "saved before is intact; free some disk space and try again."
        case .readOnly(let path, let detail):
            "the database \(path) is read-only (\(detail)); check the file's and folder's permissions "
                + "and that the disk is not mounted read-only."
        case .cannotOpen(let path, let detail):
            "cannot open the database \(path) (\(detail)); check that the folder exists and is writable."
        case .accessDenied(let path, let detail):
            "this user cannot open the database \(path) (\(detail)); run terep as the file's owner, or ask them "
                + "to give you access."
        case .notFound(let path):
            "no database at \(path); create one first (terep device init / terep central init) or pass the right path."
        case .corrupt(let path, let detail):
            "the database \(path) is damaged (\(detail)); keep a copy of the file and restore from a bundle or backup."
        case .notATerepDatabase(let path, let detail):
            "\(path) is not a terep database of the expected kind (\(detail))."
        case .schemaTooNew(let path, let unknown):
            "the database \(path) was written by a newer terep (unknown schema steps: "
                + "\(unknown.sorted().joined(separator: ", "))); update terep to open it."
        case .alreadyInitialized(let path):
            "\(path) is already initialised; use it as it is, or choose another path."
        case .busy(let path):
            "the database \(path) is locked by another terep process; wait for it to finish and try again."
        case .unknownInterview(let id):
            "no interview \(id) in this database."
        case .unknownDefinition(let hash):
            "no compiled questionnaire with hash \(hash.short) in this database; save the definition first."
        case .duplicateInterview(let id):
            "an interview \(id) already exists in this database."
        case .deviceNotRegistered(let device):
            "device \(device) is not registered; register it with terep central add-device (or allow trust on first use)."
        case .deviceRevoked(let device):
            "device \(device) was revoked; its bundles are no longer accepted."
        case .eventMismatch(let device, let sequence):
            "event \(device)#\(sequence) differs from the one already merged; the bundle is inconsistent or tampered with."
        case .invalidEvent(let device, let sequence, let reason):
            "event \(device)#\(sequence) does not fit its questionnaire: it \(reason); nothing of the bundle was merged."
        case .invalid(let message):
            message
        case .refused(let reasons):
            reasons.count == 1
                ? "\(reasons[0]); nothing was changed."
                : "nothing was changed, for \(reasons.count) reasons:\n  " + reasons.joined(separator: "\n  ")
        case .undecodable(let what, let detail):
            "cannot read the stored \(what) (\(detail)); it was written by an incompatible program or is damaged."
        case .sqlite(let path, let code, let detail):
            "database error \(code) on \(path): \(detail)"
        case .unreachable(let location, let detail):
            "cannot connect to the PostgreSQL database \(location) (\(detail)); check that the server is running and "
                + "that the URL's host, port, user and database are right."
        case .database(let location, let code, let detail):
            "database error \(code) on \(location): \(detail)"
        }
    }
}

extension StoreError {
    /// Whose fault a failure is: what was asked (refuse it: asking again gives the same answer),
    /// or the store (nothing of it was stored, and the same request may succeed once the store
    /// is repaired: space freed, the database server back).
    public enum Fault: Sendable {
        /// What was asked cannot be done: an event that does not fit, a device revoked, a value
        /// the database refuses (SQLite's constraint, size and type errors; PostgreSQL's data and
        /// integrity classes 22 and 23).
        case request
        /// The store failed: disk full, I/O error, read-only, locked, damaged or missing, the
        /// database server unreachable or gone, or any other failure of the database itself.
        case storage
    }

    /// Whose fault this failure is (``Fault``). A failure that names neither side is the
    /// store's: whatever was asked is kept to be asked again, never refused for it.
    public var fault: Fault {
        switch self {
        case .unknownInterview, .unknownDefinition, .duplicateInterview, .deviceNotRegistered, .deviceRevoked,
            .eventMismatch, .invalidEvent, .invalid, .refused, .alreadyInitialized:
            .request
        case .diskFull, .readOnly, .cannotOpen, .accessDenied, .notFound, .corrupt, .notATerepDatabase, .schemaTooNew,
            .busy, .undecodable, .unreachable:
            .storage
        // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE: the value given.
        case .sqlite(_, let code, _): [18, 19, 20, 25].contains(code) ? .request : .storage
        case .database(_, let code, _): code.hasPrefix("22") || code.hasPrefix("23") ? .request : .storage
        }
    }
}

extension StoreError {
    /// Classifies any error thrown inside a database access; store errors pass through unchanged.
    init(_ error: any Error, path: String) {
        if let store = error as? StoreError {
            self = store
            return
        }
        guard let db = error as? DatabaseError else {
            self = .sqlite(path: path, code: -1, detail: String(describing: error))
            return
        }
        let detail = db.message ?? "\(db.resultCode)"
        switch db.resultCode {
        case .SQLITE_FULL: self = .diskFull(path: path)
        case .SQLITE_READONLY: self = .readOnly(path: path, detail: detail)
        case .SQLITE_PERM, .SQLITE_AUTH: self = .readOnly(path: path, detail: detail)
        case .SQLITE_CANTOPEN: self = .cannotOpen(path: path, detail: detail)
        case .SQLITE_CORRUPT: self = .corrupt(path: path, detail: detail)
        case .SQLITE_NOTADB: self = .notATerepDatabase(path: path, detail: "not an SQLite file")
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        default: self = .sqlite(path: path, code: db.resultCode.rawValue, detail: detail)
        }
    }
}

/// A word a store keeps for an enumeration (a state, an action, a decision): read back, it is
/// one of the enumeration's, or the store is refused with the reason — never guessed.
package enum StoredWord {
    package static func decode<T: RawRepresentable & CaseIterable>(_ text: String, as type: T.Type, what: String) throws(StoreError) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            let known = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw .undecodable(what: what, detail: "unknown \(what) '\(DisplayText.escaped(text))', known: \(known)")
        }
        return value
    }
}
