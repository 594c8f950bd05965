import CentralTestSupport
import Fieldwork
import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore
import SurveySync
import SurveyTestSupport
import Testing

/// A central dataset (SQLite or PostgreSQL) with the field trial's questionnaire published, its
/// sample loaded and a signing key, and devices set up with the coordinator's key
/// (docs/package-format.md).
struct PackageFixture {
    let dir: URL
    let central: any CentralDataset
    let coordinator = CoordinatorSigningKey()
    let compiled: CompiledSurvey

    init(on store: CentralImplementation = .sqlite) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("terep-packages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        central = try store.make()
        try central.setSigningKey(
            SigningKeyPair(privateKey: coordinator.rawRepresentation, publicKey: coordinator.publicKey.rawRepresentation))
        let definition = Scenario.compile(source: FieldTrialSurvey.source)
        compiled = CompiledSurvey(definition: definition, hash: try DefinitionFiles.hash(of: definition))
        try central.publish(try DefinitionFile(compiled), actor: "Kata", at: 1_000)
        let sample = SampleFile(bytes: Array(FieldTrialSurvey.sample.utf8), file: "minta.csv", definition: definition)
        let inputs = sample.cases.map { SampleCaseInput(id: $0.id, values: $0.values, address: $0.address, note: $0.note) }
        try central.importSample(survey: "field", cases: inputs, file: "minta.csv", actor: "Kata", at: 1_100)
    }

    /// A device trusting this coordinator (or `key`), registered at the centre with its
    /// encryption key when `encrypted`.
    func device(
        _ id: String, encrypted: Bool = true, sealing: DeviceEncryptionPrivateKey = DeviceEncryptionPrivateKey(),
        trusting key: CoordinatorVerifyingKey? = nil
    ) throws -> DeviceStore {
        let store = try copyOfDevice(id, sealing: sealing, trusting: key)
        try central.registerDevice(DeviceID(id), publicKey: Data(id.utf8), method: .explicit, at: 1_000)
        if encrypted { try central.setEncryptionKey(sealing.publicKey.rawRepresentation, device: DeviceID(id)) }
        return store
    }

