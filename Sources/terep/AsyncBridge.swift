import Foundation

#if canImport(Glibc)
    @preconcurrency import SwiftGlibc
#endif

/// Runs an async body to completion from a synchronous command's `run()`: the server and the
/// sync client are async (SwiftNIO), the rest of terep is not. The calling thread waits; the
/// body runs on the concurrency pool.
enum AsyncBridge {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox<T>: @unchecked Sendable {
        // Written once by the task before it signals, read after the wait.
        var result: Result<T, any Error>?
    }
}

extension Console {
    /// Prints a line on standard output and flushes it, so that a step shows as it happens
    /// even through a pipe.
    static func line(_ text: String) {
        print(text)
        fflush(stdout)
    }
}
