import PropertyBased
import SurveyModel
import Testing

@Test func insertingAdjacentAndOverlappingNumbersCoalescesRanges() {
    var r = SequenceRanges()
    r.insert(5)
    r.insert(1...3)
    #expect(r.ranges == [1...3, 5...5])
    r.insert(4)
    #expect(r.ranges == [1...5])
    r.insert(10...12)
    r.insert(7...11)
    #expect(r.ranges == [1...5, 7...12])
    #expect(r.count == 11)
    #expect(r.description == "1-5,7-12")
}

@Test func missingListsTheGapsBetweenOneAndTheLimit() {
    let r = SequenceRanges([3, 4, 5, 9, 10])
    #expect(r.missing(upTo: 12) == [1...2, 6...8, 11...12])
    #expect(r.missing(upTo: 4) == [1...2])
    #expect(r.gaps == [1...2, 6...8])
    #expect(SequenceRanges().missing(upTo: 3) == [1...3])
    #expect(SequenceRanges([1, 2, 3]).missing(upTo: 3).isEmpty)
}

@Test func theTextFormNamesSingleNumbersAndRuns() {
    #expect(SequenceRanges.text([]) == "")
    #expect(SequenceRanges.text([1...5, 7...7, 9...12]) == "1-5,7,9-12")
    #expect(SequenceRanges(ranges: [9...12, 1...3, 4...5, 7...7]).description == "1-5,7,9-12")
}

@Test func rangesAgreeWithAPlainSetForRandomInserts() async {
    await propertyCheck(count: 50, input: Gen.uint64()) { seed in
        rangesAgreeWithAPlainSet(seed: seed)
    }
}

func rangesAgreeWithAPlainSet(seed: UInt64) {
    var rng = Xoshiro(seed: (seed, ~seed, 7, 1))
    var model = Set<Int64>()
    var ranges = SequenceRanges()
    for _ in 0..<60 {
        let low = Int64.random(in: 1...200, using: &rng)
        let high = low + Int64.random(in: 0...6, using: &rng)
        ranges.insert(low...high)
        model.formUnion(low...high)
    }
    #expect(ranges.count == Int64(model.count))
    for n in Int64(0)...210 { #expect(ranges.contains(n) == model.contains(n)) }
    // Ranges are sorted, disjoint and never touching.
    for (a, b) in zip(ranges.ranges, ranges.ranges.dropFirst()) { #expect(a.upperBound + 1 < b.lowerBound) }
    let missing = ranges.missing(upTo: 205).flatMap { Array($0) }
    #expect(missing == (Int64(1)...205).filter { !model.contains($0) })
}
