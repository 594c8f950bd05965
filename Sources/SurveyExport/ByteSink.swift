#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an export writer puts its bytes: appended in order, with earlier bytes patchable.
///
/// Binary formats learn some header fields (the case count, Stata's section map) only at the
/// end, so a sink can overwrite bytes it has already received. ``FileSink`` writes a file
/// through a fixed buffer; ``MemorySink`` collects bytes for tests and small outputs.
public protocol ByteSink {
    /// The number of bytes appended so far.
    var position: Int { get }
    /// Appends bytes.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(ExportError)
    /// Overwrites bytes already written, starting at `offset`.
    mutating func patch(at offset: Int, _ bytes: [UInt8]) throws(ExportError)
    /// Flushes and closes the sink; no writes may follow.
    mutating func close() throws(ExportError)
}

extension ByteSink {
    /// Appends a byte array.
    public mutating func write(_ bytes: [UInt8]) throws(ExportError) {
        var failure: ExportError?
        bytes.withUnsafeBytes { raw in
            do throws(ExportError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

/// Collects everything in memory; for tests, codebooks and other small outputs.
public struct MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var position: Int { bytes.count }

    public mutating func write(_ raw: UnsafeRawBufferPointer) throws(ExportError) {
        bytes.append(contentsOf: raw)
    }

    public mutating func patch(at offset: Int, _ patch: [UInt8]) throws(ExportError) {
        guard offset >= 0, offset + patch.count <= bytes.count else {
            throw .io(path: "<memory>", message: "patch at \(offset) is outside the \(bytes.count) bytes written")
        }
        bytes.replaceSubrange(offset..<(offset + patch.count), with: patch)
    }

    public mutating func close() throws(ExportError) {}

    /// The bytes decoded as UTF-8 text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Writes a file through a fixed 256 KiB buffer, so memory does not grow with the output.
public final class FileSink: ByteSink {
    private var fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var flushed = 0
    private static let capacity = 1 << 18

    /// Creates (or truncates) the file at `path` with permissions `mode` (less the umask); a
    /// file already there with wider permissions is narrowed to `mode`.
    public init(path: String, mode: UInt16 = 0o644) throws(ExportError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode_t(mode))
        guard fd >= 0 else { throw .io(path: path, message: FileSink.errnoText()) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & 0o777 & ~mode_t(mode) != 0 { fchmod(fd, info.st_mode & 0o777 & mode_t(mode)) }
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(FileSink.capacity)
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }

    public var position: Int { flushed + buffer.count }

    public func write(_ raw: UnsafeRawBufferPointer) throws(ExportError) {
        if buffer.count + raw.count > FileSink.capacity { try flush() }
        if raw.count >= FileSink.capacity {
            try writeAll(raw)
            flushed += raw.count
        } else {
            buffer.append(contentsOf: raw)
        }
    }

    public func patch(at offset: Int, _ bytes: [UInt8]) throws(ExportError) {
        try flush()
        let ok = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) == $0.count }
        guard ok else { throw .io(path: path, message: FileSink.errnoText()) }
    }

    public func close() throws(ExportError) {
        guard fd >= 0 else { return }
        try flush()
        let result = Glibc.close(fd)
        fd = -1
        guard result == 0 else { throw .io(path: path, message: FileSink.errnoText()) }
    }

    private func flush() throws(ExportError) {
        guard !buffer.isEmpty else { return }
        guard fd >= 0 else { throw .io(path: path, message: "the file is already closed") }
        var failure: ExportError?
        buffer.withUnsafeBytes { raw in
            do throws(ExportError) { try writeAll(raw) } catch { failure = error }
        }
        if let failure { throw failure }
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws(ExportError) {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, message: FileSink.errnoText())
            }
            done += n
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
