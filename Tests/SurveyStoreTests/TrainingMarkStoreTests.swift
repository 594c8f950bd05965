import Foundation
import SurveyModel
import Testing

@testable import SurveyStore

@Suite("Marking an existing interview as training on the device") struct TrainingMarkStoreTests {
    @Test("marking appends one trainingMarked event with the device's interviewer and flips is_test", arguments: StoreLocation.allCases)
    func markAndUnmark(location: StoreLocation) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(location, in: folder)
        let real = try startInterview(store)
        _ = try store.append(.ended(outcome: 11), interview: real.id, timestamp: 1_500)
        let on = try store.markTraining(true, interview: real.id, timestamp: 9_000)
        guard case .marked(let event) = on else { Issue.record("expected an appended event, got \(on)"); return }
        #expect(event.kind == .trainingMarked(true) && event.interviewer == "Kiss Anna" && event.device == store.deviceID)
        #expect(event.timestamp == 9_000 && event.sequence == 3)
        let marked = try #require(try store.interview(id: real.id))
        #expect(marked.isTest && marked.status == .completed && marked.eventCount == 3)
        #expect(try store.events(interview: real.id).last == event)
        let off = try store.markTraining(false, interview: real.id, timestamp: 9_100)
        #expect(off != .unchanged)
        #expect(try !(#require(try store.interview(id: real.id)).isTest))
        #expect(try store.events(interview: real.id).map(\.kind).suffix(2) == [.trainingMarked(true), .trainingMarked(false)])
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test("a mark equal to the current one writes nothing", arguments: [false, true])
    func sameMarkWritesNothing(isTest: Bool) throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.inMemory, in: folder)
        let interview = try startInterview(store, isTest: isTest)
        let before = try store.info().nextSequence
        #expect(try store.markTraining(isTest, interview: interview.id, timestamp: 5_000) == .unchanged)
        #expect(try store.info().nextSequence == before)
        #expect(try store.interview(id: interview.id)?.isTest == isTest)
    }

    @Test("an unknown interview is refused and nothing is written")
    func unknownInterview() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.onDisk, in: folder)
        _ = try startInterview(store)
        let before = try store.info().nextSequence
        #expect(throws: StoreError.unknownInterview("nope")) { try store.markTraining(true, interview: "nope") }
        #expect(try store.info().nextSequence == before)
    }

    @Test("a device clock behind the last mark still makes the new mark the latest by timestamp")
    func clockBehindTheLastMark() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let store = try makeStore(.inMemory, in: folder)
        let test = try startInterview(store, at: 50_000, isTest: true)
        guard case .marked(let event) = try store.markTraining(false, interview: test.id, timestamp: 10_000) else {
            Issue.record("expected an appended event")
            return
        }
        #expect(event.timestamp == 50_000)
        let marks = try store.events(interview: test.id).filter { if case .trainingMarked = $0.kind { true } else { false } }
        let latest = try #require(marks.max { ($0.timestamp, $0.sequence) < ($1.timestamp, $1.sequence) })
        #expect(latest.kind == .trainingMarked(false))
    }

    @Test("a read-only store refuses the mark")
    func readOnlyStore() throws {
        let folder = try TempFolder()
        defer { folder.cleanUp() }
        let interview = try startInterview(try makeStore(.onDisk, in: folder))
        let readOnly = try DeviceStore.open(path: folder.path("device.sqlite"), readOnly: true)
        #expect(throws: StoreError.self) { try readOnly.markTraining(true, interview: interview.id) }
        #expect(try readOnly.interview(id: interview.id)?.isTest == false)
    }
}
