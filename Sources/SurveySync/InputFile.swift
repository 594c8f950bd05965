import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bundle file opened for reading: a regular file, within the size cap, that this user can
/// read. Opening never blocks (a named pipe is refused, not waited on) and reads nothing.
final class InputFile: Sendable {
    let path: String
    let descriptor: Int32
    /// The size when it was opened; reads stop there.
    let size: Int

    /// Opens `path`, refusing with a reason that says what the file is when it is not a
    /// readable regular file of at most `maxSize` bytes.
    init(path: String, maxSize: Int) throws(BundleError.Kind) {
        var link = stat()
        guard lstat(path, &link) == 0 else {
            throw errno == ENOENT ? .io("no such file; check the path") : .io("cannot open the file: \(errnoText())")
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if (link.st_mode & S_IFMT) == S_IFLNK, code == ENOENT {
                throw .io("a symbolic link to '\(Self.linkTarget(path))', which does not exist; copy the bundle itself")
            }
            if code == EACCES {
                throw .io(
                    "this user (uid \(getuid())) may not read it (owner uid \(link.st_uid), mode "
                        + "\(String(link.st_mode & 0o7777, radix: 8))); copy it with the owner's rights or ask them for access")
            }
            throw .io("cannot open the file: \(String(cString: strerror(code)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let why = errnoText()
            close(fd)
            throw .io("cannot read the file's size: \(why)")
        }
        if let kind = Self.notRegular(info.st_mode) {
            close(fd)
            throw .io(kind)
        }
        guard Int(info.st_size) <= maxSize else {
            close(fd)
            throw .decompressionBomb("file is \(info.st_size) bytes, above the \(maxSize >> 20) MiB cap")
        }
        // Reads below wait for data like any regular file's.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.path = path
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset` (fewer only at the end of the file).
    func read(at offset: Int, count: Int, into buffer: inout [UInt8]) throws(BundleError.Kind) -> Int {
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read the file: \(errnoText())")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// The whole file (at most the size it had when opened; it must not have shrunk or grown).
    func readAll() throws(BundleError.Kind) -> Data {
        var buffer = [UInt8](repeating: 0, count: size + 1)
        let n = try read(at: 0, count: size + 1, into: &buffer)
        try checkUnchanged(readBytes: n)
        return Data(buffer[0..<n])
    }

    /// SHA-256 (hex) of the file's bytes, read in 1 MiB chunks.
    func sha256Hex() throws(BundleError.Kind) -> String {
        var hasher = SHA256()
        var buffer: [UInt8] = []
        var offset = 0
        while offset <= size {
            let n = try read(at: offset, count: min(1 << 20, size + 1 - offset), into: &buffer)
            if n == 0 { break }
            hasher.update(data: buffer[0..<n])
            offset += n
        }
        try checkUnchanged(readBytes: offset)
        return Data(hasher.finalize()).hexString
    }

    /// Refuses a file that changed size while it was read (still being copied, or swapped).
    func checkUnchanged(readBytes n: Int) throws(BundleError.Kind) {
        guard n == size else {
            throw .io(
                n < size
                    ? "the file shrank while it was read (\(n) of \(size) bytes); copy it again"
                    : "the file grew while it was read (past \(size) bytes); wait until the copy is complete")
        }
    }

    /// What a file of this mode is, when it is not a regular file.
    private static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory, not a bundle file; give the bundle files in it (e.g. DIR/*.terepbundle)"
        case S_IFIFO: "a named pipe (FIFO), not a bundle file; save the bundle to a regular file first"
        case S_IFSOCK: "a socket, not a bundle file"
        case S_IFCHR, S_IFBLK: "a device, not a bundle file"
        default: "not a regular file"
        }
    }

    private static func linkTarget(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
    }
}

private func errnoText() -> String { String(cString: strerror(errno)) }
