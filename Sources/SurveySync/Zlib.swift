import CZlib
import Foundation

/// Why inflating failed.
public enum InflateFailure: Error, Hashable, Sendable {
    /// The output would exceed the limit (a decompression bomb, or a lying manifest).
    case exceedsLimit(limit: Int)
    /// The compressed stream is damaged or is not zlib data.
    case corrupt(String)
    /// The compressed stream ends before its end marker.
    case truncated
    /// Bytes follow the end of the compressed stream.
    case trailingBytes(Int)
}

/// zlib (RFC 1950) compression through the system library.
public enum Zlib {
    /// The zlib level bundles use: level 1 (higher levels cost 5–16× the CPU for ~10% smaller output).
    public static let bundleLevel: Int32 = 1

    /// Compresses `data` into a zlib stream, in one piece. zlib's window and hash table are sized
    /// to the data (at most the defaults, 32 KiB and 2^15 entries): a window larger than the data
    /// finds no more matches, and the default state (~256 KiB allocated and cleared per call) was
    /// most of compressing a small package or bundle. Any zlib reader inflates it.
    public static func deflate(_ data: Data, level: Int32 = bundleLevel) -> Data? {
        // One call hands zlib the whole input and output, whose sizes are 32-bit (`uInt`): past
        // them this is nil, a failure the caller reports, never a trap (packages are far smaller).
        guard data.count <= Int(Int32.max) - (1 << 20) else { return nil }
        // The smallest window holding the data and zlib's lookahead (9 to 15 bits).
        var windowBits: Int32 = 9
        while windowBits < MAX_WBITS, 1 << windowBits < data.count + 262 { windowBits += 1 }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        let memLevel = max(1, min(8, windowBits - 7))
        guard
            deflateInit2_(
                stream, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY, zlibVersion(),
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return nil }
        defer { deflateEnd(stream) }
        let bound = Int(deflateBound(stream, uLong(data.count)))
        var out = Data(count: bound)
        let status = out.withUnsafeMutableBytes { (dst: UnsafeMutableRawBufferPointer) -> Int32 in
            data.withUnsafeBytes { (src: UnsafeRawBufferPointer) -> Int32 in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(src.count)
                stream.pointee.next_out = dst.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(dst.count)
                return CZlib.deflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        out.count = Int(stream.pointee.total_out)
        return out
    }

    /// Inflates a complete zlib stream, stopping as soon as the output would pass `limit` bytes.
    ///
    /// The check runs while streaming, chunk by chunk, so a bomb never allocates more than
    /// `limit` plus one chunk. The whole input must be one stream with nothing after it.
    public static func inflate(_ data: Data, limit: Int, expectedSize: Int? = nil) throws(InflateFailure) -> Data {
        // zlib keeps a pointer to its z_stream, so it lives at one fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard inflateInit_(stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib could not start")
        }
        defer { inflateEnd(stream) }
        let chunk = 256 * 1024
        var out = Data()
        out.reserveCapacity(Swift.min(expectedSize ?? chunk, limit, 64 * 1024 * 1024))
        var buffer = [UInt8](repeating: 0, count: chunk)
        let result: Result<Int32, InflateFailure> = data.withUnsafeBytes { src in
            let base = src.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = uInt(src.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { buf -> Int32 in
                    stream.pointee.next_out = buf.baseAddress
                    stream.pointee.avail_out = uInt(chunk)
                    return CZlib.inflate(stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.pointee.avail_out)
                if out.count + produced > limit { return .failure(.exceedsLimit(limit: limit)) }
                out.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END: return .success(status)
                case Z_OK: continue
                case Z_BUF_ERROR:
                    // No progress possible: input exhausted before the end marker.
                    if stream.pointee.avail_in == 0 { return .failure(.truncated) }
                    return .failure(.corrupt("zlib buffer error"))
                case Z_NEED_DICT: return .failure(.corrupt("needs a preset dictionary"))
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                    return .failure(.corrupt(message))
                }
            }
        }
        if case .failure(let failure) = result { throw failure }
        if stream.pointee.avail_in != 0 { throw .trailingBytes(Int(stream.pointee.avail_in)) }
        return out
    }
}

/// Inflates a zlib stream fed in pieces, handing out what it inflates in chunks of at most
/// 256 KiB: memory stays the same whatever the stream's size. Stops at `limit` output bytes.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    /// 256 KiB, or less for a smaller `limit` (at least 4 KiB): a day's bundle inflates into one
    /// buffer of its own size, not a fresh 256 KiB one zeroed for every bundle (with ASan, a
    /// mapping of its own each time).
    private var buffer: [UInt8]
    private let limit: Int
    /// Bytes inflated so far.
    private(set) var produced = 0
    /// Whether the stream's end marker was reached.
    private(set) var finished = false

    init(limit: Int) throws(InflateFailure) {
        self.limit = limit
        buffer = [UInt8](repeating: 0, count: min(256 * 1024, max(limit, 4 * 1024)))
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard inflateInit_(stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw .corrupt("zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates `input`, calling `body` with each piece of output.
    func push(_ input: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        guard !input.isEmpty else { return }
        guard !finished else { throw InflateFailure.trailingBytes(input.count) }
        try input.withUnsafeBufferPointer { src in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            stream.pointee.avail_in = uInt(src.count)
            while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0 {
                let chunk = buffer.count
                let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(chunk)
                    return CZlib.inflate(stream, Z_NO_FLUSH)
                }
                let n = chunk - Int(stream.pointee.avail_out)
                if produced + n > limit { throw InflateFailure.exceedsLimit(limit: limit) }
                produced += n
                if n > 0 { try body(buffer[0..<n]) }
                switch status {
                case Z_STREAM_END:
                    finished = true
                    let rest = Int(stream.pointee.avail_in)
                    if rest > 0 { throw InflateFailure.trailingBytes(rest) }
                    return
                case Z_OK: continue
                case Z_BUF_ERROR: if stream.pointee.avail_in == 0 { return } else { throw InflateFailure.corrupt("zlib buffer error") }
                case Z_NEED_DICT: throw InflateFailure.corrupt("needs a preset dictionary")
                default: throw InflateFailure.corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)")
                }
            }
        }
    }

    /// Fails when the input ended before the stream's end marker.
    func finish() throws(InflateFailure) {
        guard finished else { throw .truncated }
    }
}

/// Deflates data fed in pieces at the bundle level, handing out the compressed stream in
/// chunks of at most 64 KiB (level 1 compresses a day's bundle to a few tens of kB).
final class Deflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(level: Int32 = Zlib.bundleLevel) throws(InflateFailure) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard deflateInit_(stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw .corrupt("zlib could not start")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input` (or, with `finish`, ends the stream), calling `body` with output.
    func push(_ input: UnsafeRawBufferPointer, finish: Bool = false, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while true {
            let chunk = buffer.count
            let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(chunk)
                return deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
            }
            let n = chunk - Int(stream.pointee.avail_out)
            if n > 0 { try body(buffer[0..<n]) }
            if finish {
                if status == Z_STREAM_END { return }
                guard status == Z_OK || status == Z_BUF_ERROR else { throw InflateFailure.corrupt("zlib could not compress") }
            } else {
                guard status == Z_OK || status == Z_BUF_ERROR else { throw InflateFailure.corrupt("zlib could not compress") }
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            }
        }
    }
}
