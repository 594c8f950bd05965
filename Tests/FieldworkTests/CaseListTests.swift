import CentralTestSupport
import Fieldwork
import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore
import SurveySync
import SurveyTestSupport
import Testing

/// The device's case list and an assigned case's interview (issue 12 §4, §5): statuses from
/// the device's own interviews, visits and review decisions; `InterviewStart.forCase` starts
/// with the sample's preloads and continues the same interview on the next visit.
///
/// The central dataset makes the device's packages here (assignments, a move, a withdrawal, a
/// review decision): the tests whose figures come from it — the states a package gives, the
/// cases it refuses, a rejection recorded at the centre — run on each central store
/// (``CentralImplementation/all``). The others are device-only (their subject is the device
/// store's own interviews and visits, which have no PostgreSQL implementation) and make their
/// package on SQLite.
@Suite("The device's case list and case interviews")
struct CaseListTests {
    /// A device with W-0001…W-0004 and E-0001 received, W-0004 then moved away and E-0001 withdrawn.
    static func device(_ f: PackageFixture) throws -> DeviceStore {
        let device = try f.device("lap-1")
        _ = try f.device("lap-2")
        try f.assign(["W-0001", "W-0002", "W-0003", "W-0004", "E-0001"], to: "lap-1")
        try f.assign(["W-0004"], to: "lap-2", from: "lap-1", at: 2_100)
        try f.central.withdraw(survey: "field", cases: ["E-0001"], reason: "duplicate", actor: "Kata", at: 2_200)
        _ = try Packages.receive(path: try f.package(for: "lap-1", "p.terepkg"), device: device, at: 3_000)
        return device
    }

    /// A clock at a local date and time (seconds step on from it).
    static func clock(_ date: String, _ time: String) -> InterviewClock {
        let local = LocalDateTime(iso: "\(date)T\(time)")!
        return .stepping(from: Moment(timestamp: LocalClock.timestamp(of: local), date: local.date, time: local.time))
    }

    static func line(_ id: CaseID, _ store: DeviceStore) throws -> CaseListEntry {
        try #require(try CaseList.load(store: store).first { $0.deviceCase.id == id })
    }

    /// A local moment's timestamp.
    static func at(_ date: String, _ time: String) -> Int64 { LocalClock.timestamp(of: LocalDateTime(iso: "\(date)T\(time)")!) }

    /// Ends the case's current visit with `code` at a local moment.
    static func end(_ id: InterviewID, _ code: Int, _ store: DeviceStore, at date: String, _ time: String) throws {
        let local = LocalDateTime(iso: "\(date)T\(time)")!
        _ = try store.append(.ended(outcome: code), interview: id, timestamp: LocalClock.timestamp(of: local))
    }

