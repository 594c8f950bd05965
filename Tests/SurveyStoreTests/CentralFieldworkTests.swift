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

    @Test(arguments: CentralImplementation.fieldwork)
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

    @Test(arguments: CentralImplementation.fieldwork)
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
    }

    @Test(arguments: CentralImplementation.fieldwork)
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

    @Test(arguments: CentralImplementation.fieldwork)
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

    @Test(arguments: CentralImplementation.fieldwork)
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
