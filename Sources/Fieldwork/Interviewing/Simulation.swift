import InterviewEngine
import SurveyModel
import SurveyStore

/// One simulated interview, written like a real one: created with its `started` event (and a
/// `trainingMarked(true)` event when `training`), then its events appended in one transaction.
public enum Simulation {
    public static func one(
        _ compiled: CompiledSurvey, number: Int, store: DeviceStore, rng: inout SplitMix64, training: Bool = false
    ) throws(StoreError) -> (outcome: Int?, events: Int) {
        let definition = compiled.definition
        let seed = rng.next()
        // Interviews an hour apart, from a fixed day, so a seed always gives the same log.
        let start = 1_780_000_000_000 + Int64(number) * 3_600_000
        let moment = LocalClock.moment(at: start)
        let simulator = InterviewSimulator(definition: definition)
        let run = simulator.run(
            seed: seed, context: EngineContext(at: moment, startedAt: start, interviewer: store.interviewer),
            startTimestamp: start, using: &rng)
        guard case .started(_, _, let language, let preload)? = run.events.first?.kind else { return (nil, 0) }
        let id = InterviewID(uuid(rng.next(), rng.next()))
        let new = NewInterview(id: id, definition: compiled.hash, seed: seed, language: language, preload: preload, isTest: training)
        _ = try store.createInterview(new, timestamp: start)
        let pending = run.events.dropFirst().map { PendingEvent(interview: id, timestamp: $0.timestamp, kind: $0.kind) }
        _ = try store.appendBatch(Array(pending))
        if case .ended(let outcome) = run.interview.status { return (outcome, run.events.count) }
        return (nil, run.events.count)
    }

    /// A version-4-shaped lower-case UUID from two random words.
    public static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s
        }
        let hi = hex((a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000, 16)
        let lo = hex((b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000, 16)
        let all = hi + lo
        let c = Array(all)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }
}
