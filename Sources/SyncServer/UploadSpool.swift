import Foundation
import NIOCore
import NIOPosix
import SurveySync

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many uploads the server takes at once: at most `maxUploads` being received or waiting
/// (beyond that a new one is answered 503 at once, and the device retries later), of which at
/// most `maxMerges` are verified and decoded at the same time (the others wait their turn, in
/// order; then ``GroupWriter`` writes them). Memory stays bounded whatever the number of
/// devices: a received upload is on disk, and only the ones being decoded or written are read.
actor UploadGate {
    let maxUploads: Int
    let maxMerges: Int
    private var uploads = 0
    private var merges = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(maxUploads: Int, maxMerges: Int) {
        self.maxUploads = maxUploads
        self.maxMerges = maxMerges
    }

    /// Takes a place for an upload; false when all are taken.
    func enter() -> Bool {
        guard uploads < maxUploads else { return false }
        uploads += 1
        return true
    }

    func leave() { uploads -= 1 }

    /// Whether any upload is being received, waiting or merged.
    var busy: Bool { uploads > 0 }

    /// Waits until no upload is being received, waiting or merged, or `limit` has passed,
    /// looking every 50 ms (the cache refresher's start: it waits for a burst of uploads to end).
    func quiet(limit: Duration = UploadGate.quietWait) async {
        let deadline = ContinuousClock.now + limit
        while busy, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// How long the cache refresher waits at most for uploads to pause: under a steady stream of
    /// uploads it still runs this often.
    static let quietWait = Duration.seconds(10)

    /// Waits for a merge slot.
    func startMerge() async {
        if merges < maxMerges {
            merges += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Frees a merge slot, handing it to the longest-waiting upload.
    func endMerge() {
        if waiting.isEmpty { merges -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Where the server keeps uploads while they arrive: a private folder (mode 0700) made at start
/// in the system's temporary folder (`TMPDIR`), named after the server's process id, one file
/// (mode 0600) per upload, removed when the upload is merged or refused, and the folder removed
/// when the server stops. A server killed outright leaves its folder: the next one to start
/// removes the folders no running server holds. Each server holds an exclusive `flock` on its
/// folder's `.lock` for its whole life, which the kernel lets go when the process dies however
/// it dies; the process id alone would keep a dead server's folder for as long as an unrelated
/// process has been given the same id (it still decides on a file system without locks).
///
/// The files are created, written and removed on the spool's own threads (``io``), never on
/// Swift's cooperative pool (whose few threads every request's async code shares) nor on NIO's
/// shared pool, where the merges run: a slow disk holds up uploads, not everything else. What
/// arrives is gathered up to ``writeBytes`` and written in one job, so an upload costs a few
/// jobs and holds at most that much memory.
struct UploadSpool: Sendable {
    static let prefix = "terep-server-"
    static let lockName = ".lock"
    /// Bytes gathered before one write.
    static let writeBytes = 256 << 10
    let directory: String
    let io: NIOThreadPool
    /// The open `.lock`, locked while the server runs (closed by ``remove()``); -1 on a file
    /// system without locks.
    let lock: Int32

    /// Makes the folder in `base` (the system's temporary folder), after removing those of
    /// servers that died. It is made under a name the sweep ignores (a leading `.`), locked, and
    /// only then renamed to its own name, so no sweep ever sees it unlocked.
    static func make(io: NIOThreadPool, base: String = FileManager.default.temporaryDirectory.path) throws -> UploadSpool {
        removeAbandoned(in: base)
        func failure(_ what: String) -> ServerError {
            ServerError("cannot make a folder for uploads in \(base): \(what): \(String(cString: strerror(errno))); set TMPDIR")
        }
        var template = Array((base + "/." + prefix + "\(getpid())-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw failure("mkdtemp") }
        let hidden = String(cString: made)
        var lock = open(hidden + "/" + lockName, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else {
            let error = failure("cannot create \(lockName)")
            try? FileManager.default.removeItem(atPath: hidden)
            throw error
        }
        if flock(lock, LOCK_EX | LOCK_NB) != 0 {
            // A file system without locks: the folder goes without its `.lock`, and the sweep
            // falls back to the process id for it.
            close(lock)
            unlink(hidden + "/" + lockName)
            lock = -1
        }
        let directory = base + "/" + String(decoding: hidden.utf8.dropFirst(base.utf8.count + 2), as: UTF8.self)
        guard rename(hidden, directory) == 0 else {
            let error = failure("rename")
            if lock >= 0 { close(lock) }
            try? FileManager.default.removeItem(atPath: hidden)
            throw error
        }
        return UploadSpool(directory: directory, io: io, lock: lock)
    }

    /// Removes the `terep-server-…` folders of ours that no running server holds: those whose
    /// `.lock` can be locked (its server died), and, from a version without the lock (or one
    /// killed between making its folder and renaming it), those whose process id is gone.
    static func removeAbandoned(in base: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        for name in names where name.hasPrefix(prefix) || name.hasPrefix("." + prefix) {
            let path = base + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_uid == getuid(), (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            let lock = name.hasPrefix(prefix) ? open(path + "/" + lockName, O_RDWR | O_CLOEXEC | O_NOFOLLOW) : -1
            if lock >= 0 {
                // Held while removing, so that no other sweep takes it at the same time.
                defer { close(lock) }
                if flock(lock, LOCK_EX | LOCK_NB) == 0 {
                    try? FileManager.default.removeItem(atPath: path)
                    continue
                }
                // Held by its server; a file system without locks falls back to the process id.
                guard errno != EWOULDBLOCK else { continue }
            }
            let rest = name.drop { $0 == "." }.dropFirst(prefix.count)
            guard let pid = Int32(rest.prefix { $0.isNumber }), rest.dropFirst(String(pid).count).hasPrefix("-"),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Removes the folder and anything left in it, then lets go of its lock.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
        if lock >= 0 { close(lock) }
    }

    /// Why a body could not be spooled.
    enum Failure: Error {
        case tooLarge
        case io(String)
    }

    /// Writes `body` to a new file, at most `maxBytes`, hashing it as it comes: the file's path
    /// and the body's SHA-256. A body that breaks off (the connection cut) throws the
    /// connection's error, and nothing is left behind.
    func receive<Body: AsyncSequence>(_ body: Body, maxBytes: Int) async throws -> (path: String, sha256: String)
    where Body.Element == ByteBuffer {
        let path = directory + "/upload-" + UUID().uuidString
        let fd = try await io.runIfActive { () throws -> Int32 in
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw Failure.io("cannot create \(path): \(String(cString: strerror(errno)))") }
            return fd
        }
        var digest = RequestSignature.BodyDigest()
        var size = 0
        var gathered: [ByteBuffer] = []
        var gatheredBytes = 0
        do {
            for try await buffer in body {
                size += buffer.readableBytes
                guard size <= maxBytes else { throw Failure.tooLarge }
                buffer.withUnsafeReadableBytes { digest.update($0) }
                gathered.append(buffer)
                gatheredBytes += buffer.readableBytes
                guard gatheredBytes >= Self.writeBytes else { continue }
                try await append(gathered, to: fd, path: path)
                gathered.removeAll(keepingCapacity: true)
                gatheredBytes = 0
            }
            try await append(gathered, to: fd, path: path)
        } catch {
            await settle(fd, path: path, removing: true)
            throw error
        }
        await settle(fd, path: path, removing: false)
        return (path, digest.finalize())
    }

    /// Removes an upload's file once it is merged or refused.
    func discard(_ path: String) async { await settle(nil, path: path, removing: true) }

    /// Writes the buffers, in order, on the spool's threads.
    private func append(_ buffers: [ByteBuffer], to fd: Int32, path: String) async throws {
        guard !buffers.isEmpty else { return }
        try await io.runIfActive {
            for buffer in buffers { try buffer.withUnsafeReadableBytes { try Self.writeAll(fd, $0, path: path) } }
        }
    }

    /// Closes the file and, when `removing`, removes it: on the spool's threads, or here when
    /// they have stopped (the server is stopping).
    private func settle(_ fd: Int32?, path: String, removing: Bool) async {
        let work: @Sendable () -> Void = {
            if let fd { close(fd) }
            if removing { unlink(path) }
        }
        do { try await io.runIfActive(work) } catch { work() }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure.io("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}

/// Cleans the interviews that uploads changed into the cache of cleaned records *after* their
/// receipts are sent: the cache is a speed-up only, so a device need not wait for it. A run
/// starts once the uploads have gone quiet (`quiet` returns: no upload being received or merged,
/// or at most ``UploadGate/quietWait`` of uploads without a pause), so during a burst of
/// uploads the cores merge instead of cleaning. One run at a time; uploads merged during a run
/// are covered by one more run after it, so a burst costs a couple of runs, not one each. A run
/// cut short by a stop leaves the cache to the next run (or the next report), as any stale
/// cache entry is.
actor CacheRefresher {
    private var pending = false
    private var running = false
    private let quiet: @Sendable () async -> Void
    private let work: @Sendable () async -> Void

    init(quiet: @escaping @Sendable () async -> Void = {}, work: @escaping @Sendable () async -> Void) {
        self.quiet = quiet
        self.work = work
    }

    /// Asks for a run after the merges so far.
    func schedule() {
        pending = true
        guard !running else { return }
        running = true
        Task { await drain() }
    }

    private func drain() async {
        while pending {
            await quiet()
            pending = false
            await work()
        }
        running = false
    }
}
