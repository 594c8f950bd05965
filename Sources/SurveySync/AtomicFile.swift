import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an atomic write failed.
struct AtomicWriteError: Error, CustomStringConvertible {
    let description: String
}

/// Writes files so that a crash leaves the old state or the complete new file: a temporary
/// file `.NAME.tmp-PID-RANDOM` in the same directory (owner-only: a plaintext bundle holds
/// answers), written in pieces, fsync, rename over the target, fsync of the directory.
enum AtomicFile {
    /// Writes what `produce` hands its argument, piece by piece, then renames into place.
    static func write(to path: String, _ produce: ((ArraySlice<UInt8>) throws -> Void) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        removeStaleTemporaries(of: url.lastPathComponent, in: directory)
        let temp = temporaryName(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AtomicWriteError(description: "cannot create \(temp): \(errnoText())") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        do {
            try produce { bytes in try writeAll(fd, bytes, path: temp) }
        } catch {
            close(fd)
            throw error
        }
        guard fsync(fd) == 0 else {
            let why = errnoText()
            close(fd)
            throw AtomicWriteError(description: "cannot write \(temp): \(why)")
        }
        guard close(fd) == 0 else { throw AtomicWriteError(description: "cannot close \(temp): \(errnoText())") }
        guard rename(temp, path) == 0 else { throw AtomicWriteError(description: "cannot rename to \(path): \(errnoText())") }
        ok = true
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY)
        guard dirfd >= 0 else { throw AtomicWriteError(description: "cannot open \(directory): \(errnoText())") }
        defer { close(dirfd) }
        guard fsync(dirfd) == 0 else { throw AtomicWriteError(description: "cannot fsync \(directory): \(errnoText())") }
    }

    /// A temporary name for `path`'s writes, which ``removeStaleTemporaries(of:in:)`` recognises.
    static func temporaryName(for path: String, suffix: String = "") -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            + suffix
    }

    /// Writes every byte of `bytes` to `fd`.
    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = posixWrite(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AtomicWriteError(description: "cannot write \(path): \(errnoText())")
                }
                offset += n
            }
        }
    }

    /// Removes `.NAME.tmp-PID-*` files of earlier writes of the same file whose process is gone
    /// (killed mid-write): they never carry the bundle's name, but they hold answers and fill
    /// the disk. A temporary of a live process (a concurrent write) is left alone.
    static func removeStaleTemporaries(of name: String, in directory: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let pidText = rest.split(separator: "-").first, let pid = pid_t(pidText), pid > 0 else { continue }
            if kill(pid, 0) != 0, errno == ESRCH { unlink(directory + "/" + entry) }
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// `write(2)`, named apart from Swift's `write` methods.
    private static func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, buffer, count)
        #else
            Darwin.write(fd, buffer, count)
        #endif
    }
}

/// A scratch file that exists only through its descriptor: created in the target's directory
/// and unlinked at once, so a crash leaves nothing behind. The payload is written to it first
/// (its digest and sizes go into the manifest that precedes it), then copied into the bundle.
final class ScratchFile {
    let fd: Int32
    private(set) var size = 0

    init(near path: String) throws {
        let name = AtomicFile.temporaryName(for: path, suffix: ".payload")
        fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AtomicWriteError(description: "cannot create \(name): \(AtomicFile.errnoText())") }
        unlink(name)
    }

    deinit { close(fd) }

    func append(_ bytes: ArraySlice<UInt8>) throws {
        try AtomicFile.writeAll(fd, bytes, path: "the payload's scratch file")
        size += bytes.count
    }

    /// Hands out the whole content in 1 MiB pieces.
    func forEachChunk(_ body: (ArraySlice<UInt8>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while offset < size {
            let want = min(buffer.count, size - offset)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
            guard n > 0 else { throw AtomicWriteError(description: "cannot read the payload's scratch file: \(AtomicFile.errnoText())") }
            try body(buffer[0..<n])
            offset += n
        }
    }
}
