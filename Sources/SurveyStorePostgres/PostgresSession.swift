import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SurveyStore

/// One connection to the PostgreSQL server, used synchronously: ``CentralDataset`` is a
/// synchronous interface (like the SQLite store it mirrors), so each query is sent on the
/// connection's own event loop and the calling thread waits for its result. The event loops
/// are terep's own (``eventLoops``), never the server's or a caller's, so a wait never blocks
/// the loop it waits on. One query at a time: callers take ``withLock(_:)`` around a query or
/// a transaction.
package final class PostgresSession: @unchecked Sendable {
    /// The event loop the connections run on (one thread: the queries of a process are few
    /// and short; the waiting happens on the callers' threads).
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    package let location: String
    private let place: PostgresLocation
    /// Replaced, under ``lock``, when the server or the network closed it (``reconnectIfClosed()``).
    private var connection: PostgresConnection
    /// What every connection runs first (the schema's search path, read-only transactions),
    /// again on a new connection.
    private var setUp: [PostgresQuery] = []
    private let lock = NIOLock()
    /// The query being waited for and its connection's identity: when that connection closes,
    /// the query fails at once. (postgres-nio drops a query written to a connection that has
    /// just closed without ever answering it: a `ROLLBACK` after `pg_terminate_backend` waited
    /// forever, and with it the server's writer.)
    private let waiting = NIOLockedValueBox<(answer: EventLoopPromise<PostgresQueryResult>, on: ObjectIdentifier)?>(nil)
    private let logger = Logger(label: "terep.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(place: PostgresLocation, connection: PostgresConnection) {
        location = place.description
        self.place = place
        self.connection = connection
        failWaitingQuery(whenClosed: connection)
    }

    /// The connection's end fails the query waiting on it.
    private func failWaitingQuery(whenClosed connection: PostgresConnection) {
        let id = ObjectIdentifier(connection)
        connection.closeFuture.whenComplete { [waiting] _ in
            waiting.withLockedValue { $0 }.map { $0.on == id ? $0.answer.fail(ConnectionClosed()) : () }
        }
    }

    /// The connection closed while a query waited on it, or before it was sent.
    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "the connection to the server was closed" }
    }

    /// Closes the connection; the closure keeps it alive until it is closed.
    deinit { Self.close(connection) }

    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in _ = connection }
    }

    /// Connects, and makes the dataset's schema the one its queries name.
    package static func connect(_ place: PostgresLocation) throws(StoreError) -> PostgresSession {
        let session = PostgresSession(place: place, connection: try open(place))
        // A plain name (checked when the URL was read), so it can stand unquoted.
        try session.withLock { () throws(StoreError) in try session.setEveryConnection("SET search_path TO \(unescaped: place.schema)") }
        return session
    }

    /// Runs `query` now and on every connection that replaces this one (hold ``withLock(_:)``).
    package func setEveryConnection(_ query: PostgresQuery) throws(StoreError) {
        try execute(query)
        setUp.append(query)
    }

    /// Whether the connection was closed (hold ``withLock(_:)``).
    package var isClosed: Bool { connection.isClosed }

    /// A connection the server or the network closed (a restart, `pg_terminate_backend`, a
    /// cut cable) is replaced at the start of the next transaction, never inside one: the
    /// transaction it broke has failed as a whole (a ``StoreError/Fault/storage`` failure), and
    /// the next starts on a new connection (hold ``withLock(_:)``).
    private func reconnectIfClosed() throws(StoreError) {
        if connection.isClosed { try reconnect() }
    }

    private func reconnect() throws(StoreError) {
        let fresh = try Self.open(place)
        Self.close(connection)
        connection = fresh
        failWaitingQuery(whenClosed: fresh)
        for query in setUp { try execute(query) }
    }

    /// A new connection to `place`.
    private static func open(_ place: PostgresLocation) throws(StoreError) -> PostgresConnection {
        let shown = place.description
        var configuration: PostgresConnection.Configuration
        do {
            if let host = place.host {
                configuration = .init(
                    host: host, port: place.port, username: place.user, password: place.password, database: place.database,
                    tls: try tls(place))
            } else {
                configuration = .init(
                    unixSocketPath: "\(place.socketFolder ?? "/var/run/postgresql")/.s.PGSQL.\(place.port)",
                    username: place.user, password: place.password, database: place.database)
            }
        } catch {
            throw .unreachable(location: shown, detail: "TLS cannot be set up: \(error)")
        }
        configuration.options.connectTimeout = .seconds(Int64(place.connectTimeout))
        configuration.options.additionalStartupParameters = [("application_name", place.applicationName)]
        let logger = Logger(label: "terep.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            return try PostgresConnection.connect(on: eventLoops.next(), configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            throw storeError(error, location: shown, connecting: true)
        }
    }

    /// TLS as `sslmode` and `sslrootcert` ask (``PostgresLocation``): libpq's checks of the
    /// server's certificate, the host name checked by swift-nio-ssl (an IP address against the
    /// certificate's IP alternative names).
    private static func tls(_ place: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let roots = place.rootCertificates { configuration.trustRoots = .file(roots) }
        switch place.tls {
        case .disable: return .disable
        case .prefer, .require: configuration.certificateVerification = place.rootCertificates == nil ? .none : .noHostnameVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        let context = try NIOSSLContext(configuration: configuration)
        return place.tls == .prefer ? .prefer(context) : .require(context)
    }

    /// Runs `body` holding the connection (one user at a time).
    func withLock<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs one statement and returns its rows (hold ``withLock(_:)``).
    @discardableResult
    package func query(_ query: PostgresQuery) throws(StoreError) -> PostgresQueryResult {
        let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        waiting.withLockedValue { $0 = (answer, ObjectIdentifier(connection)) }
        defer { waiting.withLockedValue { $0 = nil } }
        if connection.isClosed {
            answer.fail(ConnectionClosed())
        } else {
            connection.query(query, logger: logger).cascade(to: answer)
        }
        do {
            return try answer.futureResult.wait()
        } catch {
            throw Self.storeError(error, location: location)
        }
    }

    /// Runs one statement, ignoring any rows.
    package func execute(_ query: PostgresQuery) throws(StoreError) { try self.query(query) }

    /// Runs `body` in one transaction, holding the connection: committed when it returns,
    /// rolled back when it throws (its error is rethrown as it is).
    package func transaction<T>(readOnly: Bool = false, _ body: (PostgresSession) throws -> T) throws -> T {
        try withLock {
            try reconnectIfClosed()
            let begin: PostgresQuery = readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"
            do { try execute(begin) } catch StoreError.unreachable {
                // Ended before the news of it arrived (a server's notice comes after its end):
                // nothing was done on it yet, so a new connection takes its place.
                try reconnect()
                try execute(begin)
            }
            let value: T
            do {
                value = try body(self)
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
            try execute("COMMIT")
            return value
        }
    }

    /// Classifies a failure of the connection or the server; store errors pass through.
    static func storeError(_ error: any Error, location: String, connecting: Bool = false) -> StoreError {
        if let store = error as? StoreError { return store }
        if let closed = error as? ConnectionClosed { return .unreachable(location: location, detail: closed.description) }
        guard let psql = error as? PSQLError else {
            return connecting
                ? .unreachable(location: location, detail: "\(error)")
                : .database(location: location, code: "", detail: "\(error)")
        }
        guard let info = psql.serverInfo else {
            if psql.code == .sslUnsupported {
                return .unreachable(
                    location: location,
                    detail: "the server does not accept TLS (sslmode asks for it): turn ssl on in its postgresql.conf, "
                        + "or connect with sslmode=disable on a network you trust")
            }
            if let tls = psql.underlying.flatMap(tlsFailure) { return .unreachable(location: location, detail: tls) }
            let detail = psql.underlying.map { "\($0)" } ?? "\(psql.code)"
            return .unreachable(location: location, detail: detail)
        }
        let state = info[.sqlState] ?? ""
        let message = [info[.message], info[.detail]].compactMap { $0 }.joined(separator: ": ")
        switch state {
        case "53100": return .diskFull(path: location)
        case "25006": return .readOnly(path: location, detail: message)
        case "42501": return .accessDenied(path: location, detail: message)
        case "28000", "28P01": return .unreachable(location: location, detail: message)
        case "3D000": return .notFound(path: location)
        case "40001", "40P01", "55P03": return .busy(path: location)
        case "57P01", "57P02", "57P03", "08000", "08003", "08006": return .unreachable(location: location, detail: message)
        default: return .database(location: location, code: state, detail: message)
        }
    }
}

/// A TLS handshake's failure in words: the server's certificate not signed by an authority
/// trusted (`sslrootcert`), or not naming the host (`verify-full`); nil for other failures.
func tlsFailure(_ error: any Error) -> String? {
    let text = "\(error)"
    if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
        return "the server's TLS certificate does not name this host (sslmode=verify-full): \(text)"
    }
    guard error is NIOSSLError || error is BoringSSLError else { return nil }
    if text.contains("CERTIFICATE_VERIFY_FAILED") {
        return "the server's TLS certificate does not verify: it is not signed by an authority trusted "
            + "(sslrootcert=FILE names the authority's certificate; without it, the system's are trusted): \(text)"
    }
    return "the TLS handshake with the server failed: \(text)"
}

extension PostgresQueryResult {
    /// The first row's first column, if any.
    func scalar<T: PostgresDecodable>(_ type: T.Type) throws(StoreError) -> T? {
        guard let row = first(where: { _ in true }) else { return nil }
        do { return try row.decode(T.self) } catch { throw .undecodable(what: "a query's result", detail: "\(error)") }
    }

    /// Every row's first column.
    func column<T: PostgresDecodable>(_ type: T.Type) throws(StoreError) -> [T] {
        do {
            return try map { row in try row.decode(T.self) }
        } catch {
            throw .undecodable(what: "a query's result", detail: "\(error)")
        }
    }

    /// Every row decoded as a tuple of column types.
    func all<each Column: PostgresDecodable>(_ types: (repeat each Column).Type) throws(StoreError) -> [(repeat each Column)] {
        do {
            return try map { row in try row.decode((repeat each Column).self) }
        } catch {
            throw .undecodable(what: "a query's result", detail: "\(error)")
        }
    }
}
