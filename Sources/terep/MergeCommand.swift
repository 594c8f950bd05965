import ArgumentParser
import Foundation
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID

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
            bundle was rejected.
            """)

    @OptionGroup var options: CentralDatasetOptions
    @Argument(help: "Bundle files (.terepbundle).") var bundles: [String]
    @Flag(
        name: .customLong("trust-new-devices"),
        help: "Register unknown devices from their bundle's own key (trust on first use; logged).")
    var trustNewDevices = false
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() throws {
        let central: CentralStore
        let coordinatorKey: CoordinatorPrivateKey?
        do {
            central = try CentralStore.open(path: try options.path())
            coordinatorKey = try central.encryptionKey().flatMap { try? CoordinatorPrivateKey(rawRepresentation: $0.privateKey) }
        } catch let error as StoreError {
            throw failing(error)
        }
        var merger = BundleMerger(central: central, coordinatorKey: coordinatorKey, trustNewDevices: trustNewDevices)
        let showProgress = isatty(STDERR_FILENO) == 1 && format == .text
        let start = Date()
        var outcomes: [MergeOutcome] = []
        for (index, file) in bundles.enumerated() {
            let outcome = merger.merge(file)
            outcomes.append(outcome)
            if format == .text { print(outcome.line) }
            if showProgress {
                let seconds = max(Date().timeIntervalSince(start), 0.001)
                let rate = Int(Double(outcomes.reduce(0) { $0 + $1.events }) / seconds)
                FileHandle.standardError.write(Data("[\(index + 1)/\(bundles.count) bundles, \(rate) events/s]\n".utf8))
            }
        }
        let summary = MergeSummary(outcomes: outcomes)
        print(format == .json ? summary.json() : summary.text())
        if summary.rejected > 0 { throw ExitCode.failure }
    }
}

/// What happened to one bundle.
struct MergeOutcome: Encodable {
    var file: String
    var status: String  // merged, already-merged, rejected
    var device: String?
    var events = 0
    var newEvents = 0
    var duplicateEvents = 0
    var newInterviews = 0
    var updatedInterviews = 0
    var newConflicts = 0
    var reason: String?

    var line: String {
        switch status {
        case "rejected": "REJECTED \(file): \(reason ?? "?")"
        case "already-merged": "already merged \(file): nothing changed"
        default:
            "merged \(file): \(newEvents) new events, \(duplicateEvents) duplicates skipped, "
                + "\(newInterviews) new and \(updatedInterviews) updated interviews, \(newConflicts) new conflicts"
        }
    }
}

/// Verifies, unseals and applies bundles one by one; rejections are logged in the dataset.
struct BundleMerger {
    let central: CentralStore
    let coordinatorKey: CoordinatorPrivateKey?
    let trustNewDevices: Bool
    let reader = BundleReader()

    mutating func merge(_ file: String) -> MergeOutcome {
        var outcome = MergeOutcome(file: file, status: "rejected")
        let sealed: SealedBundle
        do {
            sealed = try reader.open(path: file)
        } catch {
            return reject(outcome, hash: FileManager.default.contents(atPath: file).map(BundleFormat.sha256Hex) ?? "unreadable:\(file)",
                device: nil, reason: error.reason)
        }
        outcome.device = sealed.manifest.device.rawValue
        do {
            if let known = try central.bundle(hash: sealed.id), known.accepted {
                outcome.status = "already-merged"
                return outcome
            }
            let verified = try verifyAndUnseal(sealed, file: file)
            let definitions = verified.definitions.sorted { $0.key < $1.key }.map { hash, survey in
                DefinitionFile(survey: survey, bytes: verified.contents.definitionFiles[hash] ?? Data())
            }
            let range = sealed.manifest.sequenceRange
            let result = try central.apply(
                events: verified.contents.events, definitions: definitions,
                bundle: BundleReceipt(
                    hash: sealed.id, fileName: file, device: sealed.manifest.device, firstSequence: range?.first ?? 0,
                    lastSequence: range?.last ?? 0, receivedAt: DeviceStore.currentMilliseconds()),
                interviewDefinitions: verified.contents.interviewDefinitions)
            outcome.status = result.alreadyMerged ? "already-merged" : "merged"
            outcome.events = verified.contents.events.count
            outcome.newEvents = result.newEvents
            outcome.duplicateEvents = result.duplicateEvents
            outcome.newInterviews = result.newInterviews
            outcome.updatedInterviews = result.updatedInterviews
            outcome.newConflicts = result.newConflicts
            return outcome
        } catch let error as BundleError {
            return reject(outcome, hash: sealed.id, device: sealed.manifest.device, reason: error.reason)
        } catch let error as StoreError {
            return reject(outcome, hash: sealed.id, device: sealed.manifest.device, reason: error.description)
        } catch {
            return reject(outcome, hash: sealed.id, device: sealed.manifest.device, reason: "\(error)")
        }
    }

    /// Checks registration and signature (registering a new device on first use if allowed,
    /// only once its own signature verifies), then decrypts and inflates.
    private func verifyAndUnseal(_ sealed: SealedBundle, file: String) throws -> VerifiedBundle {
        let device = sealed.manifest.device
        let registered = try central.device(device)
        if registered == nil, trustNewDevices, let signer = sealed.manifest.signerPublicKey {
            try sealed.verify(signedBy: signer)
            let verified = try sealed.unseal(coordinatorKey: coordinatorKey)
            try central.registerDevice(
                device, publicKey: signer.rawRepresentation, method: .trustOnFirstUse,
                note: "trusted on first use from bundle \(file) (key \(signer.fingerprint))")
            FileHandle.standardError.write(Data("note: registered new device \(device) (key \(signer.fingerprint)) on first use\n".utf8))
            return verified
        }
        let registration: DeviceRegistration
        switch registered {
        case nil: registration = .unknown
        case let known? where known.status == .revoked: registration = .revoked
        case let known?: registration = (try? DevicePublicKey(rawRepresentation: known.publicKey)).map { .registered($0) } ?? .unknown
        }
        try sealed.verify(devices: { _ in registration })
        return try sealed.unseal(coordinatorKey: coordinatorKey)
    }

    private func reject(_ outcome: MergeOutcome, hash: String, device: DeviceID?, reason: String) -> MergeOutcome {
        var outcome = outcome
        outcome.status = "rejected"
        outcome.reason = reason
        do {
            try central.recordRejected(hash: hash, fileName: outcome.file, device: device, reason: reason)
        } catch {
            outcome.reason = reason + " (and the rejection could not be logged: \(error))"
        }
        return outcome
    }
}

/// Totals over a merge run.
struct MergeSummary: Encodable {
    var bundles: [MergeOutcome]
    var merged: Int, alreadyMerged: Int, rejected: Int
    var newEvents: Int, duplicateEvents: Int, newInterviews: Int, updatedInterviews: Int, newConflicts: Int

    init(outcomes: [MergeOutcome]) {
        bundles = outcomes
        merged = outcomes.filter { $0.status == "merged" }.count
        alreadyMerged = outcomes.filter { $0.status == "already-merged" }.count
        rejected = outcomes.filter { $0.status == "rejected" }.count
        newEvents = outcomes.reduce(0) { $0 + $1.newEvents }
        duplicateEvents = outcomes.reduce(0) { $0 + $1.duplicateEvents }
        newInterviews = outcomes.reduce(0) { $0 + $1.newInterviews }
        updatedInterviews = outcomes.reduce(0) { $0 + $1.updatedInterviews }
        newConflicts = outcomes.reduce(0) { $0 + $1.newConflicts }
    }

    func text() -> String {
        var lines = [
            "Summary: \(merged) bundles merged, \(alreadyMerged) already merged, \(rejected) rejected",
            "  \(newEvents) new events, \(duplicateEvents) duplicates skipped, \(newInterviews) new interviews, "
                + "\(updatedInterviews) updated, \(newConflicts) new conflicts",
        ]
        for b in bundles where b.status == "rejected" { lines.append("  rejected \(b.file): \(b.reason ?? "?")") }
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
