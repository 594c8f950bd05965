import CentralTestSupport
import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

/// The coordinator's fieldwork on the central dataset: publishing, the sample, assignments,
/// withdrawals and reviews, each a log entry with who and when. Written against the
/// `CentralDataset` interface, so the same tests run against every implementation of it.
@Suite("Central fieldwork: sample, assignments, log")
struct CentralFieldworkTests {
    /// A central dataset with the well-being definition published and two devices registered.
    func prepared(_ implementation: CentralImplementation) throws -> any CentralDataset {
        let store = try implementation.make()
        try store.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000)
        for device in ["lap-1", "lap-2"] {
            try store.registerDevice(DeviceID(device), publicKey: Data(device.utf8), method: .explicit, at: 1_000)
        }
        return store
    }

    static func cases(_ ids: ClosedRange<Int>, cluster: String = "B12") -> [SampleCaseInput] {
        ids.map { SampleCaseInput(id: CaseID("W-\($0)"), values: ["cluster_id": .text(cluster), "district": .choice($0 % 2 + 1)]) }
    }

    @Test(arguments: CentralImplementation.all)
    func publishingKeepsEveryVersionAndTheLatestIsCurrent(_ implementation: CentralImplementation) throws {
        let store = try implementation.make()
        try store.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000)
        try store.publish(try DefinitionFile(sampleSurvey(version: "2026.2")), actor: "Kata", at: 2_000)
        #expect(try store.publishedDefinitions()["wellbeing"] == sampleSurvey(version: "2026.2").hash)
        #expect(try store.definitionHashes().count == 2)
        // Publishing the first again makes it current again, with its own log entry.
        let third = try store.publish(try DefinitionFile(sampleSurvey()), actor: "Peti", at: 3_000)
        #expect(try store.publishedDefinitions()["wellbeing"] == sampleSurvey().hash)
        #expect(try store.publishedDefinitions(through: third - 1)["wellbeing"] == sampleSurvey(version: "2026.2").hash)
        #expect(try store.fieldworkLog().map(\.actor) == ["Kata", "Kata", "Peti"])
    }

    /// The coordinator's signing key is stored once: an empty pair and a second pair are
    /// refused with their reasons, and the first stays.
    @Test(arguments: CentralImplementation.all)
    func theSigningKeyIsStoredOnceAndNeverEmpty(_ implementation: CentralImplementation) throws {
        let store = try implementation.make()
        #expect(try store.signingKey() == nil)
        #expect(throws: StoreError.invalid("an empty signing key was given")) {
            try store.setSigningKey(SigningKeyPair(privateKey: Data(), publicKey: Data([1])))
        }
        #expect(try store.signingKey() == nil)
        let first = SigningKeyPair(privateKey: Data([1, 2]), publicKey: Data([3, 4]))
        try store.setSigningKey(first)
        #expect(throws: StoreError.invalid("the central dataset already has a signing key; keys are never replaced")) {
            try store.setSigningKey(SigningKeyPair(privateKey: Data([5]), publicKey: Data([6])))
        }
        #expect(try store.signingKey() == first)
    }

    @Test(arguments: CentralImplementation.all)
    func anAmendedImportAddsAndUpdatesAndNeverDeletes(_ implementation: CentralImplementation) throws {
        let store = try prepared(implementation)
        let first = try store.importSample(survey: "wellbeing", cases: Self.cases(1...4), file: "minta.csv", actor: "Kata", at: 2_000)
        #expect((first.added, first.updated, first.unchanged) == (4, 0, 0))
        var amended = Self.cases(2...5)
        amended[0].values["cluster_id"] = .text("B13")
        let second = try store.importSample(survey: "wellbeing", cases: amended, file: "minta2.csv", actor: "Kata", at: 3_000)
        #expect((second.added, second.updated, second.unchanged) == (1, 1, 2))
        let all = try store.sampleCases(survey: "wellbeing")
        #expect(all.map(\.id.rawValue) == ["W-1", "W-2", "W-3", "W-4", "W-5"], "W-1 is not in the amended file and stays")
        #expect(all[1].values["cluster_id"] == .text("B13"))
        #expect(all[1].updatedSequence == second.sequence && all[1].addedSequence == first.sequence)
        // The same file again changes nothing and logs nothing.
        let again = try store.importSample(survey: "wellbeing", cases: amended, file: "minta2.csv", actor: "Kata", at: 4_000)
        #expect(again.unchanged == 4 && again.sequence == nil)
        #expect(try store.fieldworkLog().filter { $0.action == .sampleImported }.map(\.text) == ["minta.csv", "minta2.csv"])

        // An address or a note given, taken away, or empty rather than missing is a change.
        amended[1].address = "Fő u. 1."
        amended[2].note = ""
        let third = try store.importSample(survey: "wellbeing", cases: amended, file: "minta3.csv", actor: "Kata", at: 5_000)
        #expect((third.added, third.updated, third.unchanged) == (0, 2, 2))
        amended[1].address = nil
        let fourth = try store.importSample(survey: "wellbeing", cases: amended, file: "minta4.csv", actor: "Kata", at: 6_000)
        #expect((fourth.added, fourth.updated, fourth.unchanged) == (0, 1, 3))
        let last = try store.sampleCases(survey: "wellbeing")
        #expect(last[2].address == nil && last[2].updatedSequence == fourth.sequence && last[3].note == "" && last[4].note == nil)
    }

    @Test(arguments: CentralImplementation.all)
    func aCaseBelongsToOneDeviceAtATimeAndMovesAreLogged(_ implementation: CentralImplementation) throws {
        let store = try prepared(implementation)
        _ = try store.importSample(survey: "wellbeing", cases: Self.cases(1...3), file: "m.csv", actor: "Kata", at: 2_000)
        let given = try store.assign(
            survey: "wellbeing",
            [
                AssignmentChange(caseID: "W-1", device: "lap-1", previous: nil),
                AssignmentChange(caseID: "W-2", device: "lap-1", previous: nil),
            ],
            actor: "Kata", at: 3_000)
        #expect(given == ["W-1", "W-2"])
        // Assigning again to the same device does nothing; to another device without --to is refused.
        #expect(
            try store.assign(
                survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-1", previous: nil)], actor: "Kata", at: 3_100
            ).isEmpty)
        #expect(throws: StoreError.refused(["case W-1 is assigned to lap-1; reassign it with --device lap-1 --to lap-2"])) {
            try store.assign(
                survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-2", previous: nil)], actor: "Kata", at: 3_200)
        }
        let moved = try store.assign(
            survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-2", previous: "lap-1")], actor: "Peti", at: 4_000)
        #expect(moved == ["W-1"])
        let log = try store.fieldworkLog(device: "lap-1").filter { $0.caseID == "W-1" }
        #expect(log.map(\.action) == [.assigned, .reassigned])
        #expect(log.last.map { ($0.actor, $0.at, $0.device, $0.previousDevice) } ?? ("", 0, nil, nil) == ("Peti", 4_000, "lap-2", "lap-1"))
        #expect(try store.sampleCases(survey: "wellbeing").map(\.device) == ["lap-2", "lap-1", nil])
    }

    @Test(arguments: CentralImplementation.all)
    func aRefusedAssignmentNamesEveryReasonAndChangesNothing(_ implementation: CentralImplementation) throws {
        let store = try prepared(implementation)
        _ = try store.importSample(survey: "wellbeing", cases: Self.cases(1...2), file: "m.csv", actor: "Kata", at: 2_000)
        try store.withdraw(survey: "wellbeing", cases: ["W-2"], reason: "demolished", actor: "Kata", at: 2_500)
        let before = try store.fieldworkThrough()
        #expect(
            throws: StoreError.refused([
                "device lap-9 is not registered; register it with terep central add-device",
                "case W-2 is withdrawn", "case W-7 is not in the sample of wellbeing",
            ])
        ) {
            try store.assign(
                survey: "wellbeing",
                [
                    AssignmentChange(caseID: "W-1", device: "lap-9", previous: nil),
                    AssignmentChange(caseID: "W-2", device: "lap-9", previous: nil),
                    AssignmentChange(caseID: "W-7", device: "lap-9", previous: nil),
                ],
                actor: "Kata", at: 3_000)
        }
        #expect(try store.fieldworkThrough() == before)
        #expect(try store.sampleCases().allSatisfy { $0.device == nil })
    }

    @Test(arguments: CentralImplementation.all)
    func aWithdrawnCaseLeavesItsDeviceAndIsLoggedWithItsReason(_ implementation: CentralImplementation) throws {
        let store = try prepared(implementation)
        _ = try store.importSample(survey: "wellbeing", cases: Self.cases(1...2), file: "m.csv", actor: "Kata", at: 2_000)
        try store.assign(survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-1", previous: nil)], actor: "Kata", at: 3_000)
        try store.withdraw(survey: "wellbeing", cases: ["W-1"], reason: "the building was demolished", actor: "Peti", at: 4_000)
        let c = try #require(try store.sampleCases(survey: "wellbeing").first)
        #expect(c.withdrawn && c.device == nil)
        let entry = try #require(try store.fieldworkLog().last)
        #expect(entry.action == .withdrawn && entry.device == "lap-1" && entry.text == "the building was demolished")
        #expect(throws: StoreError.refused(["case W-1 is already withdrawn"])) {
            try store.withdraw(survey: "wellbeing", cases: ["W-1"], reason: "again", actor: "Peti", at: 5_000)
        }
    }

    /// Merges an interview of `caseID` made on `device` (events 1…), ended with `outcome` or in progress.
    static func mergeInterview(
        _ store: any CentralDataset, _ id: InterviewID, case caseID: CaseID?, device: DeviceID, outcome: Int?, first: Int64 = 1
    ) throws {
        var kinds: [InterviewEventKind] = [.started(definition: sampleSurvey().hash, seed: 1, language: "hu", preload: [:])]
        if let caseID { kinds.append(.assignedCase(caseID)) }
        if let outcome { kinds.append(.ended(outcome: outcome)) }
        let events = kinds.enumerated().map { n, kind in
            InterviewEvent(
                device: device, sequence: first + Int64(n), interview: id, timestamp: 2_000 + Int64(n), interviewer: "I", kind: kind)
        }
        _ = try store.apply(
            events: events, definitions: [try DefinitionFile(sampleSurvey())], bundle: receipt(for: events, device: device, name: "\(id)"))
    }

    @Test(arguments: CentralImplementation.all)
    func aDecisionIsLoggedWithTheStateItJudgedAndGoesToTheCasesHolder(_ implementation: CentralImplementation) throws {
        let store = try prepared(implementation)
        _ = try store.importSample(survey: "wellbeing", cases: Self.cases(1...2), file: "m.csv", actor: "Kata", at: 2_000)
        try store.assign(survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-1", previous: nil)], actor: "Kata", at: 3_000)
        try Self.mergeInterview(store, "iv-1", case: "W-1", device: "lap-1", outcome: 11)
        try Self.mergeInterview(store, "iv-2", case: nil, device: "lap-2", outcome: nil)
        // The case moves: the decision goes to the device holding it now.
        try store.assign(
            survey: "wellbeing", [AssignmentChange(caseID: "W-1", device: "lap-2", previous: "lap-1")], actor: "Kata", at: 3_500)
        try store.review(.comment(Address("q1"), "12 éves?"), interview: "iv-1", actor: "Peti", at: 4_000)
        let rejected = try store.review(.reject(comment: "Ellenőrizze."), interview: "iv-1", actor: "Peti", at: 4_100)
        #expect(rejected.action == .rejected && rejected.device == "lap-2" && rejected.caseID == "W-1")
        #expect(rejected.reviewedDevice == "lap-1" && rejected.reviewedSequence == 3 && rejected.text == "Ellenőrizze.")
        let through = try store.fieldworkThrough()
        #expect(rejected.definition == sampleSurvey().hash && rejected.sequence == through)
        // A comment on an interview in progress is taken; an approval is refused and writes nothing.
        try store.review(.comment(Address("q1"), "?"), interview: "iv-2", actor: "Peti", at: 4_200)
        let before = try store.fieldworkThrough()
        #expect(throws: StoreError.refused(["interview iv-2 is in progress: review it once its visit has ended"])) {
            try store.review(.approve(comment: nil), interview: "iv-2", actor: "Peti", at: 4_300)
        }
        #expect(throws: StoreError.unknownInterview("iv-9")) {
            try store.review(.approve(comment: nil), interview: "iv-9", actor: "Peti", at: 4_300)
        }
        #expect(try store.fieldworkThrough() == before)
        let reviews = try store.reviewsByInterview(survey: "wellbeing")
        #expect(reviews["iv-1"]?.map(\.action) == [.commented, .rejected] && reviews["iv-2"]?.count == 1)
        #expect(reviews["iv-1"]?.first?.question == Address("q1") && reviews["iv-1"]?.first?.text == "12 éves?")
    }

    @Test(arguments: CentralImplementation.all)
    func aPackageSnapshotHoldsEveryCaseTheDeviceWasGivenAndItsDecisions(_ implementation: CentralImplementation) throws {
        let store = try prepared(implementation)
        #expect(throws: StoreError.deviceNotRegistered("lap-9")) { try store.packageSnapshot(device: "lap-9") }
        let cases = Self.cases(1...4).map { c in
            var c = c
            c.address = "Fő u. \(c.id)"
            return c
        }
        _ = try store.importSample(survey: "wellbeing", cases: cases, file: "m.csv", actor: "Kata", at: 2_000)
        let given = ["W-1", "W-2", "W-3"].map { AssignmentChange(caseID: CaseID($0), device: "lap-1", previous: nil) }
        try store.assign(survey: "wellbeing", given, actor: "Kata", at: 3_000)
        try store.assign(
            survey: "wellbeing", [AssignmentChange(caseID: "W-2", device: "lap-2", previous: "lap-1")], actor: "Peti", at: 3_100)
        try store.withdraw(survey: "wellbeing", cases: ["W-3"], reason: "lebontották", actor: "Peti", at: 3_200)
        try Self.mergeInterview(store, "iv-1", case: "W-1", device: "lap-1", outcome: 11)
        try Self.mergeInterview(store, "iv-2", case: nil, device: "lap-1", outcome: 23, first: 4)
        try store.review(.approve(comment: "rendben"), interview: "iv-1", actor: "Peti", at: 4_000)
        try store.review(.reject(comment: "újra"), interview: "iv-2", actor: "Peti", at: 4_100)
        try store.setEncryptionKey(Data(repeating: 7, count: 32), device: "lap-1", at: 4_200)
        // A later version is published: the package carries the current one.
        try store.publish(try DefinitionFile(sampleSurvey(version: "2026.2")), actor: "Kata", at: 4_300)
        let snapshot = try store.packageSnapshot(device: "lap-1")
        let through = try store.fieldworkThrough()
        #expect(snapshot.device == "lap-1" && snapshot.through == through)
        #expect(
            snapshot.cases.map { "\($0.record.id) \($0.state) \($0.changedAt) \($0.changedBy) \($0.reason ?? "-")" } == [
                "W-1 assigned 3000 Kata -", "W-2 reassigned 3100 Peti -", "W-3 withdrawn 3200 Peti lebontották",
            ])
        #expect(snapshot.cases[0].record.address == "Fő u. W-1" && snapshot.cases[0].record.assignedAt == 3_000)
        #expect(snapshot.cases[0].record.values == cases[0].values)
        #expect(snapshot.definitions.mapValues(\.survey.hash) == ["wellbeing": sampleSurvey(version: "2026.2").hash])
        #expect(
            snapshot.reviews.map { "\($0.interview) \($0.decision) \($0.text ?? "-")" } == ["iv-1 approved rendben", "iv-2 rejected újra"])
        #expect(snapshot.encryptionKey == Data(repeating: 7, count: 32))
        let other = try store.packageSnapshot(device: "lap-2")
        #expect(other.cases.map { "\($0.record.id) \($0.state)" } == ["W-2 assigned"] && other.reviews.isEmpty)
        #expect(other.encryptionKey == nil)
    }

    /// SQLite: the triggers refuse it.
    @Test func theLogAndTheSampleAreNeverEditedOrDeleted() throws {
        let store = try CentralStore.inMemory()
        try store.publish(try DefinitionFile(sampleSurvey()), actor: "Kata", at: 1_000)
        _ = try store.importSample(survey: "wellbeing", cases: Self.cases(1...1), file: "m.csv", actor: "Kata", at: 2_000)
        #expect(throws: StoreError.self) { try store.write { db in try db.execute(sql: "DELETE FROM fieldwork_log") } }
        #expect(throws: StoreError.self) { try store.write { db in try db.execute(sql: "UPDATE fieldwork_log SET actor = 'x'") } }
        #expect(throws: StoreError.self) { try store.write { db in try db.execute(sql: "DELETE FROM sample_case") } }
    }
}
