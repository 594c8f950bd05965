import Foundation
import SurveyExport
import SurveyModel
import SurveyTestSupport
import Testing

@testable import Fieldwork

/// Cached cleaned records are reused while `CleanedRecordCoding.cleanerVersion` stays the same,
/// so a change to the cleaning rules (engine routing, the cleaner, what a record holds) must
/// bump it. This test pins the cleaned records of a fixed fixture to the version: when they
/// change and the version does not, it fails and says what to do.
struct CleanerVersionTests {
    static let golden = goldenDirectory() + "/Golden/cleaner-fingerprint.txt"

    /// FNV-1a (64-bit) of the bytes, in hex: a stable fingerprint, not a security hash.
    static func fingerprint(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The fixture's cleaned records (every status, no cache), encoded one after another in id
    /// order, with the definition hash left out (a new definition never reuses a cached record).
    static func cleanedBytes() throws -> Data {
        let f = try CleanedDatasetTests.fixture()
        let dataset = try CleanedDataset(central: f.central, survey: "t", statuses: .all, cacheUse: .off)
        var bytes = Data()
        _ = try dataset.forEach { record in
            var r = record
            r.definition = DefinitionHash("fixture")
            bytes += CleanedRecordCoding.encode(InterviewCleaner.Cleaned(record: r))
        }
        return bytes
    }

    @Test func changedCleaningOutputNeedsANewCleanerVersion() throws {
        let version = CleanedRecordCoding.cleanerVersion
        let actual = "cleaner \(version) \(Self.fingerprint(try Self.cleanedBytes()))\n"
        let recorded = (try? String(contentsOfFile: Self.golden, encoding: .utf8)) ?? ""
        let parts = recorded.split(separator: " ")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != "1", parts.count == 3, parts[1] == "\(version)",
            recorded != actual
        {
            Issue.record(
                """
                The cleaned records of the fixture changed (\(recorded.dropLast()) → \(actual.dropLast())) but \
                CleanedRecordCoding.cleanerVersion is still \(version). Bump it, or records cached by the old rules \
                will be reused by exports and reports; then record the new fingerprint with RECORD_GOLDEN=1. \
                (Only a change of the record coding's own format, which has its own version, needs no bump.)
                """)
            return
        }
        assertGolden(actual, file: Self.golden)
    }
}
