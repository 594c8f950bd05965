/// A case of the sample as a device holds it: what the coordinator's newest package says about
/// it (docs/package-format.md §3). The one type for it — the package carries it, the device
/// store keeps it, the case list shows it.
public struct DeviceCase: Hashable, Sendable, Codable {
    /// Where the case stands for this device.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
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
    /// Where to find it, and the coordinator's note for the interviewer (field management; never interview data).
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
