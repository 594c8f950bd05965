import Foundation
import Testing

/// The DDI Alliance's DDI-Codebook 2.5 XML schema, fetched by `scripts/fetch-ddi-schema.sh`
/// (`.ci/run` runs it) into `$TEREP_DDI_SCHEMA_DIR` or `~/.cache/terep/ddi-codebook-2.5`, and
/// xmllint's validation of a file against it. A missing schema or xmllint fails the caller with
/// what to run. The only way round it is explicit: `TEREP_DDI_SCHEMA=off` (which `.ci/run` sets,
/// with a warning, only when the DDI Alliance's server cannot be reached) turns the schema tests
/// off, and Swift Testing reports them as skipped with that reason.
public enum DDISchema {
    /// True when `TEREP_DDI_SCHEMA=off` was set deliberately.
    public static let turnedOff = ProcessInfo.processInfo.environment["TEREP_DDI_SCHEMA"] == "off"
    /// The reason shown beside each schema test that `TEREP_DDI_SCHEMA=off` turned off.
    public static let offReason: Comment = """
        TEREP_DDI_SCHEMA=off: the DDI Alliance's schema could not be fetched (scripts/fetch-ddi-schema.sh); \
        the DDI's structure is still checked by DDICodebookTests.theDDIFollowsTheSchemaAndItsReferencesResolve
        """

    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The folder holding `codebook.xsd` and the schemas it imports.
    public static var directory: URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["TEREP_DDI_SCHEMA_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        let cache =
            env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return cache.appendingPathComponent("terep/ddi-codebook-2.5")
    }

    /// `codebook.xsd`, after checking every schema file against `scripts/ddi-codebook-2.5.sha256`.
    public static func codebook() throws -> URL {
        let sums = package.appendingPathComponent("scripts/ddi-codebook-2.5.sha256").path
        do {
            try Readers.run("sha256sum", ["--quiet", "--strict", "-c", sums], in: directory)
        } catch {
            throw Readers.Failure(
                description: """
                    The DDI-Codebook 2.5 schema is not in \(directory.path) or does not match scripts/ddi-codebook-2.5.sha256. \
                    Run scripts/fetch-ddi-schema.sh (it downloads it from the DDI Alliance; .ci/run does), \
                    or set TEREP_DDI_SCHEMA_DIR to a folder holding it.
                    \(error)
                    """)
        }
        return directory.appendingPathComponent("codebook.xsd")
    }

    /// xmllint's verdict on `file` against the schema: empty when valid, else its messages.
    public static func problems(_ file: URL) throws -> String {
        let schema = try codebook()
        do {
            try Readers.run("xmllint", ["--noout", "--nonet", "--schema", schema.path, file.path])
            return ""
        } catch let failure as Readers.Failure {
            return failure.description
        }
    }
}
