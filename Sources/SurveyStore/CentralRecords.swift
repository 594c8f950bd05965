import Foundation
import SurveyModel

/// How a device came to be registered with the central dataset.
public enum RegistrationMethod: String, Hashable, Sendable, Codable, CaseIterable {
    /// `terep central add-device` with the device's public key.
    case explicit
    /// Accepted from the device's first bundle, by the coordinator's explicit choice (logged).
    case trustOnFirstUse = "trust-on-first-use"
}

/// Whether a registered device's bundles are accepted.
public enum RegistrationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active, revoked
}

/// A device known to the central dataset.
public struct RegisteredDevice: Hashable, Sendable {
    public var id: DeviceID
    /// The device's raw Ed25519 public signing key.
    public var publicKey: Data
    public var status: RegistrationStatus
    public var registeredAt: Int64
    public var method: RegistrationMethod
    public var revokedAt: Int64?
    public var note: String?

    package init(
        id: DeviceID, publicKey: Data, status: RegistrationStatus, registeredAt: Int64, method: RegistrationMethod,
        revokedAt: Int64?, note: String?
    ) {
        (self.id, self.publicKey, self.status, self.registeredAt) = (id, publicKey, status, registeredAt)
        (self.method, self.revokedAt, self.note) = (method, revokedAt, note)
    }
}

/// A compiled definition with the exact bytes it is stored as.
public struct DefinitionFile: Hashable, Sendable {
    public var survey: CompiledSurvey
    public var bytes: Data

    /// A definition and the file bytes it was read from (already hash-checked by the caller).
    public init(survey: CompiledSurvey, bytes: Data) {
        self.survey = survey
        self.bytes = bytes
    }

    /// The definition with its canonical file bytes.
    public init(_ survey: CompiledSurvey) throws(StoreError) {
        self.survey = survey
        do { bytes = try survey.fileData() } catch { throw .invalid("cannot encode definition \(survey.hash.short): \(error)") }
    }

    /// A compiled definition file's bytes, decoded to check them; the bytes are kept as given.
    public init(compiledJSON data: Data) throws(StoreError) {
        do {
            survey = try JSONDecoder().decode(CompiledSurvey.self, from: data)
        } catch {
            throw .invalid("not a compiled questionnaire: \(error)")
        }
        guard survey.terep == CompiledSurvey.marker else {
            throw .invalid("not a compiled questionnaire (marker '\(survey.terep)')")
        }
        bytes = data
    }
}

/// Where a merged batch of events came from: one bundle file.
public struct BundleReceipt: Hashable, Sendable {
    /// The bundle file's SHA-256 (hex); a bundle with the same hash is merged only once.
    public var hash: String
    public var fileName: String
    public var device: DeviceID
    /// The sequence range the bundle's manifest declares.
    public var firstSequence: Int64
    public var lastSequence: Int64
    public var receivedAt: Int64

    public init(hash: String, fileName: String, device: DeviceID, firstSequence: Int64, lastSequence: Int64, receivedAt: Int64) {
        self.hash = hash
        self.fileName = fileName
        self.device = device
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.receivedAt = receivedAt
    }
}

/// A device to register together with its first bundle (trust on first use).
public struct NewDevice: Hashable, Sendable {
    public var publicKey: Data
    public var method: RegistrationMethod
    public var note: String?

    public init(publicKey: Data, method: RegistrationMethod, note: String?) {
        self.publicKey = publicKey
        self.method = method
        self.note = note
    }
}

/// What one `apply` changed.
public struct MergeResult: Hashable, Sendable {
    /// The bundle (same hash) was merged before; nothing was changed.
    public var alreadyMerged = false
    public var newEvents = 0
    /// Events already in the dataset (from an overlapping bundle), skipped.
    public var duplicateEvents = 0
    public var newDefinitions = 0
    public var newInterviews = 0
    public var updatedInterviews = 0
    /// Interviews that now have events from more than one device.
    public var newConflicts = 0

    public init() {}
}

/// A bundle in the receipt log.
public struct BundleRecord: Hashable, Sendable {
    public var hash: String
    public var fileName: String
    public var device: DeviceID?
    public var firstSequence: Int64?
    public var lastSequence: Int64?
    public var eventCount: Int
    public var newEvents: Int
    public var accepted: Bool
    /// Why it was rejected.
    public var reason: String?
    public var receivedAt: Int64

