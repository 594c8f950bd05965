import Foundation
import NIOCore
import NIOPosix
import SurveySync
import Testing

@testable import SyncServer

/// The server's upload spool: a body written to its file exactly, hashed as it came, in a few
/// writes on the spool's own threads (not Swift's cooperative pool, nor NIO's shared pool where
/// the merges run); a body too large or cut off leaves no file.
struct UploadSpoolTests {
    /// A body arriving in chunks, optionally failing after them.
    static func body(_ chunks: [Data], failing: Bool = false) -> AsyncThrowingStream<ByteBuffer, any Error> {
        AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(ByteBuffer(bytes: chunk)) }
            continuation.finish(throwing: failing ? CancellationError() : nil)
        }
    }

    static func chunks(_ count: Int, size: Int) -> [Data] {
        (0..<count).map { n in Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }) }
    }

    /// The uploads' files in the spool (its `.lock` aside).
    static func files(_ spool: UploadSpool) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.directory)) ?? []).filter { $0 != UploadSpool.lockName }
    }

    @Test func aBodyIsWrittenExactlyAndHashedAndABadOneLeavesNothing() async throws {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let spool = try UploadSpool.make(io: threads)
        defer { spool.remove() }
        // 5 MiB and a bit in 40 KiB chunks: many times the bytes gathered for one write.
        let chunks = Self.chunks(130, size: 40 << 10) + [Data("end".utf8)]
        let whole = chunks.reduce(Data(), +)
        let (path, sha256) = try await spool.receive(Self.body(chunks), maxBytes: whole.count)
        #expect(FileManager.default.contents(atPath: path) == whole)
        var digest = RequestSignature.BodyDigest()
        whole.withUnsafeBytes { digest.update($0) }
        #expect(sha256 == digest.finalize(), "the chunks hashed in order, as the whole body")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        await spool.discard(path)
        #expect(Self.files(spool).isEmpty)

        await #expect(throws: UploadSpool.Failure.self) { _ = try await spool.receive(Self.body(chunks), maxBytes: whole.count - 1) }
        #expect(Self.files(spool).isEmpty, "a body over the limit leaves no file")
        await #expect(throws: CancellationError.self) { _ = try await spool.receive(Self.body(chunks, failing: true), maxBytes: 1 << 30) }
        #expect(Self.files(spool).isEmpty, "a body cut off leaves no file")
        try await threads.shutdownGracefully()
    }

    /// The file work waits for the spool's own thread: while it is busy nothing is written, and
    /// the upload completes once it is free.
    @Test func theFileWorkRunsOnTheSpoolsThreads() async throws {
        let threads = NIOThreadPool(numberOfThreads: 1)
        threads.start()
        let spool = try UploadSpool.make(io: threads)
        defer { spool.remove() }
        let busy = DispatchSemaphore(value: 0)
        let held = threads.runIfActive(eventLoop: MultiThreadedEventLoopGroup.singleton.next()) { busy.wait() }
        let upload = Task { try await spool.receive(Self.body(Self.chunks(4, size: 1000)), maxBytes: 1 << 20) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(Self.files(spool).isEmpty, "not even created while the spool's thread is busy")
        busy.signal()
        try await held.get()
        let (path, _) = try await upload.value
        #expect(FileManager.default.contents(atPath: path)?.count == 4000)
        await spool.discard(path)
        try await threads.shutdownGracefully()
    }
}

/// Which spool folders a starting server removes: those no running server holds.
struct UploadSpoolSweepTests {
    static func names(_ base: String) -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []) }

    static func folder(_ path: String, files: [String]) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        for file in files { #expect(FileManager.default.createFile(atPath: path + "/" + file, contents: Data("half".utf8))) }
    }

    /// A killed server's folder goes even when its process id now belongs to a running process
    /// (ids are reused: only the lock tells); a running server's stays; a folder from before the
    /// lock goes when its process id is gone; nothing else is touched.
    @Test func theFoldersOfDeadServersAreRemovedAndRunningOnesKept() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("spool-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let threads = NIOThreadPool(numberOfThreads: 1)
        let running = try UploadSpool.make(io: threads, base: base)
        let runningName = URL(fileURLWithPath: running.directory).lastPathComponent
        #expect(runningName.hasPrefix(UploadSpool.prefix + "\(getpid())-"))
        #expect(Self.names(running.directory) == [UploadSpool.lockName])

        let prefix = UploadSpool.prefix
        try Self.folder(base + "/\(prefix)\(getpid())-reused", files: [UploadSpool.lockName, "upload-1"])  // its lock is free
        try Self.folder(base + "/\(prefix)\(getpid())-legacy", files: ["upload-2"])  // no lock, a live id
        try Self.folder(base + "/\(prefix)\(Int32.max)-legacy", files: ["upload-3"])  // no lock, no such process
        try Self.folder(base + "/.\(prefix)\(Int32.max)-cut", files: [])  // killed before its rename
        try Self.folder(base + "/other-\(Int32.max)-x", files: [UploadSpool.lockName])
        #expect(FileManager.default.createFile(atPath: base + "/\(prefix)\(Int32.max)-file", contents: Data()))

        // A second server starting: its sweep, then its own folder.
        let second = try UploadSpool.make(io: threads, base: base)
        let secondName = URL(fileURLWithPath: second.directory).lastPathComponent
        #expect(
            Self.names(base) == [
                runningName, secondName, "\(prefix)\(getpid())-legacy", "other-\(Int32.max)-x", "\(prefix)\(Int32.max)-file",
            ])

        running.remove()
        #expect(!FileManager.default.fileExists(atPath: running.directory))
        second.remove()
        UploadSpool.removeAbandoned(in: base)
        #expect(Self.names(base) == ["\(prefix)\(getpid())-legacy", "other-\(Int32.max)-x", "\(prefix)\(Int32.max)-file"])
    }

    /// A server killed outright leaves its folder locked no more: the next sweep removes it.
    @Test func aLockLetGoByItsHolderFreesTheFolder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("spool-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let spool = try UploadSpool.make(io: NIOThreadPool(numberOfThreads: 1), base: base)
        UploadSpool.removeAbandoned(in: base)
        #expect(FileManager.default.fileExists(atPath: spool.directory), "held: kept")
        close(spool.lock)  // what the kernel does when the process dies
        UploadSpool.removeAbandoned(in: base)
        #expect(!FileManager.default.fileExists(atPath: spool.directory), "let go: removed")
    }
}

