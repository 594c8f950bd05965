import Foundation
import SurveyModel

/// What a package tells one device: the questionnaires its cases use, every case it was ever
/// given (with where each stands now) and the supervisor's decisions on its interviews — the
/// whole picture as of one point of the central fieldwork log, so the newest package alone
/// decides what a device holds, whatever came before it (docs/package-format.md).
public struct PackageContents: Hashable, Sendable {
    /// The compiled-survey files (exact bytes), by content hash.
    public var definitionFiles: [DefinitionHash: Data]
    public var cases: [PackageCase]
    public var reviews: [ReviewMark]

    public init(definitionFiles: [DefinitionHash: Data], cases: [PackageCase], reviews: [ReviewMark]) {
        self.definitionFiles = definitionFiles
        self.cases = cases
        self.reviews = reviews
    }
}

/// A case as a package gives it to a device.
public struct PackageCase: Hashable, Sendable, Codable {
    /// Where the case stands for this device.
    public enum State: String, Hashable, Sendable, Codable {
        /// The device's own: interview it.
        case assigned
        /// Moved to another device: hand it back (what was recorded still merges).
        case reassigned
        /// Taken out of the sample.
        case withdrawn
    }

    public var survey: SurveyID
    public var id: CaseID
    /// The questionnaire version a new interview of the case starts on (the survey's latest published).
    public var definition: DefinitionHash
    /// The preloaded values from the sample.
    public var values: [VariableName: Value]
    /// Where to find it, and the coordinator's note for the interviewer (field management only).
    public var address: String?
    public var note: String?
    public var state: State
    /// When (milliseconds since 1970, the coordinator's clock) and by whom it was assigned,
    /// moved or withdrawn.
    public var changedAt: Int64
    public var changedBy: String
    /// A withdrawal's reason.
    public var reason: String?

    public init(
        survey: SurveyID, id: CaseID, definition: DefinitionHash, values: [VariableName: Value], address: String? = nil,
        note: String? = nil, state: State, changedAt: Int64, changedBy: String, reason: String? = nil
    ) {
        self.survey = survey
        self.id = id
        self.definition = definition
        self.values = values
        self.address = address
        self.note = note
        self.state = state
        self.changedAt = changedAt
        self.changedBy = changedBy
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case survey, id = "case", definition, values = "preload", address, note, state, changedAt, changedBy, reason
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        survey = try c.decode(SurveyID.self, forKey: .survey)
        id = try c.decode(CaseID.self, forKey: .id)
        definition = try c.decode(DefinitionHash.self, forKey: .definition)
        let plain = try c.decode([String: Value].self, forKey: .values)
        values = Dictionary(uniqueKeysWithValues: plain.map { (VariableName($0.key), $0.value) })
        address = try c.decodeIfPresent(String.self, forKey: .address)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        state = try c.decode(State.self, forKey: .state)
        changedAt = try c.decode(Int64.self, forKey: .changedAt)
        changedBy = try c.decode(String.self, forKey: .changedBy)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(survey, forKey: .survey)
        try c.encode(id, forKey: .id)
        try c.encode(definition, forKey: .definition)
        try c.encode(Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) }), forKey: .values)
        try c.encodeIfPresent(address, forKey: .address)
        try c.encodeIfPresent(note, forKey: .note)
        try c.encode(state, forKey: .state)
        try c.encode(changedAt, forKey: .changedAt)
        try c.encode(changedBy, forKey: .changedBy)
        try c.encodeIfPresent(reason, forKey: .reason)
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