    package init(
        hash: String, fileName: String, device: DeviceID?, firstSequence: Int64?, lastSequence: Int64?, eventCount: Int,
        newEvents: Int, accepted: Bool, reason: String?, receivedAt: Int64
    ) {
        (self.hash, self.fileName, self.device, self.firstSequence, self.lastSequence) =
            (hash, fileName, device, firstSequence, lastSequence)
        (self.eventCount, self.newEvents, self.accepted, self.reason, self.receivedAt) =
            (eventCount, newEvents, accepted, reason, receivedAt)
    }
}

/// An interview in the central dataset, derived from all its events by a deterministic rule
/// (see docs/storage.md): the earliest `started` event and the latest `ended`/`reopened`
/// event, ordered by (timestamp, device, sequence).
public struct CentralInterview: Hashable, Sendable {
    public var id: InterviewID
    /// Nil until its `started` event has been merged.
    public var survey: SurveyID?
    public var definition: DefinitionHash?
    public var interviewer: String?
    /// The device whose `started` event began it (nil until that event is merged).
    public var startDevice: DeviceID?
    public var caseIdentifiers: [VariableName: Value]
    public var startedAt: Int64?
    public var status: InterviewStatus
    public var outcome: Int?
    public var endedAt: Int64?
    public var eventCount: Int
    /// Whether the latest `trainingMarked` event (by timestamp, device, sequence) marked it a
    /// test/training interview: kept, but excluded from exports and reports.
    public var isTraining: Bool
    /// More than one means a conflict to review (e.g. a supervisor's revisit on another laptop).
    public var devices: [DeviceID]
    /// The case of the sample it was started for (its `assignedCase` event), if any.
    public var caseID: CaseID? = nil
    /// Its latest `ended` or `reopened` event (device, sequence): the state a review judges.
    public var statusDevice: DeviceID? = nil
    public var statusSequence: Int64? = nil
}

/// One device's view in `terep central status`.
public struct DeviceSummary: Hashable, Sendable {
    public var device: RegisteredDevice
    public var eventCount: Int
    /// Sequence ranges merged, ascending and disjoint.
    public var received: [ClosedRange<Int64>]
    /// Gaps below the highest sequence received.
    public var missing: [ClosedRange<Int64>]
    public var lastBundle: BundleRecord?
}

/// The whole dataset at a glance.
public struct CentralStatus: Hashable, Sendable {
    public var devices: [DeviceSummary]
    public var eventCount: Int
    public var interviews: [InterviewStatus: Int]
    /// Interviews marked as training (also counted in ``interviews``; never exported).
    public var trainingInterviews: Int = 0
    /// The training interviews by status (each also counted in ``interviews``).
    public var trainingByStatus: [InterviewStatus: Int] = [:]
    public var conflicts: Int
    public var bundlesAccepted: Int
    public var bundlesRejected: Int
    public var lastBundle: BundleRecord?
}

extension CentralInterview {
    /// An interview as a store lists it: its derived row, status, and devices.
    package init(_ row: DerivedInterview, status: InterviewStatus, devices: [DeviceID]) throws(StoreError) {
        id = row.id
        survey = row.survey
        definition = row.definition
        interviewer = row.interviewer
        startDevice = row.start?.device
        caseIdentifiers = try row.caseIdentifiersJSON.map { json throws(StoreError) in try EventCoding.decodeValues(json) } ?? [:]
        startedAt = row.start?.timestamp
        self.status = status
        outcome = row.outcome
        endedAt = row.endedAt
        eventCount = row.eventCount
        isTraining = row.isTraining
        self.devices = devices
        caseID = row.caseID
        statusDevice = row.statusKey?.device
        statusSequence = row.statusKey?.sequence
    }
}

extension DeviceSummary {
    package init(device: RegisteredDevice, eventCount: Int, received: [ClosedRange<Int64>], lastBundle: BundleRecord?) {
        (self.device, self.eventCount, self.received) = (device, eventCount, received)
        missing = SequenceRanges(ranges: received).gaps
        self.lastBundle = lastBundle
    }
}

extension CentralStatus {
    package init(
        devices: [DeviceSummary], eventCount: Int, interviews: [InterviewStatus: Int], trainingByStatus: [InterviewStatus: Int],
        conflicts: Int, bundlesAccepted: Int, bundlesRejected: Int, lastBundle: BundleRecord?
    ) {
        (self.devices, self.eventCount, self.interviews, self.trainingByStatus) = (devices, eventCount, interviews, trainingByStatus)
        trainingInterviews = trainingByStatus.values.reduce(0, +)
        (self.conflicts, self.bundlesAccepted, self.bundlesRejected, self.lastBundle) =
            (conflicts, bundlesAccepted, bundlesRejected, lastBundle)
    }
}
