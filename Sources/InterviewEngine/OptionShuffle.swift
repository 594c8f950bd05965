import SurveyModel

/// Deterministic option randomisation from the interview's recorded seed.
///
/// Each question (and roster row) gets its own stream: SplitMix64 seeded with the interview
/// seed mixed with an FNV-1a hash of the address, so orders do not depend on what else was
/// asked. Fixed, "other" and exclusive options keep their positions.
enum OptionShuffle {
    static func shuffled(_ options: [Option], seed: UInt64, at address: Address) -> [Option] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in address.description.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var rng = SplitMix64(seed: seed ^ hash)
        let movable = options.indices.filter { !options[$0].fixed && !options[$0].other && !options[$0].exclusive }
        var picked = movable.map { options[$0] }
        if picked.count > 1 {
            for i in stride(from: picked.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                picked.swapAt(i, j)
            }
        }
        var out = options
        for (slot, option) in zip(movable, picked) { out[slot] = option }
        return out
    }
}

/// SplitMix64: a tiny, well-mixed deterministic generator (Steele, Lea & Flood 2014).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
