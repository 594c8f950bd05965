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
            seed: seed, context: EngineContext(at: moment, interviewer: store.interviewer),
            startTimestamp: start, using: &rng)
        guard case .started(_, _, let language, let preload)? = run.events.first?.kind else { return (nil, 0) }
        let salt = idSalt(device: store.deviceID, nextSequence: try store.info().nextSequence)
        let id = InterviewID(uuid(rng.next() ^ salt, rng.next() ^ salt.byteSwapped))
        let new = NewInterview(id: id, definition: compiled.hash, seed: seed, language: language, preload: preload, isTest: training)
        _ = try store.createInterview(new, timestamp: start)
        let pending = run.events.dropFirst().map { PendingEvent(interview: id, timestamp: $0.timestamp, kind: $0.kind) }
        _ = try store.appendBatch(Array(pending))
        if case .ended(let outcome) = run.interview.status { return (outcome, run.events.count) }
        return (nil, run.events.count)
    }

    /// What simulated interview ids are mixed with, so that they are unique per device whatever
    /// the seed: the device id (two laptops given the same `--seed`) and the device's next event
    /// sequence (the same seed run twice on one laptop). FNV-1a over the id, then a SplitMix64
    /// finaliser over it and the sequence.
    static func idSalt(device: DeviceID, nextSequence: Int64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in device.rawValue.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        var z = hash ^ (UInt64(bitPattern: nextSequence) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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
