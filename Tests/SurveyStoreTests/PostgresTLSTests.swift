import CentralTestSupport
import Foundation
import SurveyStore
import Testing

@testable import SurveyStorePostgres

#if canImport(Glibc)
    import Glibc
#endif

/// TLS to PostgreSQL with the real server: a private cluster of its own started by
/// `scripts/pg-test-cluster.sh` with `TEREP_PG_SSL=on` (a self-signed certificate made at start,
/// for 127.0.0.1), a store over `sslmode=verify-full` with that certificate as `sslrootcert`, and
/// a clear error when the certificate does not verify or the server refuses TLS.
@Suite(.serialized, .enabled(if: !PostgresTestCluster.isOff, "TEREP_TEST_POSTGRES=off: only the SQLite store is tested"))
struct PostgresTLSTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs a shell command: its exit status, standard output and error. (posix_spawn and
    /// waitpid: Foundation's Process waited forever for the cluster script, whose grandchild,
    /// the server, lives on.)
    static func shell(_ command: String) throws -> (status: Int32, output: String, error: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("terep-tls-" + UUID().uuidString).path
        let (output, problems) = (base + ".out", base + ".err")
        defer { _ = try? FileManager.default.removeItem(atPath: output) }
        defer { _ = try? FileManager.default.removeItem(atPath: problems) }
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", "(\(command)) >'\(output)' 2>'\(problems)' </dev/null"]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        try #require(posix_spawn(&pid, "/bin/sh", nil, nil, arguments, environ) == 0, "cannot run /bin/sh")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (
            status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: problems, encoding: .utf8)) ?? ""
        )
    }

    /// This process's port for the TLS cluster: two suites running at once (two engineers'
    /// worktrees) must not start theirs on the same one. Below Linux's ephemeral range
    /// (32768–60999), which the suite's own loopback connections draw from: CI once found
    /// 56226 taken by one of them.
    static let port = 31_000 + Int(getpid() % 1_000)

    /// Runs the cluster script with `action` on the folder; its output.
    static func cluster(_ action: String, folder: String) throws -> String {
        let script = Self.root.appendingPathComponent("scripts/pg-test-cluster.sh").path
        let run = try shell("TEREP_PG_DIR='\(folder)' TEREP_PG_SSL=on TEREP_PG_PORT=\(port) bash '\(script)' \(action)")
        try #require(run.status == 0, "scripts/pg-test-cluster.sh \(action) failed (status \(run.status)): \(run.error)")
        return run.output
    }

    /// The value of `export NAME=…` in the script's output.
    static func exported(_ name: String, in output: String) throws -> String {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("export \(name)=") }, "\(output)")
        return String(line.dropFirst("export \(name)=".count))
    }

    /// Whether the session's own connection is encrypted, as the server sees it.
    static func encrypted(_ url: String) throws -> Bool {
        let session = try PostgresSession.connect(try PostgresLocation(url: url))
        return try session.withLock { () throws(StoreError) -> Bool in
            try session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar(Bool.self) ?? false
        }
    }

    /// A connection's failure, as the store words it.
    static func failure(_ url: String) -> String {
        do {
            _ = try PostgresSession.connect(try PostgresLocation(url: url))
            return "connected"
        } catch {
            return error.description
        }
    }

    /// A self-signed certificate of another authority, for a root the server's does not verify against.
    static func otherAuthority(in folder: String) throws -> String {
        let run = try shell(
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=another-authority -addext subjectAltName=IP:127.0.0.1 "
                + "-keyout '\(folder)/other.key' -out '\(folder)/other.crt'")
        try #require(run.status == 0, "openssl is needed for this test (apt-get install -y openssl): \(run.error)")
        return folder + "/other.crt"
    }

    @Test func aStoreConnectsOverTLSAndABadCertificateOrARefusalIsSaidClearly() throws {
        let folder = "/tmp/terep-pg-tls-" + UUID().uuidString.prefix(8)
        defer { _ = try? Self.cluster("stop", folder: folder) }
        let started = try Self.cluster("start", folder: folder)
        let base = try Self.exported("TEREP_TEST_POSTGRES_URL", in: started)
        let certificate = try Self.exported("TEREP_TEST_POSTGRES_TLS_ROOT", in: started)
        let scratch = try TemporaryFolder()

        // verify-full with the cluster's certificate as the authority: a dataset made and read over TLS.
        let verified = base + "?sslmode=verify-full&sslrootcert=\(certificate)&schema=tls_full"
        #expect(try Self.encrypted(verified), "the connection is encrypted")
        let store = try PostgresCentralStore.initialize(url: verified, createdAt: 0)
        #expect(try store.devices().isEmpty)
        #expect(try PostgresCentralStore.open(url: verified, readOnly: true).devices().isEmpty)
        // require encrypts without checking the certificate (libpq's meaning); disable stays plain.
        #expect(try Self.encrypted(base + "?sslmode=require"))
        #expect(try Self.encrypted(base + "?sslmode=verify-ca&sslrootcert=\(certificate)"))
        #expect(try !Self.encrypted(base))

        // A certificate no trusted authority signed: refused, saying so.
        let other = try Self.otherAuthority(in: scratch.path)
        for url in [base + "?sslmode=verify-full&sslrootcert=\(other)", base + "?sslmode=verify-ca"] {
            let said = Self.failure(url)
            #expect(said.contains("the server's TLS certificate does not verify"), "\(url): \(said)")
            #expect(said.contains("sslrootcert=FILE"), "\(said)")
        }
        #expect(Self.failure(base + "?sslmode=require&sslrootcert=\(other)").contains("does not verify"), "a root given is checked")
        #expect(
            Self.failure(base + "?sslmode=verify-full&sslrootcert=\(scratch.path)/none.crt").contains("is not a file terep can read"))

        // The server with TLS turned off: require is refused with the reason, prefer connects plainly.
        let admin = try PostgresSession.connect(try PostgresLocation(url: base))
        try admin.withLock { () throws(StoreError) in
            try admin.execute("ALTER SYSTEM SET ssl = off")
            try admin.execute("SELECT pg_reload_conf()")
        }
        var said = ""
        for _ in 0..<50 {
            said = Self.failure(base + "?sslmode=require")
            if said != "connected" { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(said.contains("the server does not accept TLS (sslmode asks for it)"), "\(said)")
        #expect(try !Self.encrypted(base + "?sslmode=prefer"))
    }
}

/// A folder removed when the value goes away.
private final class TemporaryFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("terep-tls-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