/// The cache refresher starts its run once the uploads have gone quiet, so the cores merge
/// during a burst; a steady stream of uploads delays it at most the gate's limit.
struct CacheRefresherTests {
    @Test(.timeLimit(.minutes(10))) func aRunWaitsUntilNoUploadIsInFlight() async throws {
        let gate = UploadGate(maxUploads: 4, maxMerges: 2)
        let runs = Counter()
        // A wait limit far beyond the test's 300 ms: with the server's 10 s, a suite that starved
        // the concurrency pool for longer than that let the run go ahead by the limit (which the
        // next test checks), and this one failed for a reason that is not its subject.
        let refresher = CacheRefresher(quiet: { await gate.quiet(limit: .seconds(480)) }, work: { await runs.add() })
        #expect(await gate.enter())
        await refresher.schedule()
        try await Task.sleep(for: .milliseconds(300))
        #expect(await runs.value == 0)
        await gate.leave()
        await runs.wait(for: 1)
        #expect(await runs.value == 1)
    }

    @Test(.timeLimit(.minutes(10))) func uploadsWithoutAPauseDelayARunOnlyUpToTheLimit() async throws {
        let gate = UploadGate(maxUploads: 4, maxMerges: 2)
        let runs = Counter()
        let refresher = CacheRefresher(quiet: { await gate.quiet(limit: .milliseconds(200)) }, work: { await runs.add() })
        #expect(await gate.enter())
        await refresher.schedule()
        await runs.wait(for: 1)
        #expect(await gate.busy)
        await gate.leave()
    }

    /// Counts runs; `wait` returns once `count` runs were made. It has no clock of its own: the
    /// full suite on two busy cores starved the concurrency pool for minutes (a 120 s deadline
    /// passed before the run it waited for got a thread), so the tests' time limit decides.
    actor Counter {
        private(set) var value = 0
        private var waiters: [(count: Int, done: CheckedContinuation<Void, Never>)] = []
        func add() {
            value += 1
            for waiter in waiters where waiter.count <= value { waiter.done.resume() }
            waiters.removeAll { $0.count <= value }
        }
        func wait(for count: Int) async {
            guard value < count else { return }
            await withCheckedContinuation { waiters.append((count, $0)) }
        }
    }
}

/// The group writer: what is submitted while a group is being written goes together in the next
/// one (at most `maxGroup`), each submitter gets its own output, and at most `places` are held.
struct GroupWriterTests {
    /// Records the groups written; each write waits until `open` lets it go.
    actor Recorder {
        private(set) var groups: [[Int]] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var isOpen = false
        func write(_ group: [Int]) async -> [String] {
            groups.append(group)
            if !isOpen { await withCheckedContinuation { gate = $0 } }
            return group.map { "written \($0)" }
        }
        func open() {
            isOpen = true
            gate?.resume()
            gate = nil
        }
        /// Polls without a deadline of its own (see ``CacheRefresherTests/Counter``).
        func waitForGroups(_ count: Int) async throws {
            while groups.count < count { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    @Test(.timeLimit(.minutes(10))) func bundlesArrivingDuringAWriteGoTogetherInTheNext() async throws {
        let recorder = Recorder()
        let writer = GroupWriter<Int, String>(places: 16, maxGroup: 3) { await recorder.write($0) }
        // Unstructured, so that a failure here never waits for a write the recorder holds.
        let first = Task { await writer.submit(0) }
        try await recorder.waitForGroups(1)
        let rest = Task {
            await withTaskGroup(of: (Int, String).self) { tasks in
                for n in 1...5 { tasks.addTask { (n, await writer.submit(n)) } }
                var outputs: [Int: String] = [:]
                for await (n, output) in tasks { outputs[n] = output }
                return outputs
            }
        }
        // Wait until all five are queued behind the first write, then let the writes go.
        try await Task.sleep(for: .milliseconds(200))
        await recorder.open()
        #expect(await first.value == "written 0")
        let outputs = await rest.value
        #expect(outputs == Dictionary(uniqueKeysWithValues: (1...5).map { ($0, "written \($0)") }))
        let groups = await recorder.groups
        #expect(groups.first == [0])
        #expect(groups.dropFirst().map(\.count) == [3, 2])
        #expect(Set(groups.joined()) == Set(0...5))
    }

    @Test(.timeLimit(.minutes(10))) func atMostPlacesAreHeldAndTheOthersWaitInOrder() async throws {
        let writer = GroupWriter<Int, Int>(places: 2, maxGroup: 8) { $0 }
        await writer.reserve()
        await writer.reserve()
        let order = Locked<[Int]>([])
        let third = Task {
            await writer.reserve()
            order.mutate { $0.append(3) }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(order.value.isEmpty)
        order.mutate { $0.append(1) }
        await writer.release()
        await third.value
        #expect(order.value == [1, 3])
        #expect(await writer.submit(7) == 7)
    }

    final class Locked<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value { lock.withLock { stored } }
        func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
    }
}
