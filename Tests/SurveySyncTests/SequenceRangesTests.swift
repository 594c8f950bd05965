import Testing

@testable import SurveySync

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

@Test(arguments: ["", "1", "1-5,7,9-12"])
func textFormRoundTrips(_ text: String) {
    #expect(SequenceRanges(parsing: text)?.description == text)
}

@Test(arguments: ["0", "5-3", "a", "1-", "1,,2", "-4"])
func malformedTextIsRejected(_ text: String) {
    #expect(SequenceRanges(parsing: text) == nil)
}

@Test(arguments: 1...50)
func rangesAgreeWithAPlainSetForRandomInserts(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed))
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
