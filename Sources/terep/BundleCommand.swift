import ArgumentParser
import Foundation
import SurveySync

/// `terep bundle`: device bundles for the central dataset.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Create and inspect signed device bundles (docs/bundle-format.md).",
        subcommands: [BundleInspect.self])
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
