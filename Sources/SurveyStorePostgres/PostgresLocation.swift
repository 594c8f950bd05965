import Foundation
import SurveyModel
import SurveyStore

/// Where a central dataset on PostgreSQL is: a `postgres://` (or `postgresql://`) URL in
/// libpq's form, `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…&schema=…`.
///
/// - The host may be a name or an address (IPv6 in brackets); with no host, or with a `host`
///   parameter that is a folder (`?host=/var/run/postgresql`), terep connects through the
///   server's Unix socket in that folder (`.s.PGSQL.PORT`).
/// - The user defaults to `PGUSER`, then to the operating-system user; the password to
///   `PGPASSWORD` (better than in the URL, which may show in `ps`); the port to 5432.
/// - `sslmode` as libpq reads it: `disable` (the default), `allow`/`prefer` (TLS when the server
///   offers it) and `require` (TLS or no connection) encrypt without checking who the server is
///   — unless `sslrootcert` is given, which makes them check the certificate as `verify-ca`;
///   `verify-ca` checks the server's certificate against the certificate authorities,
///   `verify-full` also that it names the host (a name, or an IP address in its alternative
///   names). `sslrootcert=FILE` is the authorities (PEM) to trust; without it, or with
///   `sslrootcert=system`, the system's.
/// - `schema` (terep's own parameter) names the PostgreSQL schema holding the dataset, so one
///   database can hold several datasets; the default is `public`.
/// - `application_name` is how the connections show in `pg_stat_activity` (default `terep`);
///   `connect_timeout` is how many seconds a connection may take to open (default 10), as libpq
///   reads them.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    public enum TLSMode: String, Hashable, Sendable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String?
    public var socketFolder: String?
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String
    public var tls: TLSMode
    /// The certificate authorities (a PEM file) a TLS connection trusts; nil: the system's.
    public var rootCertificates: String?
    /// The name the connections give the server (`application_name`).
    public var applicationName: String
    /// How long opening a connection may take, in seconds (`connect_timeout`).
    public var connectTimeout: Int

    /// Whether a `--central` value names a PostgreSQL dataset rather than an SQLite file.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses a URL; a malformed one is refused saying what is wrong.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let shown = DisplayText.escaped(Self.withoutPassword(text))
        guard Self.isURL(text), let parts = URLComponents(string: text) else {
            throw .invalid("'\(shown)' is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let known: Set = [
            "sslmode", "sslrootcert", "schema", "host", "port", "user", "password", "dbname", "application_name", "connect_timeout",
        ]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid(
                "'\(shown)': unknown parameter '\(DisplayText.escaped(unknown))' "
                    + "(terep knows sslmode, sslrootcert, schema, host, port, user, password, dbname, application_name, "
                    + "connect_timeout)")
        }
        let hostParameter = query["host"] ?? parts.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        if let hostParameter, hostParameter.hasPrefix("/") {
            (host, socketFolder) = (nil, hostParameter)
        } else if let hostParameter {
            (host, socketFolder) = (hostParameter.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), nil)
        } else {
            (host, socketFolder) = (nil, "/var/run/postgresql")
        }
        let portText = query["port"] ?? parts.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .invalid("'\(shown)': the port must be a number from 1 to 65535")
        }
        self.port = port
        user = query["user"] ?? parts.user?.removingPercentEncoding ?? environment["PGUSER"] ?? Self.systemUser()
        password = query["password"] ?? parts.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        let path = String(parts.path.drop { $0 == "/" })
        database = query["dbname"] ?? (path.isEmpty ? user : path.removingPercentEncoding ?? path)
        schema = query["schema"] ?? "public"
        guard Self.isPlainName(schema) else {
            throw .invalid("'\(shown)': the schema must be a plain name (lower-case letters, digits, _; up to 63)")
        }
        guard let mode = TLSMode(rawValue: Self.tlsName(query["sslmode"] ?? "disable")) else {
            throw .invalid("'\(shown)': sslmode must be disable, prefer, require, verify-ca or verify-full")
        }
        tls = mode
        let root = query["sslrootcert"].flatMap { $0.isEmpty || $0 == "system" ? nil : $0 }
        if let root, !FileManager.default.isReadableFile(atPath: root) {
            throw .invalid("'\(shown)': sslrootcert \(DisplayText.escaped(root)) is not a file terep can read")
        }
        rootCertificates = root
        applicationName = query["application_name"] ?? "terep"
        guard applicationName.utf8.count <= 63, applicationName.unicodeScalars.allSatisfy({ (" "..."~").contains($0) }) else {
            throw .invalid("'\(shown)': application_name must be printable ASCII, up to 63 characters")
        }
        let timeout = query["connect_timeout"] ?? "10"
        guard let seconds = Int(timeout), (1...600).contains(seconds) else {
            throw .invalid("'\(shown)': connect_timeout must be a number of seconds from 1 to 600")
        }
        connectTimeout = seconds
    }

    /// The location for messages and logs: never the password.
    public var description: String {
        let server = host.map { $0.contains(":") ? "[\($0)]:\(port)" : "\($0):\(port)" } ?? "\(socketFolder ?? "")/.s.PGSQL.\(port)"
        let schemaPart = schema == "public" ? "" : "?schema=\(schema)"
        return DisplayText.escaped("postgres://\(user)@\(server)/\(database)\(schemaPart)")
    }

    /// The URL with any password replaced by `***` (for an error about the URL itself).
    static func withoutPassword(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.password != nil else { return text }
        parts.password = "***"
        return parts.string ?? text
    }

    /// Whether a name is safe to put in SQL unquoted (a schema or database name).
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 63 else { return false }
        return (first == "_" || ("a"..."z").contains(first))
            && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    private static func tlsName(_ mode: String) -> String { mode == "allow" ? "prefer" : mode }

    private static func systemUser() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "postgres" }
        return String(cString: name)
    }
}
