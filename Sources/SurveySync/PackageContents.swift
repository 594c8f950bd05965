import Foundation
import SurveyModel

/// What a package tells one device: the questionnaires its cases use, every case it was ever
/// given (with where each stands now) and the supervisor's decisions on its interviews — the
/// whole picture as of one point of the central fieldwork log, so the newest package alone
/// decides what a device holds, whatever came before it (docs/package-format.md).
public struct PackageContents: Hashable, Sendable {
    /// The compiled-survey files (exact bytes), by content hash.
    public var definitionFiles: [DefinitionHash: Data]
    public var cases: [DeviceCase]
    public var reviews: [ReviewMark]

    public init(definitionFiles: [DefinitionHash: Data], cases: [DeviceCase], reviews: [ReviewMark]) {
        self.definitionFiles = definitionFiles
        self.cases = cases
        self.reviews = reviews
    }
}

/// The plaintext, non-PII description of a package, signed by the coordinator.
public struct PackageManifest: Hashable, Sendable, Codable {
    public var format: Int
    /// The device the package is for; any other device refuses it.
    public var device: DeviceID
    /// The coordinator's Ed25519 public key (`ed25519:BASE64`); the device verifies with the
    /// key it was given at `terep device init --coordinator-key`, never with this one.
    public var coordinatorKey: String
    /// The central fieldwork log's latest entry the package reflects: a device applies a
    /// package only when this is above the one it has.
    public var through: Int64
    public var caseCount: Int
    public var reviewCount: Int
    public var definitions: [DefinitionHash]
    public var createdAtMillis: Int64
    public var encryption: BundleManifest.EncryptionInfo?
    public var payload: BundleManifest.PayloadInfo

    /// Why a number is out of range, or nil.
    var rangeProblem: String? {
        guard EventBounds.sequences.contains(through) || through == 0 else { return "through \(through) is out of range" }
        let counts = [
            ("caseCount", caseCount), ("reviewCount", reviewCount), ("payload.storedSize", payload.storedSize),
            ("payload.compressedSize", payload.compressedSize), ("payload.uncompressedSize", payload.uncompressedSize),
        ]
        if let (name, value) = counts.first(where: { $0.1 < 0 }) { return "\(name) is negative (\(value))" }
        guard EventBounds.timestamps.contains(createdAtMillis) else { return "createdAtMillis \(createdAtMillis) is outside 1970–9999" }
        return nil
    }

    /// The coordinator key as a key value, if well-formed.
    public var coordinatorPublicKey: DevicePublicKey? { try? DevicePublicKey(text: coordinatorKey) }
}
