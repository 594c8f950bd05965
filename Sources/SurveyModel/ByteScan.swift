#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The byte searches the readers and writers of the wire formats share, each rule written once:
/// where a line ends (the bundle payload's readers and the merge fuzz target), and which bytes a
/// JSON string cannot hold as they are (``MiniJSONParser``, the reader, and
/// ``CanonicalJSONWriter``, the writer).
package enum ByteScan {
    /// The offset in `bytes` of the first `\n` at or after `start`, or nil. libc's `memchr`: a
    /// generic `firstIndex(of:)` made two comparisons per byte, each a call under the fuzzer's
    /// comparison tracing.
    package static func newline(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress, start >= 0, start < bytes.count,
            let found = memchr(base + start, 0x0A, bytes.count - start)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// 1 for the bytes a JSON string cannot hold as they are: `"`, `\` and the control characters.
    private static let stringStops: [UInt8] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C ? 1 : 0 }
    private static let ones: UInt64 = 0x0101_0101_0101_0101

    /// Where the run of bytes from `start` that a JSON string holds as they are (no `"`, `\` or
    /// control character) ends, and whether a byte of it is not ASCII. Eight bytes at a time
    /// while no word holds such a byte, then byte by byte to the exact end: under the fuzzer's
    /// comparison tracing every comparison is a call, and three a byte were most of a payload's
    /// parse.
    package static func plainJSONRun(in bytes: UnsafeRawBufferPointer, from start: Int) -> (end: Int, nonASCII: Bool) {
        let n = bytes.count
        var k = start
        var seen: UInt64 = 0
        while n - k >= 8 {
            let word = bytes.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
            // (x - 0x0101…) & ~x has a byte's bit 7 set when some byte of x is zero (a `"` or `\`
            // in `word`); (word - 0x2020…) & ~word when some byte of `word` is below 0x20. Either
            // may also say so of a byte that is not (a borrow), never miss one: the byte loop
            // below finds the exact end.
            let stops = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if stops & (ones &* 0x80) != 0 { break }
            seen |= word
            k += 8
        }
        stringStops.withUnsafeBufferPointer { stops in
            while k < n, stops[Int(bytes[k])] == 0 {
                seen |= UInt64(bytes[k])
                k += 1
            }
        }
        return (k, seen & (ones &* 0x80) != 0)
    }
}
