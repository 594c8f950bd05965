import Crypto
import Foundation

/// The bytes of a bundle, read by offset: a file read in chunks (``InputFile``, so memory does
/// not grow with the bundle), or bytes already in memory (tests, fuzzing, tools).
protocol ByteSource: Sendable {
    /// The number of bytes.
    var size: Int { get }
    /// Reads up to `count` bytes at `offset` into `buffer` (fewer only at the end).
    func read(at offset: Int, count: Int, into buffer: inout [UInt8]) throws(BundleError.Kind) -> Int
}

extension ByteSource {
    /// Exactly `count` bytes at `offset` (the caller checked they are within ``size``).
    func bytes(at offset: Int, count: Int) throws(BundleError.Kind) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try read(at: offset, count: count, into: &buffer)
        guard n == count else { throw .io("the file shrank while it was read; copy it again") }
        return buffer
    }

    /// Calls `body` with consecutive chunks of at most `chunk` bytes covering `range`; throws
    /// ``BundleError/Kind`` for a read that fails and whatever `body` throws.
    func forEachChunk(in range: Range<Int>, chunk: Int = 1 << 20, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: Swift.min(chunk, Swift.max(range.count, 1)))
        var offset = range.lowerBound
        while offset < range.upperBound {
            let want = Swift.min(chunk, range.upperBound - offset)
            let n = try read(at: offset, count: want, into: &buffer)
            guard n == want else { throw BundleError.Kind.io("the file shrank while it was read; copy it again") }
            try body(buffer[0..<n])
            offset += n
        }
    }
}

extension ByteSource {
    /// SHA-256 of the bytes in `range`, read in 1 MiB chunks.
    func sha256(of range: Range<Int>) throws(BundleError.Kind) -> [UInt8] {
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: Swift.min(1 << 20, Swift.max(range.count, 1)))
        var offset = range.lowerBound
        while offset < range.upperBound {
            let want = Swift.min(buffer.count, range.upperBound - offset)
            let n = try read(at: offset, count: want, into: &buffer)
            guard n == want else { throw .io("the file shrank while it was read; copy it again") }
            hasher.update(data: buffer[0..<n])
            offset += n
        }
        return Array(hasher.finalize())
    }
}

/// A bundle already in memory.
struct MemoryBytes: ByteSource {
    let data: Data

    var size: Int { data.count }

    func read(at offset: Int, count: Int, into buffer: inout [UInt8]) throws(BundleError.Kind) -> Int {
        let start = data.startIndex + Swift.min(offset, data.count)
        let end = Swift.min(start + count, data.endIndex)
        if buffer.count < end - start { buffer = [UInt8](repeating: 0, count: end - start) }
        _ = buffer.withUnsafeMutableBytes { out in data.copyBytes(to: out, from: start..<end) }
        return end - start
    }
}

extension InputFile: ByteSource {}
