import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import Testing

@testable import SurveySync

/// `BundleExport.create` found nothing to bundle where the test expected events.
struct NothingWritten: Error {}

/// A temporary folder with a central dataset and field devices that write real bundles.
struct SyncBench {
    let folder: URL
    let central: String
    let coordinatorKey: CoordinatorPublicKey
    let survey: (hash: DefinitionHash, bytes: Data)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-fieldwork-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        central = folder.appendingPathComponent("central.sqlite").path
        coordinatorKey = try CentralAdmin.create(path: central).encryption
        let definition = SurveyDefinition(
            id: "wellbeing", version: "2026.1", title: LocalizedText(["hu": "Jóllét", "en": "Well-being"]),
            languages: ["hu", "en"], outcome: OutcomeSpec(variable: "outcome", completeCode: 11), answerSets: [],
            items: (0..<3).map { .question(Question(name: VariableName("q\($0)"), kind: .integer(min: nil, max: nil))) })
        survey = try DefinitionFiles.file(for: definition)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    /// A device database with a signing key and the survey; returns it with its public key.
    func device(_ id: DeviceID) throws -> (store: DeviceStore, key: DevicePublicKey) {
        let store = try DeviceStore.initialize(path: path("\(id).sqlite"), deviceID: id, interviewer: "Kiss Anna")
        let key = DeviceSigningKey()
        try store.setSigningKey(SigningKeyPair(privateKey: key.rawRepresentation, publicKey: key.publicKey.rawRepresentation))
        try store.saveDefinition(compiledJSON: survey.bytes)
        return (store, key.publicKey)
    }

    /// Records one finished interview (started, three answers, ended): five events.
    @discardableResult
    func interview(on store: DeviceStore, id: InterviewID = .random(), at time: Int64 = 1_000) throws -> InterviewID {
        _ = try store.createInterview(NewInterview(id: id, definition: survey.hash, seed: 1, language: "hu"), timestamp: time)
        let answers = (0..<3).map {
            PendingEvent(
                interview: id, timestamp: time + Int64($0) + 1, kind: .answered(Address(VariableName("q\($0)")), .value(.integer($0))))
        }
        _ = try store.appendBatch(answers + [PendingEvent(interview: id, timestamp: time + 10, kind: .ended(outcome: 11))])
        return id
    }

    /// Writes the device's new events (or all) to `name`, encrypted to the coordinator.
    func bundle(_ store: DeviceStore, _ name: String, all: Bool = false) throws -> String {
        let file = path(name)
        let result = try BundleExport.create(store: store, output: file, recipient: coordinatorKey, all: all)
        guard case .wrote = result else { throw NothingWritten() }
        return file
    }

    func merger(trustNewDevices: Bool = false, note: @escaping (String) -> Void = { _ in }) throws -> BundleMerger {
        try BundleMerger.open(centralPath: central, trustNewDevices: trustNewDevices, note: note)
    }
}

@Suite struct BundleMergeTests {
    @Test func exportedBundleMergesEveryEventOnceAndReMergingChangesNothing() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        try bench.interview(on: store, at: 5_000)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        let file = try bench.bundle(store, "a.terepbundle")

