import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.CompiledSurvey
import struct SurveyModel.DefinitionHash
import struct SurveyModel.DeviceID
import enum SurveyModel.DisplayText
import struct SurveyModel.InterviewEvent

/// A bundle verified and, when small enough, decoded, ready to be written together with others
/// (``BundleMerger/write(_:)``).
public struct PreparedBundle: Sendable {
    let sealed: SealedBundle
    /// The name the bundle goes by in outcomes and the receipt log.
    public let file: String
    let receipt: BundleReceipt
    let newDevice: BundleMerger.TrustedDevice?
    /// The payload decoded before the transaction, or nil: streamed from the file inside it.
    let decoded: VerifiedBundle?

    /// The bundle's id (``SealedBundle/id``), for the receipt.
    public var id: String { sealed.id }
    /// The payload's size as the signed manifest declares it (inflated bytes).
    public var payloadBytes: Int { sealed.manifest.payload.uncompressedSize }
}

/// What reading an upload gave: its outcome already (refused, or merged before), or a bundle to write.
public enum UploadStep: Sendable {
    case finished(MergeOutcome, bundle: String?)
    case ready(PreparedBundle)
}

extension BundleMerger {
    /// The first half of ``merge(uploadFile:bodySHA256:name:sentBy:)``: opens, verifies and
    /// (up to ``decodedFirstBytes``) decodes the upload, outside any transaction, so that a
    /// server can write what several uploads gave in one transaction (``write(_:)``).
    public func prepare(uploadFile path: String, bodySHA256: String, name: String, sentBy sender: DeviceID) -> UploadStep {
        prepare(
            uploadNamed: name, sentBy: sender, digest: { bodySHA256 },
            open: { () throws(BundleError) in try reader.open(path: path, name: name) })
    }

    /// Writes prepared bundles in one transaction of the central dataset
    /// (``CentralDataset/apply(group:)``: group commit on SQLite), each all-or-nothing: one that
    /// fails (an answer its questionnaire forbids, a payload that breaks off, a device revoked
    /// meanwhile) is refused with its reason and logged, and the others merge. A failure of the
    /// dataset itself (disk full, I/O error, its server gone) fails the group's transaction: every
    /// bundle of it is ``MergeOutcome/Status/notStored``, none merged, none refused. The outcomes
    /// in the order given; never throws.
    public func write(_ group: [PreparedBundle]) -> [MergeOutcome] {
        defer { progress.finish() }
        let writes = group.map { BundleWrite(bundle: $0.receipt, registering: $0.newDevice?.registration, feed: feed(for: $0)) }
        let results: [Result<MergeResult, any Error>]
        do { results = try central.apply(group: writes) } catch {
            // The transaction failed as a whole: no bundle's fault, whatever the error says.
            let failure = central.storeError(error)
            return group.map { Self.notStored(MergeOutcome(file: $0.file, status: .notStored), failure) }
        }
        return zip(group, results).map { prepared, result in
            let device = prepared.sealed.manifest.device
            switch result {
            case .failure(let error):
                return failed(MergeOutcome(file: prepared.file, status: .rejected), error, hash: prepared.id, device: device)
            case .success(let merged) where merged.alreadyMerged:
                // Merged meanwhile (a copy earlier in the group, or another server): as when found before.
                return MergeOutcome(file: prepared.file, status: .alreadyMerged, device: device.rawValue)
            case .success(let merged):
                if let newDevice = prepared.newDevice {
                    note(
                        "note: registered new device \(DisplayText.escaped(device.rawValue)) (key \(newDevice.fingerprint)) on first use")
                }
                var outcome = MergeOutcome(file: prepared.file, status: .merged, device: device.rawValue)
                outcome.events = prepared.sealed.manifest.eventCount
                outcome.newEvents = merged.newEvents
                outcome.duplicateEvents = merged.duplicateEvents
                outcome.newInterviews = merged.newInterviews
                outcome.updatedInterviews = merged.updatedInterviews
                outcome.newConflicts = merged.newConflicts
                return outcome
            }
        }
    }

    /// What hands a prepared bundle's definitions and events to the store's merge: from memory
    /// when it was decoded, otherwise streamed from its file (each event checked and inserted as
    /// it is read; a fault found later — a count, the digest read again — rolls the bundle back,
    /// and memory does not grow with the bundle). Either way the same definitions and events in
    /// the same order.
    private func feed(for prepared: PreparedBundle) -> (any CentralMergeFeed) throws -> Void {
        let file = prepared.file
        let total = prepared.sealed.manifest.eventCount
        let progress = progress
        var added = 0
        // Named at the first update (a bundle of fewer than 1,024 events never needs it: the
        // file's URL, a stat of the file and the escaping were a cost of every small bundle).
        var task: String?
        func add(_ event: InterviewEvent, to merge: any CentralMergeFeed) throws {
            try merge.add(event)
            added += 1
            guard added & 0x3FF == 0 else { return }
            let name = task ?? "merging " + DisplayText.escaped(URL(fileURLWithPath: file).lastPathComponent)
            task = name
            progress.update(name, done: added, of: total, "events")
        }
        if let bundle = prepared.decoded {
            let definitions = Self.definitionFiles(bundle.definitions, bytes: bundle.contents.definitionFiles)
            return { merge in
                try merge.begin(definitions: definitions, interviewDefinitions: bundle.contents.interviewDefinitions)
                for event in bundle.contents.events { try add(event, to: merge) }
            }
        }
        let sealed = prepared.sealed
        let key = coordinatorKey
        return { merge in
            try sealed.unseal(coordinatorKey: key) { part in
                switch part {
                case .header(let header):
                    let definitions = Self.definitionFiles(header.definitions, bytes: header.definitionFiles)
                    try merge.begin(definitions: definitions, interviewDefinitions: header.interviewDefinitions)
                case .event(let event): try add(event, to: merge)
                }
            }
        }
    }

    /// A payload's definitions, in hash order, with the exact bytes they came as.
    private static func definitionFiles(
        _ surveys: [DefinitionHash: CompiledSurvey], bytes: [DefinitionHash: Data]
    ) -> [DefinitionFile] {
        surveys.sorted { $0.key < $1.key }.map { hash, survey in DefinitionFile(survey: survey, bytes: bytes[hash] ?? Data()) }
    }
}
