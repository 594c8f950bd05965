import Foundation
import InterviewEngine
import SurveyModel
import SurveyStore
import Testing

@testable import Fieldwork

/// Simulated interview ids are unique per device whatever the seed (issue 17, point 6).
struct SimulationTests {
    static func ids(_ store: DeviceStore, _ compiled: CompiledSurvey, seed: UInt64, count: Int) throws -> [InterviewID] {
        try store.saveDefinition(compiled)
        var rng = SplitMix64(seed: seed)
        for n in 0..<count { _ = try Simulation.one(compiled, number: n, store: store, rng: &rng) }
        return try store.interviews().map(\.id)
    }

    @Test func theSameSeedOnTwoDevicesGivesDifferentIds() throws {
        let compiled = try CentralFixture.questionnaire("wellbeing")
        let one = try Self.ids(try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "A"), compiled, seed: 7, count: 5)
        let two = try Self.ids(try DeviceStore.inMemory(deviceID: "lap-2", interviewer: "A"), compiled, seed: 7, count: 5)
        #expect(one.count == 5 && two.count == 5)
        #expect(Set(one).isDisjoint(with: two))
        let again = try Self.ids(try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "A"), compiled, seed: 7, count: 5)
        #expect(Set(again) == Set(one), "a seed on a fresh device still gives the same interviews")
    }

    @Test func theSameSeedTwiceOnOneDeviceAddsNewInterviews() throws {
        let compiled = try CentralFixture.questionnaire("wellbeing")
        let store = try DeviceStore.inMemory(deviceID: "lap-1", interviewer: "A")
        _ = try Self.ids(store, compiled, seed: 7, count: 3)
        let all = try Self.ids(store, compiled, seed: 7, count: 3)
        #expect(Set(all).count == 6)
    }

    @Test func theSaltDependsOnDeviceAndSequence() {
        let a = Simulation.idSalt(device: "lap-1", nextSequence: 1)
        #expect(a != Simulation.idSalt(device: "lap-2", nextSequence: 1))
        #expect(a != Simulation.idSalt(device: "lap-1", nextSequence: 2))
        #expect(a == Simulation.idSalt(device: "lap-1", nextSequence: 1))
    }
}
