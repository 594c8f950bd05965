import Foundation
import SurveySync

import enum SurveyModel.DisplayText

/// What `terep bundle inspect` found in a bundle, for text or JSON output.
public struct InspectReport: Encodable, Sendable {
    public var manifest: BundleManifest?
    public var id: String?
    public var signature: String?
    public var contents: String?
    public var error: String?

    public init() {}

    /// True when every check run passed.
    public var ok: Bool { error == nil }

    /// Checks a bundle without a central dataset: the signature with the key the bundle names,
    /// and the payload when it is plaintext or `coordinatorKey` is given.
    public static func inspect(file: String, coordinatorKey: CoordinatorPrivateKey?) -> InspectReport {
        var report = InspectReport()
        do throws(BundleError) {
            let sealed = try BundleReader().open(path: file)
            report.manifest = sealed.manifest
            report.id = sealed.id
            guard let signer = sealed.manifest.signerPublicKey else {
                throw BundleError(file: file, kind: .malformedManifest("signer key is not an Ed25519 public key"))
            }
            try sealed.verify(signedBy: signer)
            report.signature = "valid (key \(signer.fingerprint), named by the bundle; registration not checked here)"
            if sealed.manifest.encryption != nil, coordinatorKey == nil {
                report.contents = "encrypted; pass --central (or --key) to check the payload"
            } else {
                let verified = try sealed.unseal(coordinatorKey: coordinatorKey)
                report.contents =
                    "verified: \(verified.contents.events.count) events, \(verified.definitions.count) definitions with matching hashes"
            }
        } catch {
            report.error = error.description
        }
        return report
    }

    /// Pretty-printed JSON with sorted keys, safe to show in a terminal (``DisplayText/json(_:)``).
    public func json() -> String { DisplayText.json(self) }

    /// Aligned `Label: value` lines.
    public func text(file: String) -> String {
        var lines = ["Bundle:       \(DisplayText.escaped(file))"]
        if let m = manifest {
            let range = m.sequenceRange.map { "\($0.first)–\($0.last)" } ?? "none"
            let created = Date(timeIntervalSince1970: Double(m.createdAtMillis) / 1000).formatted(.iso8601)
            lines += [
                "Format:       \(m.format)",
                "Device:       \(DisplayText.escaped(m.device.rawValue)) (key \(m.signerFingerprint))",
                "Created:      \(created)",
                "Sequences:    \(range)",
                "Events:       \(m.eventCount) in \(m.interviewCount) interviews",
                "Definitions:  \(m.definitions.isEmpty ? "none" : DisplayText.escaped(m.definitions.map(\.short).joined(separator: ", ")))",
                "Encryption:   \(m.encryption.map { DisplayText.escaped("\($0.scheme) to coordinator key \($0.recipient)") } ?? "none")",
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
