import Foundation
import SurveyModel
import Testing

@testable import SurveySync

/// A fresh empty directory for one test.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "terep-sync-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Test func aWrittenBundleReadsBackWithTheSameContents() throws {
    let key = DeviceSigningKey()
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(interviews: 4, perInterview: 6, definition: def.hash), definition: def)
    let dir = try temporaryDirectory()
    let path = dir + "/dev-a.terepbundle"
    let manifest = try BundleWriter.write(contents, device: "dev-a", signingKey: key, createdAtMillis: 1_764_000_000_000, to: path)
    #expect(manifest.eventCount == 24)
    #expect(manifest.interviewCount == 4)
    #expect(manifest.sequenceRange == .init(first: 1, last: 24))
    #expect(manifest.definitions == [def.hash])
    #expect(manifest.encryption == nil)
    // Only the bundle is left: the temporary file was renamed into place.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["dev-a.terepbundle"])
    // Owner-only: a plaintext bundle holds answers.
    let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(permissions == 0o600)

    let verified = try BundleReader().read(path: path, devices: { _ in .registered(key.publicKey) }, coordinatorKey: nil)
    #expect(verified.contents == contents)
    #expect(verified.manifest == manifest)
    #expect(verified.definitions[def.hash]?.definition == Fixtures.definition())
}

@Test func aTrainingMarkTravelsInABundle() throws {
    let key = DeviceSigningKey()
    let def = Fixtures.definitionFile()
    var events = Fixtures.events(interviews: 2, perInterview: 3, definition: def.hash)
    let marked = try #require(events.first)
    events.insert(
        InterviewEvent(
            device: "dev-a", sequence: 0, interview: marked.interview, timestamp: marked.timestamp, interviewer: marked.interviewer,
            kind: .trainingMarked(true)), at: 1)
    for i in events.indices { events[i].sequence = Int64(i + 1) }
    let contents = Fixtures.contents(events, definition: def)
    let path = try temporaryDirectory() + "/dev-a.terepbundle"
    _ = try BundleWriter.write(contents, device: "dev-a", signingKey: key, createdAtMillis: 1_764_000_000_000, to: path)
    let read = try BundleReader().read(path: path, devices: { _ in .registered(key.publicKey) }, coordinatorKey: nil)
    #expect(read.contents == contents)
    #expect(read.contents.events.filter { $0.kind == .trainingMarked(true) }.map(\.interview) == [marked.interview])
}

@Test func anEncryptedBundleOpensOnlyWithTheCoordinatorKey() throws {
    let key = DeviceSigningKey()
    let coordinator = CoordinatorPrivateKey()
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(definition: def.hash), definition: def)
    let (data, manifest) = try BundleWriter.encode(
        contents, device: "dev-a", signingKey: key, recipient: coordinator.publicKey, createdAtMillis: 0)
    #expect(manifest.encryption?.recipient == coordinator.publicKey.fingerprint)
    let reader = BundleReader()
    let verified = try reader.read(data, file: "b", devices: { _ in .registered(key.publicKey) }, coordinatorKey: coordinator)
    #expect(verified.contents == contents)
    // Without the key, the manifest and signature still check (inspect), the payload does not open.
    let sealed = try reader.open(data, file: "b")
    try sealed.verify(signedBy: key.publicKey)
    #expect(throws: BundleError(file: "b", kind: .encryptedNoKey(recipient: coordinator.publicKey.fingerprint))) {
        try sealed.unseal(coordinatorKey: nil)
    }
}

@Test func theManifestCarriesNoAnswersOrNames() throws {
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(definition: def.hash), definition: def)
    let (data, _) = try BundleWriter.encode(contents, device: "dev-a", signingKey: DeviceSigningKey(), createdAtMillis: 0)
    let sealed = try BundleReader().open(data, file: "b")
    let text = String(decoding: sealed.manifestBytes, as: UTF8.self)
    #expect(!text.contains("Kovács"))
    #expect(!text.contains("hh_size"))
    #expect(!text.contains("-iv-"))
    #expect(text.contains("\"device\":\"dev-a\""))
}

@Test func anEmptyBundleIsValidAndHasNoRange() throws {
    let key = DeviceSigningKey()
    let contents = BundleContents(events: [], definitionFiles: [:], interviewDefinitions: [:])
    let (data, manifest) = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 0)
    #expect(manifest.sequenceRange == nil)
    let verified = try BundleReader().read(data, file: "b", devices: { _ in .registered(key.publicKey) }, coordinatorKey: nil)
    #expect(verified.contents.events.isEmpty)
}

@Test func theSameContentsGiveTheSameBundleId() throws {
    let key = DeviceSigningKey()
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(definition: def.hash), definition: def)
    let a = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 5).data
    let b = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 5).data
    let reader = BundleReader()
    #expect(try reader.open(a, file: "a").id == reader.open(b, file: "b").id)
}

@Test func theWriterRefusesEventsOfAnotherDevice() throws {
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(device: "dev-b", definition: def.hash), definition: def)
    #expect(throws: BundleError.self) {
        try BundleWriter.encode(contents, device: "dev-a", signingKey: DeviceSigningKey(), createdAtMillis: 0)
    }
}

@Test func theWriterSortsEventsBySequence() throws {
    let key = DeviceSigningKey()
    let def = Fixtures.definitionFile()
    let events = Fixtures.events(definition: def.hash)
    let contents = Fixtures.contents(events.reversed(), definition: def)
    let (data, _) = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 0)
    let verified = try BundleReader().read(data, file: "b", devices: { _ in .registered(key.publicKey) }, coordinatorKey: nil)
    #expect(verified.contents.events == events)
}

@Test func eventJSONCompressesWithinTheRatioCap() throws {
    // The ratio cap must leave room for real data: measure a realistic payload.
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(interviews: 200, perInterview: 50, definition: def.hash), definition: def)
    let plain = try BundlePayload.encode(contents)
    let compressed = try #require(Zlib.deflate(plain))
    let ratio = Double(plain.count) / Double(compressed.count)
    #expect(ratio > 2)
    #expect(ratio < Double(BundleLimits.default.maxRatio) / 2)
}

/// A process id no process has (searched downwards from a high number).
private func deadProcessID() -> Int32 {
    var pid: Int32 = 4_000_000
    while kill(pid, 0) == 0 || errno != ESRCH { pid -= 1 }
    return pid
}

@Test func writingABundleRemovesTemporariesLeftByAKilledWriterButNotALiveOnes() throws {
    let key = DeviceSigningKey()
    let def = Fixtures.definitionFile()
    let contents = Fixtures.contents(Fixtures.events(interviews: 1, perInterview: 3, definition: def.hash), definition: def)
    let dir = try temporaryDirectory()
    let stale = ".dev-a.terepbundle.tmp-\(deadProcessID())-12345"
    let live = ".dev-a.terepbundle.tmp-\(getpid())-777"
    let otherFile = ".dev-b.terepbundle.tmp-\(deadProcessID())-1"
    for name in [stale, live, otherFile] {
        #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("partial".utf8)))
    }
    _ = try BundleWriter.write(contents, device: "dev-a", signingKey: key, createdAtMillis: 0, to: dir + "/dev-a.terepbundle")
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
    #expect(left == ["dev-a.terepbundle", live, otherFile])
}
