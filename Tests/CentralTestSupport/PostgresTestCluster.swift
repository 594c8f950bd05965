import Foundation
import SurveyStore
import SurveyStorePostgres

/// The PostgreSQL server the store suite runs against: `TEREP_TEST_POSTGRES_URL`, which
/// `scripts/pg-test-cluster.sh start` prints (and `.ci/run` exports). Without it every
/// PostgreSQL test fails saying how to start one, unless `TEREP_TEST_POSTGRES=off` is set
/// explicitly (then only SQLite is tested).
public enum PostgresTestCluster {
    public static var isOff: Bool { ProcessInfo.processInfo.environment["TEREP_TEST_POSTGRES"] == "off" }

    public static let howToStart = """
        no PostgreSQL server for the tests: TEREP_TEST_POSTGRES_URL is not set. Start the private test cluster with \
        `eval "$(scripts/pg-test-cluster.sh start)"` (needs Debian's postgresql package), or set TEREP_TEST_POSTGRES=off \
        to test only the SQLite store
        """

    /// The server's URL, or a failure saying how to start one.
    public static func url() throws(StoreError) -> String {
        guard let url = ProcessInfo.processInfo.environment["TEREP_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw .invalid(howToStart)
        }
        return url
    }

    /// The URL of a new, empty schema of the test database (one per dataset, so tests run in
    /// parallel without seeing one another).
    public static func newSchemaURL() throws(StoreError) -> String {
        let base = try url()
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// A new, empty central dataset with no device registered.
    public static func newDataset() throws(StoreError) -> PostgresCentralStore {
        try PostgresCentralStore.initialize(url: newSchemaURL(), createdAt: 0)
    }
}
