import SurveyModel
import Testing

@testable import SurveySync

private func event(
    _ device: DeviceID, _ seq: Int64, at time: Int64, _ kind: InterviewEventKind, interview: InterviewID = "iv-1"
) -> InterviewEvent {
    InterviewEvent(device: device, sequence: seq, interview: interview, timestamp: time, interviewer: "x", kind: kind)
}

private func answer(_ n: Int) -> Answer { .value(.integer(n)) }

@Test func theLatestWriteWinsAndEarlierWritesStayListed() throws {
    let events = [
        event("dev-a", 1, at: 100, .answered(Address("q1"), answer(1))),
        event("dev-b", 1, at: 200, .answered(Address("q1"), answer(2))),
        event("dev-a", 2, at: 300, .answered(Address("q2"), answer(5))),
    ]
    let r = try #require(AnswerMerge.resolve(events)["iv-1"])
    #expect(r.answers[Address("q1")] == answer(2))
    #expect(r.sources[Address("q1")] == EventID(device: "dev-b", sequence: 1))
    #expect(r.answers[Address("q2")] == answer(5))
    #expect(r.conflicts.count == 1)
    let conflict = try #require(r.conflicts.first)
    #expect(conflict.address == Address("q1"))
    #expect(conflict.writes.map(\.answer) == [answer(1), answer(2)])
    #expect(conflict.devices == ["dev-a", "dev-b"])
    #expect(conflict.disagrees)
}

@Test func equalTimestampsAreBrokenByDeviceThenSequence() throws {
    let events = [
        event("dev-b", 1, at: 100, .answered(Address("q1"), answer(2))),
        event("dev-a", 7, at: 100, .answered(Address("q1"), answer(1))),
    ]
    let r = try #require(AnswerMerge.resolve(events)["iv-1"])
    // Same time: "dev-b" sorts after "dev-a", so it is the last write.
    #expect(r.answers[Address("q1")] == answer(2))
}

@Test func aClearedAnswerIsAbsentButItsConflictIsKept() throws {
    let events = [
        event("dev-a", 1, at: 100, .answered(Address("q1", rows: [2]), answer(1))),
        event("dev-b", 4, at: 150, .cleared(Address("q1", rows: [2]))),
    ]
    let r = try #require(AnswerMerge.resolve(events)["iv-1"])
    #expect(r.answers.isEmpty)
    #expect(r.conflicts.first?.winner.answer == nil)
    #expect(r.conflicts.first?.disagrees == true)
}

@Test func twoDevicesWritingTheSameAnswerIsAConflictThatAgrees() throws {
    let events = [
        event("dev-a", 1, at: 100, .answered(Address("q1"), answer(3))),
        event("dev-b", 1, at: 120, .answered(Address("q1"), answer(3))),
    ]
    let r = try #require(AnswerMerge.resolve(events)["iv-1"])
    #expect(r.conflicts.count == 1)
    #expect(r.conflicts.first?.disagrees == false)
}

@Test func oneDeviceRewritingAnAnswerIsNotAConflict() throws {
    let events = [
        event("dev-a", 1, at: 100, .answered(Address("q1"), answer(3))),
        event("dev-a", 2, at: 120, .answered(Address("q1"), answer(4))),
    ]
    let r = try #require(AnswerMerge.resolve(events)["iv-1"])
    #expect(r.conflicts.isEmpty)
    #expect(r.answers[Address("q1")] == answer(4))
}

@Test func twoDifferentEventsUnderOneIdAreReportedAsCollisions() throws {
    let events = [
        event("dev-a", 1, at: 100, .answered(Address("q1"), answer(3))),
        event("dev-a", 1, at: 100, .answered(Address("q1"), answer(9))),
    ]
    let forward = try #require(AnswerMerge.resolve(events)["iv-1"])
    let backward = try #require(AnswerMerge.resolve(events.reversed())["iv-1"])
    #expect(forward.collisions == [EventID(device: "dev-a", sequence: 1)])
    #expect(forward == backward)
}

/// Random events from several simulated devices writing the same interviews' addresses.
private func randomEvents(seed: UInt64) -> [InterviewEvent] {
    var rng = SeededGenerator(seed: seed)
    let devices: [DeviceID] = ["dev-a", "dev-b", "dev-c", "sup-1"]
    let addresses = [Address("q1"), Address("q2"), Address("m_age", rows: [1]), Address("m_age", rows: [2])]
    var out: [InterviewEvent] = []
    for device in devices {
        let count = Int.random(in: 0...25, using: &rng)
        for seq in 1...Int64(max(count, 1)) where count > 0 {
            let address = addresses.randomElement(using: &rng) ?? Address("q1")
            let kind: InterviewEventKind =
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: .cleared(address)
                case 1: .shown(address)
                case 2: .answered(address, .special(.dontKnow))
                default: .answered(address, answer(Int.random(in: 0...3, using: &rng)))
                }
            // Few distinct timestamps so ties between devices are common.
            let time = Int64.random(in: 0...8, using: &rng) * 1000
            let interview: InterviewID = Bool.random(using: &rng) ? "iv-1" : "iv-2"
            out.append(event(device, seq, at: time, kind, interview: interview))
        }
    }
    return out
}

@Test(arguments: 1...200)
func theResultDependsOnlyOnTheSetOfEvents(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed) &* 7919)
    let events = randomEvents(seed: UInt64(seed))
    let reference = AnswerMerge.resolve(events)
    // Any order, with random duplicates (a bundle merged twice, overlapping bundles).
    var shuffled = events + (0..<Int.random(in: 0...20, using: &rng)).compactMap { _ in events.randomElement(using: &rng) }
    shuffled.shuffle(using: &rng)
    let other = AnswerMerge.resolve(shuffled)
    #expect(other == reference)
    // Nothing is lost: every write event of the input appears in a conflict or as the single device's writes.
    let distinct = Set(events).count
    #expect(reference.values.map(\.eventCount).reduce(0, +) == distinct)
}

@Test(arguments: 1...100)
func everyMultiDeviceAddressIsListedWithAllItsWrites(seed: Int) {
    let events = randomEvents(seed: UInt64(seed))
    for (interview, resolved) in AnswerMerge.resolve(events) {
        var writers: [Address: Set<DeviceID>] = [:]
        var writeCount: [Address: Int] = [:]
        for e in events where e.interview == interview {
            switch e.kind {
            case .answered(let a, _), .cleared(let a):
                writers[a, default: []].insert(e.device)
                writeCount[a, default: 0] += 1
            default: break
            }
        }
        let expected = writers.filter { $0.value.count > 1 }.keys.sorted()
        #expect(resolved.conflicts.map(\.address) == expected)
        for c in resolved.conflicts { #expect(c.writes.count == writeCount[c.address]) }
    }
}