        var merger = try bench.merger()
        let first = merger.merge([file])
        #expect(first.merged == 1 && first.rejected == 0)
        #expect(first.newEvents == 10 && first.newInterviews == 2 && first.duplicateEvents == 0)
        #expect(
            first.bundles.first?.line
                == "merged \(file): 10 new events, 0 duplicates skipped, 2 new and 0 updated interviews, 0 new conflicts")

        let before = try CentralStore.open(path: bench.central, readOnly: true).canonicalDump()
        let again = merger.merge([file])
        #expect(again.alreadyMerged == 1 && again.newEvents == 0)
        #expect(again.bundles.first?.line == "already merged \(file): nothing changed")
        #expect(try CentralStore.open(path: bench.central, readOnly: true).canonicalDump() == before)
    }

    @Test func aMergeThatChangedInterviewsCleansThemIntoTheCacheAndOneThatChangedNothingDoesNot() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        try bench.interview(on: store, at: 5_000)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        let file = try bench.bundle(store, "a.terepbundle")

        var merger = try bench.merger()
        let refresh = try #require(merger.refreshCleanedRecords(after: merger.merge([file])))
        #expect(refresh.replayed == 2 && refresh.notes.isEmpty)
        #expect(refresh.line.hasPrefix("Cleaned 2 changed interviews for reports and exports ("))
        #expect(merger.refreshCleanedRecords(after: merger.merge([file])) == nil, "already merged: nothing to clean")
        let warm = try CleanedDataset(central: merger.central, survey: "wellbeing").refreshCache()
        #expect(warm.replayed == 0 && warm.hits == 2)
    }

    @Test func anOverlappingBundleAddsOnlyTheNewEvents() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        let first = try bench.bundle(store, "a.terepbundle")
        #expect(try BundleExport.create(store: store, output: bench.path("none"), recipient: nil, all: false) == .nothingNew("lap-1"))
        try bench.interview(on: store, at: 9_000)
        let everything = try bench.bundle(store, "all.terepbundle", all: true)

        var merger = try bench.merger()
        let summary = merger.merge([first, everything])
        #expect(summary.merged == 2)
        #expect(summary.newEvents == 10 && summary.duplicateEvents == 5 && summary.newInterviews == 2)
    }

    @Test func aRejectedBundleMergesNothingWhileTheOthersMerge() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (good, goodKey) = try bench.device("lap-1")
        let (stranger, _) = try bench.device("lap-2")
        let (lost, lostKey) = try bench.device("lap-3")
        for store in [good, stranger, lost] { try bench.interview(on: store) }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: goodKey, note: nil)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-3", key: lostKey, note: "stolen later")
        try CentralAdmin.revokeDevice(path: bench.central, device: "lap-3")
        let notes = bench.path("notes.txt")
        try Data("not a bundle".utf8).write(to: URL(fileURLWithPath: notes))
        let files = [
            try bench.bundle(good, "1.terepbundle"), try bench.bundle(stranger, "2.terepbundle"), try bench.bundle(lost, "3.terepbundle"),
            notes,
        ]

        var merger = try bench.merger()
        let summary = merger.merge(files)
        #expect(summary.merged == 1 && summary.rejected == 3 && summary.newEvents == 5)
        let reasons = summary.bundles.map { $0.reason ?? "" }
        #expect(reasons[1].hasPrefix("device 'lap-2' is not registered"))
        #expect(reasons[2] == "device 'lap-3' is revoked; its bundles are not accepted")
        #expect(reasons[3].hasPrefix("not a terep bundle"))
        #expect(summary.text().contains("  rejected \(notes): not a terep bundle"))
        let status = try CentralAdmin.status(path: bench.central)
        #expect(status.events == 5 && status.bundlesRejected == 3)
    }

    @Test func trustOnFirstUseRegistersTheDeviceAndSaysSo() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-9")
        try bench.interview(on: store)
        let file = try bench.bundle(store, "a.terepbundle")
        var notes: [String] = []
        var merger = try bench.merger(trustNewDevices: true) { notes.append($0) }
        #expect(merger.merge([file]).merged == 1)
        #expect(notes == ["note: registered new device lap-9 (key \(key.fingerprint)) on first use"])
        let device = try CentralStore.open(path: bench.central, readOnly: true).device("lap-9")
        #expect(device?.method == .trustOnFirstUse)
    }

    @Test func statusListsTheRangeOfABundleNotYetMerged() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        try bench.interview(on: store)
        let early = try bench.bundle(store, "early.terepbundle")
        try bench.interview(on: store, at: 9_000)
        let late = try bench.bundle(store, "late.terepbundle")
        var merger = try bench.merger()
        _ = merger.merge([late])
        #expect(try CentralAdmin.status(path: bench.central).devices.first?.missing == "1-5")
        _ = merger.merge([early])
        let report = try CentralAdmin.status(path: bench.central)
        #expect(report.devices.first?.missing == "none" && report.devices.first?.received == "1-10")
        #expect(report.text().contains("lap-1 [active, explicit] events 10; received 1-10; missing none"))
    }

    @Test func summaryJSONNamesStatusesAsTheCommandDid() throws {
        let outcomes = [
            MergeOutcome(file: "a", status: .alreadyMerged, device: "lap-1"),
            MergeOutcome(file: "b", status: .rejected, reason: "not a terep bundle"),
        ]
        let summary = MergeSummary(outcomes: outcomes)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
        let bundles = try #require(json["bundles"] as? [[String: Any]])
        #expect(bundles.map { $0["status"] as? String } == ["already-merged", "rejected"])
        #expect(json["alreadyMerged"] as? Int == 1 && json["rejected"] as? Int == 1)
    }
}

@Suite struct BundleInspectionTests {
    @Test func anEncryptedBundleIsVerifiedOnlyWithTheCoordinatorKey() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        let file = try bench.bundle(store, "a.terepbundle")
        let closed = InspectReport.inspect(file: file, coordinatorKey: nil)
        #expect(closed.ok && closed.contents == "encrypted; pass --central (or --key) to check the payload")
        #expect(closed.signature?.contains("\(key.fingerprint)") == true)
        #expect(closed.text(file: file).contains("Events:       5 in 1 interviews"))

        let stored = try #require(try CentralStore.open(path: bench.central, readOnly: true).encryptionKey())
        let opened = InspectReport.inspect(file: file, coordinatorKey: try CoordinatorPrivateKey(rawRepresentation: stored.privateKey))
        #expect(opened.contents == "verified: 5 events, 1 definitions with matching hashes")
    }

    @Test func aTruncatedBundleIsReportedWithoutAManifest() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, _) = try bench.device("lap-1")
        try bench.interview(on: store)
        let file = try bench.bundle(store, "a.terepbundle")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: file))
        let report = InspectReport.inspect(file: file, coordinatorKey: nil)
        #expect(!report.ok && report.error?.contains("truncated") == true)
        #expect(report.text(file: file).hasSuffix("REJECTED:     \(report.error ?? "")"))
    }
}

@Suite struct ForgedCopyTests {
    @Test func aForgedCopyOfAMergedBundleIsRejectedNotSkipped() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        let file = try bench.bundle(store, "a.terepbundle")
        var merger = try bench.merger()
        #expect(merger.merge([file]).merged == 1)

        // Same manifest (so the same bundle id), a signature that is not the device's.
        let sealed = try BundleReader().open(path: file)
        let forged = BundleWriter.container(
            manifestBytes: sealed.manifestBytes, signature: Data(repeating: 7, count: sealed.signature.count),
            payload: sealed.payload)
        let forgedFile = bench.path("forged.terepbundle")
        try forged.write(to: URL(fileURLWithPath: forgedFile))
        let eventsBefore = try CentralStore.open(path: bench.central, readOnly: true).eventCount()

        let summary = merger.merge([forgedFile])
        #expect(summary.rejected == 1 && summary.alreadyMerged == 0)
        #expect(summary.bundles.first?.reason?.contains("signature") == true)
        #expect(try CentralStore.open(path: bench.central, readOnly: true).eventCount() == eventsBefore)
    }
}
