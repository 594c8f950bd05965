import ArgumentParser
import Foundation
import SurveySync
import SurveyStore
import struct SurveyModel.DefinitionHash
import struct SurveyModel.InterviewEvent
import struct SurveyModel.InterviewID

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
            The bundle holds the events not yet bundled, the compiled definitions they use and a manifest.
            It is written atomically. With --to, the payload is encrypted to the coordinator's public key,
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
        do {
            let store = try DeviceStore.open(path: database.path, readOnly: false)
            let info = try store.info()
            guard let pair = try store.signingKey() else {
                throw ValidationError("device \(info.deviceID) has no signing key; it was created by an older terep")
            }
            let key = try DeviceSigningKey(rawRepresentation: pair.privateKey)
            let events = try store.events(after: all ? 0 : try store.bundledThrough())
            guard !events.isEmpty else {
                print("Nothing new to bundle on device \(info.deviceID) (use --all to bundle every event again).")
                return
            }
            let contents = try Self.contents(events, store: store)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let manifest = try BundleWriter.write(
                contents, device: info.deviceID, signingKey: key, recipient: recipient, createdAtMillis: now, to: output)
            if let last = manifest.sequenceRange?.last { try store.markBundled(through: last) }
            let range = manifest.sequenceRange.map { "\($0.first)–\($0.last)" } ?? "none"
            print(
                "Wrote \(output): \(manifest.eventCount) events (sequences \(range)) of \(manifest.interviewCount) interviews, "
                    + (recipient.map { "encrypted to \($0.fingerprint)" } ?? "not encrypted") + ".")
        } catch let error as StoreError {
            throw failing(error)
        } catch let error as BundleError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as KeyFormatError {
            throw ValidationError("the device's signing key is unreadable: \(error)")
        }
    }

    /// The events with the definitions of their interviews.
    static func contents(_ events: [InterviewEvent], store: DeviceStore) throws -> BundleContents {
        var map: [InterviewID: DefinitionHash] = [:]
        var files: [DefinitionHash: Data] = [:]
        for id in Set(events.map(\.interview)) {
            guard let record = try store.interview(id: id) else { throw ValidationError("interview \(id) has events but no record") }
            map[id] = record.definition
            if files[record.definition] == nil {
                guard let data = try store.definitionData(hash: record.definition) else {
                    throw ValidationError("definition \(record.definition.short) of interview \(id) is missing from the device")
                }
                files[record.definition] = data
            }
        }
        return BundleContents(events: events, definitionFiles: files, interviewDefinitions: map)
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
            The signature is checked with the key the bundle names; `terep merge` checks it with the key
            registered at the central dataset. An encrypted payload is opened only with --key.
            """)

    @Argument(help: "The bundle file.") var file: String

    @Option(help: ArgumentHelp("The coordinator's private key: a key file, or the key text (x25519-private:…).", valueName: "key"))
    var key: String?

    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let coordinator = try key.map(Self.loadCoordinatorKey)
        let reader = BundleReader()
        var report = InspectReport()
        do throws(BundleError) {
            let sealed = try reader.open(path: file)
            report.manifest = sealed.manifest
            report.id = sealed.id
            guard let signer = sealed.manifest.signerPublicKey else {
                throw BundleError(file: file, kind: .malformedManifest("signer key is not an Ed25519 public key"))
            }
            try sealed.verify(signedBy: signer)
            report.signature = "valid (key \(signer.fingerprint), named by the bundle; registration not checked here)"
            if sealed.manifest.encryption != nil, coordinator == nil {
                report.contents = "encrypted; pass --key to check the payload"
            } else {
                let verified = try sealed.unseal(coordinatorKey: coordinator)
                report.contents = "verified: \(verified.contents.events.count) events, \(verified.definitions.count) definitions with matching hashes"
            }
        } catch {
            report.error = error.description
        }
        print(format == .json ? report.json() : report.text(file: file))
        if report.error != nil { throw ExitCode.failure }
    }

    /// Reads a coordinator private key from a file, or from the text itself.
    static func loadCoordinatorKey(_ argument: String) throws -> CoordinatorPrivateKey {
        let text = (try? String(contentsOfFile: argument, encoding: .utf8)) ?? argument
        do { return try CoordinatorPrivateKey(text: text) } catch {
            throw ValidationError("--key: \(error.description)")
        }
    }
}

/// What `bundle inspect` found, for text or JSON output.
struct InspectReport: Encodable {
    var manifest: BundleManifest?
    var id: String?
    var signature: String?
    var contents: String?
    var error: String?

    var ok: Bool { error == nil }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    func text(file: String) -> String {
        var lines = ["Bundle:       \(file)"]
        if let m = manifest {
            let range = m.sequenceRange.map { "\($0.first)–\($0.last)" } ?? "none"
            let created = Date(timeIntervalSince1970: Double(m.createdAtMillis) / 1000).formatted(.iso8601)
            lines += [
                "Format:       \(m.format)",
                "Device:       \(m.device) (key \(m.signerFingerprint))",
                "Created:      \(created)",
                "Sequences:    \(range)",
                "Events:       \(m.eventCount) in \(m.interviewCount) interviews",
                "Definitions:  \(m.definitions.isEmpty ? "none" : m.definitions.map(\.short).joined(separator: ", "))",
                "Encryption:   \(m.encryption.map { "\($0.scheme) to coordinator key \($0.recipient)" } ?? "none")",
                "Payload:      \(m.payload.storedSize) bytes stored, \(m.payload.uncompressedSize) bytes inflated",
            ]
        }
        if let id { lines.append("Bundle id:    \(id.prefix(16))") }
        if let signature { lines.append("Signature:    \(signature)") }
        if let contents { lines.append("Contents:     \(contents)") }
        if let error { lines.append("REJECTED:     \(error)") }
        return lines.joined(separator: "\n")
    }
}
