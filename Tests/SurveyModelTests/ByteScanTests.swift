import PropertyBased
import Testing

@testable import SurveyModel

/// The shared byte searches against the plain rule they stand for, on random bytes biased
/// towards the ones that matter (`"`, `\`, control bytes, bytes with bit 7 set, the bytes just
/// beside the stops) at every alignment of the eight-byte scan.
@Suite struct ByteScanTests {
    static let interesting: [UInt8] = [0x00, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x61]

    static func bytes(_ rng: inout Xoshiro) -> [UInt8] {
        let count = Int.random(in: 0...40, using: &rng)
        let plainShare = Int.random(in: 0...3, using: &rng)  // some strings mostly plain, some dense with stops
        return (0..<count).map { _ in
            Int.random(in: 0...3, using: &rng) < plainShare
                ? UInt8.random(in: 0x23...0x5B, using: &rng) : (interesting.randomElement(using: &rng) ?? 0)
        }
    }

    @Test func plainRunEndsAtTheFirstQuoteBackslashOrControlByte() {
        var rng = Xoshiro(seed: (11, 12, 13, 14))
        for _ in 0..<20_000 {
            let bytes = Self.bytes(&rng)
            let start = Int.random(in: 0...bytes.count, using: &rng)
            let expectedEnd = bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } ?? bytes.count
            let expectedNonASCII = bytes[start..<expectedEnd].contains { $0 >= 0x80 }
            let run = bytes.withUnsafeBytes { ByteScan.plainJSONRun(in: $0, from: start) }
            #expect(run.end == expectedEnd, "\(bytes) from \(start)")
            #expect(run.nonASCII == expectedNonASCII, "\(bytes) from \(start)")
        }
    }

    @Test func newlineIsTheFirstLineFeedAtOrAfterTheStart() {
        var rng = Xoshiro(seed: (21, 22, 23, 24))
        for _ in 0..<5_000 {
            let bytes = Self.bytes(&rng)
            let start = Int.random(in: -1...(bytes.count + 1), using: &rng)
            let expected = start < 0 || start >= bytes.count ? nil : bytes[start...].firstIndex(of: 0x0A)
            #expect(bytes.withUnsafeBytes { ByteScan.newline(in: $0, from: start) } == expected, "\(bytes) from \(start)")
        }
        #expect(ByteScan.newline(in: UnsafeRawBufferPointer(start: nil, count: 0), from: 0) == nil)
    }
}