    /// A fresh database of a device already registered: the same id and keys, nothing received.
    func copyOfDevice(
        _ id: String, sealing: DeviceEncryptionPrivateKey, trusting key: CoordinatorVerifyingKey? = nil
    ) throws -> DeviceStore {
        let store = try DeviceStore.inMemory(deviceID: DeviceID(id), interviewer: "I-\(id)")
        try store.setCoordinatorKey((key ?? coordinator.publicKey).rawRepresentation)
        try store.setEncryptionKey(SigningKeyPair(privateKey: sealing.rawRepresentation, publicKey: sealing.publicKey.rawRepresentation))
        return store
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func assign(_ cases: [String], to device: String, from previous: String? = nil, at time: Int64 = 2_000) throws {
        try central.assign(
            survey: "field",
            cases.map { AssignmentChange(caseID: CaseID($0), device: DeviceID(device), previous: previous.map(DeviceID.init)) },
            actor: "Kata", at: time)
    }

    /// Writes the device's package now to `name`.
    @discardableResult
    func package(for device: String, _ name: String) throws -> String {
        let file = path(name)
        _ = try Packages.create(central: central, device: DeviceID(device), to: file, at: 5_000)
        return file
    }

    /// What a device holds from its packages, to compare states.
    static func state(of store: DeviceStore) throws -> [String] {
        try store.assignedCases().map { "\($0.survey) \($0.id) \($0.state.rawValue) \($0.definition.short)" }
            + store.reviewMarks().values.joined().sorted { $0.sequence < $1.sequence }.map {
                "review \($0.interview) \($0.decision) \($0.question.map(\.description) ?? "-") \($0.text ?? "-")"
            }
            + ["through \(try store.packageThrough())"]
    }

    /// Merges an interview of `caseID` made on `device` and ended with `outcome`.
    func mergeEnded(_ id: InterviewID, case caseID: CaseID, device: DeviceID, outcome: Int) throws {
        let kinds: [InterviewEventKind] = [
            .started(definition: compiled.hash, seed: 1, language: "hu", preload: [:]), .assignedCase(caseID), .ended(outcome: outcome),
        ]
        let events = kinds.enumerated().map { n, kind in
            InterviewEvent(device: device, sequence: Int64(n + 1), interview: id, timestamp: 2_000 + Int64(n), interviewer: "I", kind: kind)
        }
        let receipt = BundleReceipt(
            hash: "bundle-\(id)", fileName: "\(id).terepbundle", device: device, firstSequence: 1, lastSequence: Int64(events.count),
            receivedAt: 2_050)
        _ = try central.apply(events: events, definitions: [try DefinitionFile(compiled)], bundle: receipt)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}

@Suite("Packages from the coordinator to a device")
struct PackageTests {
    @Test(arguments: CentralImplementation.all)
    func aPackageCarriesTheDevicesCasesWithTheirPreloadsAndQuestionnaire(_ store: CentralImplementation) throws {
        let f = try PackageFixture(on: store)
        defer { f.remove() }
        let device = try f.device("lap-1")
        try f.assign(["W-0001", "W-0002"], to: "lap-1")
        let file = try f.package(for: "lap-1", "lap-1.terepkg")
        let receipt = try Packages.receive(path: file, device: device, at: 6_000)
        #expect(receipt == .applied(through: try f.central.fieldworkThrough(), cases: 2, reviews: 0))
        let cases = try device.assignedCases()
        #expect(cases.map(\.id.rawValue) == ["W-0001", "W-0002"])
        #expect(cases[0].values["district"] == .choice(6) && cases[0].values["cluster_id"] == .text("B12"))
        #expect(cases[0].address == "Szondi György u. 3, 2/7" && cases[0].state == .assigned && cases[0].changedBy == "Kata")
        #expect(cases[0].definition == f.compiled.hash)
        #expect(try device.definition(hash: f.compiled.hash) != nil, "the questionnaire came with the package")
    }

    @Test(arguments: CentralImplementation.all)
    func theSamePackageTwiceOrAnOlderOneAfterANewerChangesNothing(_ store: CentralImplementation) throws {
        let f = try PackageFixture(on: store)
        defer { f.remove() }
        let device = try f.device("lap-1")
        try f.assign(["W-0001"], to: "lap-1")
        let older = try f.package(for: "lap-1", "old.terepkg")
        let first = try f.central.fieldworkThrough()
        try f.assign(["W-0002", "W-0003"], to: "lap-1", at: 3_000)
        let newer = try f.package(for: "lap-1", "new.terepkg")
        let second = try f.central.fieldworkThrough()
        #expect(second > first)
        _ = try Packages.receive(path: newer, device: device, at: 6_000)
        let after = try PackageFixture.state(of: device)
        #expect(try Packages.receive(path: newer, device: device, at: 7_000) == .alreadyApplied(through: second, current: second))
        #expect(try Packages.receive(path: older, device: device, at: 8_000) == .alreadyApplied(through: first, current: second))
        #expect(try PackageFixture.state(of: device) == after)
    }

    @Test(arguments: CentralImplementation.all)
    func aMovedCaseIsToldToTheFirstDeviceAndAWithdrawnOneToItsDevice(_ store: CentralImplementation) throws {
        let f = try PackageFixture(on: store)
        defer { f.remove() }
        let one = try f.device("lap-1"), two = try f.device("lap-2", encrypted: false)
        try f.assign(["W-0001", "W-0002"], to: "lap-1")
        try f.assign(["W-0001"], to: "lap-2", from: "lap-1", at: 3_000)
        try f.central.withdraw(survey: "field", cases: ["W-0002"], reason: "lebontották", actor: "Peti", at: 4_000)
        _ = try Packages.receive(path: try f.package(for: "lap-1", "1.terepkg"), device: one, at: 6_000)
        _ = try Packages.receive(path: try f.package(for: "lap-2", "2.terepkg"), device: two, at: 6_000)
        let first = try one.assignedCases()
        #expect(first.map { "\($0.id) \($0.state.rawValue)" } == ["W-0001 reassigned", "W-0002 withdrawn"])
        #expect(first[1].reason == "lebontották" && first[1].changedBy == "Peti")
        #expect(try two.assignedCases().map { "\($0.id) \($0.state.rawValue)" } == ["W-0001 assigned"])
    }

    /// Done means: any order and repetition of packages on a device gives the same state as the
    /// newest package alone — its cases and the review decisions on its interviews.
    @Test(arguments: CentralImplementation.all, 0..<8 as Range<UInt64>)
    func anyOrderAndRepetitionOfPackagesGivesTheNewestState(_ store: CentralImplementation, seed: UInt64) throws {
        let f = try PackageFixture(on: store)
        defer { f.remove() }
        let sealing = DeviceEncryptionPrivateKey()
        _ = try f.device("lap-1", sealing: sealing)
        _ = try f.device("lap-2")
        // The supervisor's decisions on lap-1's interview of W-0001 travel in the packages too.
        let review = { (decision: ReviewDecision, at: Int64) throws -> Void in
            try f.central.review(decision, interview: "iv-w1", actor: "Kata", at: at)
        }
        let steps: [() throws -> Void] = [
            { try f.assign(["W-0001", "W-0002"], to: "lap-1") },
            { try f.mergeEnded("iv-w1", case: "W-0001", device: "lap-1", outcome: 11) },
            { try review(.comment(Address("age"), "17?"), 2_060) },
            { try f.assign(["W-0003"], to: "lap-1", at: 2_100) },
            { try review(.reject(comment: "Az életkor hibás."), 2_150) },
            { try f.assign(["W-0002"], to: "lap-2", from: "lap-1", at: 2_200) },
            { try f.central.withdraw(survey: "field", cases: ["W-0003"], reason: "üres", actor: "Kata", at: 2_300) },
            { try review(.approve(comment: nil), 2_350) },
            { try f.assign(["W-0004", "E-0001"], to: "lap-1", at: 2_400) },
        ]
        var packages: [String] = []
        for (i, step) in steps.enumerated() {
            try step()
            packages.append(try f.package(for: "lap-1", "p\(i).terepkg"))
        }
        var rng = SplitMix64(seed: seed)
        var order = packages
        for _ in 0..<(Int(rng.next() % 5) + 1) { order.append(packages[Int(rng.next() % UInt64(packages.count))]) }
        order.shuffle(using: &rng)
        let shuffled = try f.copyOfDevice("lap-1", sealing: sealing)
        for file in order { _ = try Packages.receive(path: file, device: shuffled, at: 9_000) }
        let newestOnly = try f.copyOfDevice("lap-1", sealing: sealing)
        _ = try Packages.receive(path: packages[packages.count - 1], device: newestOnly, at: 9_000)
        let state = try PackageFixture.state(of: shuffled)
        #expect(state == (try PackageFixture.state(of: newestOnly)), "order \(order.map { URL(fileURLWithPath: $0).lastPathComponent })")
        let h = f.compiled.hash.short
        #expect(
            state == [
                "field E-0001 assigned \(h)", "field W-0001 assigned \(h)", "field W-0002 reassigned \(h)",
                "field W-0003 withdrawn \(h)", "field W-0004 assigned \(h)",
                "review iv-w1 commented age 17?", "review iv-w1 rejected - Az életkor hibás.", "review iv-w1 approved - -",
                "through \(try f.central.fieldworkThrough())",
            ])
    }

    @Test(arguments: CentralImplementation.all)
    func aRefusedPackageChangesNothingOnTheDevice(_ store: CentralImplementation) throws {
        let f = try PackageFixture(on: store)
        defer { f.remove() }
        let one = try f.device("lap-1"), two = try f.device("lap-2", encrypted: false)
        try f.assign(["W-0001"], to: "lap-1")
        try f.assign(["W-0002"], to: "lap-2")
        _ = try Packages.receive(path: try f.package(for: "lap-1", "mine.terepkg"), device: one, at: 6_000)
        let before = try PackageFixture.state(of: one)
        try f.assign(["W-0003"], to: "lap-1", at: 3_000)
        let refusals: [(String, String)] = [
            (try f.package(for: "lap-2", "theirs.terepkg"), "this package is for device 'lap-2', and this is device 'lap-1'"),
            (f.path("missing.terepkg"), "missing.terepkg"),
        ]
        for (file, message) in refusals {
            #expect {
                try Packages.receive(path: file, device: one, at: 7_000)
            } throws: { error in
                "\(error)".hasPrefix(DisplayText.escaped(file)) && "\(error)".contains(message)
            }
        }
        let other = try PackageFixture(on: store)
        defer { other.remove() }
        let stranger = try other.device("lap-1")  // set up by another central dataset
        #expect {
            try Packages.receive(path: try f.package(for: "lap-1", "new.terepkg"), device: stranger, at: 7_000)
        } throws: { error in "\(error)".contains("but this device trusts coordinator key") }
        #expect(try stranger.assignedCases().isEmpty && stranger.packageThrough() == 0)
        #expect(try PackageFixture.state(of: one) == before)
        _ = two
    }
}
