import SurveyStore
import Testing

/// An implementation of ``CentralDataset`` that the store and fieldwork suites run against: every test that
/// takes one runs once per implementation in ``all``, so a new store (the server's database)
/// is checked against the same rules by adding itself there.
public struct CentralImplementation: Sendable, CustomTestStringConvertible {
    public let name: String
    /// A new, empty dataset with no device registered.
    public let make: @Sendable () throws -> any CentralDataset

    public var testDescription: String { name }

    public static let sqlite = CentralImplementation(name: "SQLite") { try CentralStore.inMemory() }
    /// A new schema in the test cluster's database (``PostgresTestCluster``).
    public static let postgres = CentralImplementation(name: "PostgreSQL") { try PostgresTestCluster.newDataset() }
    /// Both stores; only SQLite when TEREP_TEST_POSTGRES=off is set explicitly.
    public static let all: [CentralImplementation] = PostgresTestCluster.isOff ? [.sqlite] : [.sqlite, .postgres]
}
