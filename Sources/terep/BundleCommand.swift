import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import SurveySync

import enum SurveyModel.DisplayText

/// `terep bundle`: device bundles for the central dataset.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Create and inspect signed device bundles (docs/bundle-format.md).",
        subcommands: [BundleCreate.self, BundleInspect.self])
}

/// `terep bundle create`: the device's events not yet bundled (or all), signed, maybe encrypted.
struct BundleCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write this device's new events (or all with --all) into one signed bundle file.",
        discussion: """
            The bundle holds the events not yet bundled, the compiled definitions they use and a manifest. \
            It is written atomically. With --to, the payload is encrypted to the coordinator's public key, \
            so a lost USB stick leaks nothing. Bundling events twice is harmless: merging is idempotent.
            """)

    @OptionGroup var database: DeviceDatabaseOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The bundle file to write.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("The coordinator's public key (x25519:…), or a file holding it.", valueName: "key"))
    var to: String?

    @Flag(help: "Bundle every event of the device, not only those not yet bundled.") var all = false

    func run() throws {
        let recipient = try to.map(Self.loadCoordinatorPublicKey)
        let store = try DeviceStore.open(path: database.path, readOnly: false)
        let result = try BundleExport.create(
            store: store, output: output, recipient: recipient, all: all, passphrase: KeyPassphrase.source())
        switch result {
        case .nothingNew(let device):
            print("Nothing new to bundle on device \(DisplayText.escaped(device.rawValue)) (use --all to bundle every event again).")
        case .wrote(let manifest):
            let range = manifest.sequenceRange.map { "\($0.first)–\($0.last)" } ?? "none"
            print(
                "Wrote \(DisplayText.escaped(output)): \(manifest.eventCount) events (sequences \(range)) of \(manifest.interviewCount) interviews, "
                    + (recipient.map { "encrypted to \($0.fingerprint)" } ?? "not encrypted") + ".")
        }
    }

    /// Reads a coordinator public key from a file, or from the text itself.
    static func loadCoordinatorPublicKey(_ argument: String) throws -> CoordinatorPublicKey {
        let text = (try? String(contentsOfFile: argument, encoding: .utf8)) ?? argument
        do { return try CoordinatorPublicKey(text: text) } catch { throw ValidationError("--to: \(error.description)") }
    }
}

/// Output format of commands that scripts read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `terep bundle inspect FILE`: the manifest and the verification result, without merging.
struct BundleInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a bundle's manifest and check it (checksum, signature, payload), without merging.",
        discussion: """
            The signature is checked with the key the bundle names; `terep merge` checks it with the key \
            registered at the central dataset. An encrypted payload is opened with the coordinator's key: \
            --central reads it from the central dataset (asking for its passphrase when it is protected), \
            so the private key is never written out; --key takes it as text or a file.
            """)

    @Argument(help: "The bundle file.") var file: String

    @Option(help: ArgumentHelp("Open an encrypted payload with the coordinator's key of this central dataset.", valueName: "path"))
    var central: String?

    @Option(help: ArgumentHelp("The coordinator's private key: a key file, or the key text (x25519-private:…).", valueName: "key"))
    var key: String?

    @Option(help: "text or json.") var format: OutputFormat = .text

    func validate() throws {
        if central != nil && key != nil { throw ValidationError("give --central or --key, not both") }
    }

    func run() throws {
        var coordinatorKey = try key.map(Self.loadCoordinatorKey)
        if let central {
            do { coordinatorKey = try CentralAdmin.coordinatorKey(path: central, passphrase: KeyPassphrase.source()) } catch {
                throw CommandFailure("\(error)", status: ExitStatus.failure)
            }
        }
        let report = InspectReport.inspect(file: file, coordinatorKey: coordinatorKey)
        print(format == .json ? report.json() : report.text(file: file))
        if report.error != nil { throw CommandFailure(nil, status: ExitStatus.failure) }  // the report said why
    }

    /// Reads a coordinator private key from a file, or from the text itself.
    static func loadCoordinatorKey(_ argument: String) throws -> CoordinatorPrivateKey {
        let text = (try? String(contentsOfFile: argument, encoding: .utf8)) ?? argument
        do { return try CoordinatorPrivateKey(text: text) } catch {
            throw ValidationError("--key: \(error.description)")
        }
    }
}