    @Test(arguments: CentralImplementation.all)
    func aReceivedPackageListsAssignedCasesAsNewAndTheOthersAfterThem(_ central: CentralImplementation) throws {
        let f = try PackageFixture(on: central)
        defer { f.remove() }
        let store = try Self.device(f)
        let list = try CaseList.load(store: store)
        #expect(
            list.map { "\($0.deviceCase.id) \($0.status.word) \($0.next.rawValue)" } == [
                "W-0001 new first_visit", "W-0002 new first_visit", "W-0003 new first_visit",
                "E-0001 withdrawn none", "W-0004 moved none",
            ])
        #expect(list[0].deviceCase.address == "Szondi György u. 3, 2/7" && list[0].lastVisit == nil)
        let json = try CaseListJSON.encode(list)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(objects.count == 5 && objects[0]["case_id"] as? String == "W-0001" && objects[0]["status"] as? String == "new")
        #expect(objects[3]["state"] as? String == "withdrawn")
    }

    @Test func aCasesInterviewStartsWithItsPreloadsAnsweredAndTheCaseAsItsLabel() throws {
        let f = try PackageFixture()
        defer { f.remove() }
        let store = try Self.device(f)
        let started = try InterviewStart.forCase(
            "W-0001", store: store, options: InterviewStartOptions(seed: 7), clock: Self.clock("2026-10-05", "10:00"))
        guard case .began(let prepared) = started else { Issue.record("not a new interview: \(started)"); return }
        let interview = prepared.interview
        #expect(interview.answer(at: Address("district")) == .value(.choice(6)))
        #expect(interview.answer(at: Address("cluster_id")) == .value(.text("B12")))
        #expect(interview.answer(at: Address("int_id")) == .value(.text("I-lap-1")), "the automatic visit data too")
        #expect(interview.preloadedValues["address_id"] == .text("A0001"))
        let record = try #require(try store.interview(id: prepared.id))
        #expect(record.caseID == "W-0001" && record.definition == f.compiled.hash)
        #expect(try store.events(interview: prepared.id).map(\.kind).contains(.assignedCase("W-0001")))
        let line = try Self.line("W-0001", store)
        #expect(line.status == .inProgress && line.next == .continueInterview && line.interview == prepared.id)
        guard case .resumed(let again) = try InterviewStart.forCase("W-0001", store: store, options: .init()) else {
            Issue.record("an interview in progress is resumed")
            return
        }
        #expect(again.id == prepared.id)
    }

    /// Brief 1 §9: a non-contact becomes final only after 3 visits on different days, one of
    /// them from 17:00 or at a weekend; each visit continues the same interview.
    @Test func nonContactsAreVisitsOfOneInterviewAndFinalOnlyAfterTheThirdOnDifferentDays() throws {
        let f = try PackageFixture()
        defer { f.remove() }
        let store = try Self.device(f)
        let first = try InterviewStart.forCase("W-0002", store: store, options: .init(), clock: Self.clock("2026-10-05", "10:00"))
        let id = first.prepared.id
        try Self.end(id, 23, store, at: "2026-10-05", "10:02")
        var line = try Self.line("W-0002", store)
        #expect(line.status == .visited(1) && line.next == .visitAgain && line.lastVisit?.outcome == 23)
        for (visit, (date, time)) in [(2, ("2026-10-06", "11:00")), (3, ("2026-10-07", "18:00"))] {
            let next = try InterviewStart.forCase("W-0002", store: store, options: .init(), clock: Self.clock(date, time))
            guard case .reopened(let prepared, let number) = next else { Issue.record("visit \(visit): \(next)"); return }
            #expect(prepared.id == id && number == visit)
            try Self.end(id, 23, store, at: date, String(time.prefix(3)) + "05")
            line = try Self.line("W-0002", store)
            #expect(line.visits.count == visit)
        }
        #expect(line.status == .final && line.next == .none)
        #expect(line.visits.map(\.outcome) == [23, 23, 23] && line.lastVisit?.start.description == "2026-10-07T18:00:00")
        #expect(throws: CaseInterviewError.self) {
            try InterviewStart.forCase("W-0002", store: store, options: .init())
        }
    }

    /// `.z 25` answers the outcome question with the visit's code; the next visit must not keep
    /// it, or completing the interview would export outcome 25 beside iv_outcome 11.
    @Test func theNextVisitClearsTheOutcomeAnswerThePreviousVisitEndedWith() throws {
        let f = try PackageFixture()
        defer { f.remove() }
        let store = try Self.device(f)
        let id = try InterviewStart.forCase("W-0003", store: store, options: .init(), clock: Self.clock("2026-10-05", "10:00"))
            .prepared.id
        _ = try store.append(.answered(Address("outcome"), .value(.choice(25))), interview: id, timestamp: Self.at("2026-10-05", "10:02"))
        try Self.end(id, 25, store, at: "2026-10-05", "10:03")
        let next = try InterviewStart.forCase("W-0003", store: store, options: .init(), clock: Self.clock("2026-10-08", "17:30"))
        #expect(next.prepared.interview.answer(at: Address("outcome")) == nil)
        let kinds = try store.events(interview: id).suffix(2).map(\.kind)
        #expect(kinds == [.reopened(reason: "visit 2"), .cleared(Address("outcome"))])
        // An outcome answer that is not the code the visit ended with is the interviewer's: kept.
        _ = try store.append(.answered(Address("outcome"), .value(.choice(21))), interview: id, timestamp: Self.at("2026-10-08", "17:39"))
        try Self.end(id, 23, store, at: "2026-10-08", "17:40")
        let third = try InterviewStart.forCase("W-0003", store: store, options: .init(), clock: Self.clock("2026-10-10", "18:00"))
        #expect(third.prepared.interview.answer(at: Address("outcome")) == .value(.choice(21)))
    }

    /// The rejection is the supervisor's decision on each central store: the device's events
    /// merged there, `terep review --reject` recorded, and the next package received.
    @Test(arguments: CentralImplementation.all)
    func anAppointmentACompletionAndARejectionEachSayWhatIsNext(_ central: CentralImplementation) throws {
        let f = try PackageFixture(on: central)
        defer { f.remove() }
        let store = try Self.device(f)
        let id = try InterviewStart.forCase("W-0003", store: store, options: .init(), clock: Self.clock("2026-10-05", "10:00"))
            .prepared.id
        try Self.end(id, 25, store, at: "2026-10-05", "10:03")
        #expect(try Self.line("W-0003", store).status == .appointment)
        #expect(try Self.line("W-0003", store).next == .keepAppointment)
        _ = try InterviewStart.forCase("W-0003", store: store, options: .init(), clock: Self.clock("2026-10-08", "17:30"))
        try Self.end(id, 11, store, at: "2026-10-08", "17:50")
        var line = try Self.line("W-0003", store)
        #expect(line.status == .completed && line.next == .awaitReview && line.visits.count == 2)
        #expect {
            try InterviewStart.forCase("W-0003", store: store, options: .init())
        } throws: { error in "\(error)".contains("waits for the supervisor's review") }

        // The supervisor's rejection at the centre arrives in the next package.
        let events = try store.events(interview: id)
        let receipt = BundleReceipt(
            hash: "bundle-lap-1", fileName: "lap-1.terepbundle", device: store.deviceID, firstSequence: events[0].sequence,
            lastSequence: events[events.count - 1].sequence, receivedAt: 8_000)
        _ = try f.central.apply(events: events, definitions: [try DefinitionFile(f.compiled)], bundle: receipt)
        try f.central.review(.reject(comment: "age looks wrong"), interview: id, actor: "Kata", at: 9_000)
        _ = try Packages.receive(path: try f.package(for: "lap-1", "p2.terepkg"), device: store, at: 9_500)
        line = try Self.line("W-0003", store)
        #expect(line.status == .rejected && line.next == .fix && line.rejection == "age looks wrong" && line.review == .rejected)
        guard case .fixing(let prepared) = try InterviewStart.forCase("W-0003", store: store, options: .init()) else {
            Issue.record("a rejected interview is reopened to fix")
            return
        }
        #expect(prepared.id == id)
        #expect(try Self.line("W-0003", store).status == .inProgress, "the fix is under way")
        #expect(try Self.line("W-0003", store).review == .fixed)
    }

    /// The case list speaks the first language its cases' questionnaires share: `terep
    /// interview`'s texts follow the questionnaire's first language, the list's those of its cases.
    @Test func theListsLanguageIsTheFirstLanguageItsQuestionnairesShare() throws {
        let hungarian = try CentralFixture.compile(ReportCasesTests.source)  // languages hu en
        let english = try CentralFixture.compile(
            """
            survey en1 {
              title en "English first" hu "Angol elöl"
              version "1"
              languages en hu
            }
            question q integer 0..9 { text en "Q?" hu "K?" }
            """)
        let store = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "Anna")
        func deviceCase(_ compiled: CompiledSurvey, _ id: CaseID) -> DeviceCase {
            DeviceCase(
                survey: compiled.definition.id, id: id, definition: compiled.hash, values: [:], state: .assigned, changedAt: 1,
                changedBy: "Kata")
        }
        try store.applyPackage(
            DevicePackage(
                through: 1, createdAt: 1, definitions: [try DefinitionFile(hungarian), try DefinitionFile(english)],
                cases: [deviceCase(hungarian, "A1"), deviceCase(english, "E1"), deviceCase(english, "E2")], reviews: []),
            receivedAt: 1)
        let device = InterviewerDevice(store: store)
        let entries = try device.cases()
        #expect(entries.count == 3)
        #expect(device.firstLanguage(of: entries) == nil, "they differ")
        #expect(device.firstLanguage(of: entries.filter { $0.deviceCase.survey == "en1" }) == "en")
        #expect(device.firstLanguage(of: entries.filter { $0.deviceCase.id == "A1" }) == "hu")
        #expect(device.firstLanguage(of: []) == nil)
    }

    @Test(arguments: CentralImplementation.all)
    func movedWithdrawnAndUnknownCasesAreRefusedWithWhy(_ central: CentralImplementation) throws {
        let f = try PackageFixture(on: central)
        defer { f.remove() }
        let store = try Self.device(f)
        for (id, words) in [("W-0004", "moved to another device"), ("E-0001", "withdrawn"), ("W-9999", "not one of this device's 5 cases")]
        {
            #expect {
                try InterviewStart.forCase(CaseID(id), store: store, options: .init())
            } throws: { error in "\(error)".contains(words) }
        }
        let empty = try DeviceStore.inMemory(deviceID: "lap-9", interviewer: "I")
        #expect(try CaseList.load(store: empty).isEmpty)
        #expect {
            try InterviewStart.forCase("W-0001", store: empty, options: .init())
        } throws: { error in "\(error)".contains("receive the coordinator's package first") }
    }

    /// `terep simulate --device-db D` on a device with cases: every open case is visited, the
    /// 3-visit rule is kept, and the same seed gives the same state.
    @Test func simulatingAssignedCasesVisitsEachOpenCaseByTheFinalRules() throws {
        var states: [[String]] = []
        for _ in 0..<2 {
            let f = try PackageFixture()
            defer { f.remove() }
            let store = try Self.device(f)
            var rng = SplitMix64(seed: 42)
            var simulation = CaseSimulation()
            simulation.nonContactRate = 0.6
            let summary = try simulation.run(store: store, rng: &rng)
            #expect(summary.cases == 3 && summary.visits >= 3)
            let list = try CaseList.load(store: store)
            for line in list where line.deviceCase.state == .assigned {
                #expect(line.status != .new && !line.visits.isEmpty, "\(line.deviceCase.id)")
                if line.status == .final, line.lastVisit?.outcome == 23 {
                    #expect(Set(line.visits.map(\.start.date)).count >= 3, "23 is final only after 3 visits on different days")
                }
                if case .visited = line.status { #expect(line.visits.count == simulation.maxVisits) }
                let id = try #require(line.interview)
                let record = try #require(try store.interview(id: id))
                #expect(record.caseID == line.deviceCase.id)
                #expect(record.caseIdentifiers["cluster_id"] != nil, "preloads from the sample")
            }
            #expect(list.filter { $0.deviceCase.state != .assigned }.allSatisfy { $0.interview == nil })
            states.append(list.map { "\($0.deviceCase.id) \($0.status.word) \($0.visits.count)" })
        }
        #expect(states[0] == states[1])
    }
}
