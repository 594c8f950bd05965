import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore

/// `terep merge --central PATH BUNDLE...`: verifies each bundle and merges it in one transaction.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Verify device bundles and merge them into the central dataset.",
        discussion: """
            Each bundle is checked (checksum, registered device and signature, decryption, size caps, \
            definition hashes) and merged in one transaction. Merging is idempotent: a bundle merged \
            before changes nothing, and overlapping bundles only add the events not yet merged. A \
            rejected bundle merges nothing and the others still merge; the exit status is 1 if any \
            bundle was rejected. When the central dataset itself fails (disk full, I/O error, read-only, \
            its PostgreSQL server gone) the bundle is not stored and not refused: the merge stops there \
            with an error naming the file and the cause, exit status 74 (75 for a database server that \
            cannot be reached); run it again once that is fixed.
            """)

    @OptionGroup var options: CentralDatasetOptions
    @Argument(help: "Bundle files (.terepbundle).") var bundles: [String]
    @Flag(
        name: .customLong("trust-new-devices"),
        help: "Register unknown devices from their bundle's own key (trust on first use; logged).")
    var trustNewDevices = false
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        var merger = try BundleMerger.open(
            central: try options.open(), trustNewDevices: trustNewDevices, note: { Console.error($0) },
            passphrase: KeyPassphrase.source())
        let progress = Console.progress(shown: format == .text)
        merger.progress = progress
        let summary = merger.merge(bundles) { _, outcome in
            progress.finish()
            if format == .text { print(outcome.line) }
        }
        print(format == .json ? summary.json() : summary.text())
        if let refresh = merger.refreshCleanedRecords(after: summary) {
            for note in refresh.notes { Console.error("note: \(note)") }
            Console.error(refresh.line)
        }
        if let failure = summary.storeFailure { throw failure }
        if summary.rejected > 0 { throw CommandFailure(nil, status: ExitStatus.failure) }  // each rejection was said
    }
}
