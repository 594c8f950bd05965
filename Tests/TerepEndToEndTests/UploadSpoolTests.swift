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

    static func files(_ spool: UploadSpool) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: spool.directory)) ?? []
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

/// The cache refresher starts its run once the uploads have gone quiet, so the cores merge
/// during a burst; a steady stream of uploads delays it at most the gate's limit.
struct CacheRefresherTests {
    @Test func aRunWaitsUntilNoUploadIsInFlight() async throws {
        let gate = UploadGate(maxUploads: 4, maxMerges: 2)
        let runs = Counter()
        let refresher = CacheRefresher(quiet: { await gate.quiet() }, work: { await runs.add() })
        #expect(await gate.enter())
        await refresher.schedule()
        try await Task.sleep(for: .milliseconds(300))
        #expect(await runs.value == 0)
        await gate.leave()
        try await runs.wait(for: 1)
        #expect(await runs.value == 1)
    }

    @Test func uploadsWithoutAPauseDelayARunOnlyUpToTheLimit() async throws {
        let gate = UploadGate(maxUploads: 4, maxMerges: 2)
        let runs = Counter()
        let refresher = CacheRefresher(quiet: { await gate.quiet(limit: .milliseconds(200)) }, work: { await runs.add() })
        #expect(await gate.enter())
        await refresher.schedule()
        try await runs.wait(for: 1)
        #expect(await gate.busy)
        await gate.leave()
    }

    /// Counts runs; `wait` gives up after 10 s.
    actor Counter {
        private(set) var value = 0
        func add() { value += 1 }
        func wait(for count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while value < count {
                guard ContinuousClock.now < deadline else { throw CancellationError() }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}
