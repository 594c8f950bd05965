import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `terep server` on a loopback port the system picks, for one test.
final class ServerProcess {
    let process = Process()
    let port: Int
    let tls: Bool
    private let errors = Pipe()

    /// Starts `terep server --listen 127.0.0.1:0` with `arguments` and waits (at most 60 s)
    /// for the line that names the bound port. With a `launcher`, that command starts it instead
    /// (through `env`), with the binary's path and the server's arguments after its own.
    init(_ arguments: [String], tls: Bool = false, environment: [String: String] = [:], launcher: [String] = []) throws {
        self.tls = tls
        let terep = try TerepProcess.requireBinary()
        let server = ["server", "--listen", "127.0.0.1:0"] + arguments
        if launcher.isEmpty {
            process.executableURL = terep
            process.arguments = server
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = launcher + [terep.path] + server
        }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        var port: Int?
        while port == nil, Date() < deadline, process.isRunning {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "listening on \(tls ? "https" : "http")://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if text[range.upperBound...].dropFirst(digits.count).first == " " { port = Int(digits) }
            }
        }
        guard let port else {
            process.terminate()
            throw TerepProcess.Failure("terep server did not start: \(text)")
        }
        self.port = port
    }

    var url: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    /// SIGTERM, then the exit status (SIGKILL after 20 s).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { stop() } }
}

/// A TCP relay on loopback to `target` that cuts its first connection after forwarding
/// `cutAfter` bytes of the request (both sides closed), and relays later connections whole.
/// Accepts at most `maxConnections` and stops when closed.
final class CuttingProxy: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let target: Int
    private let cutAfter: Int
    private let lock = NSLock()
    private var accepted = 0

    init(target: Int, cutAfter: Int, maxConnections: Int = 8) throws {
        self.target = target
        self.cutAfter = cutAfter
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw TerepProcess.Failure("the proxy could not listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            for index in 0..<maxConnections {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                lock.lock()
                accepted += 1
                lock.unlock()
                guard let server = Self.connect(port: self.target) else {
                    Glibc.close(client)
                    continue
                }
                if index == 0 {
                    Self.pump(from: client, to: server, limit: self.cutAfter)
                    shutdown(client, Int32(SHUT_RDWR))
                    shutdown(server, Int32(SHUT_RDWR))
                    Glibc.close(client)
                    Glibc.close(server)
                } else {
                    Thread.detachNewThread {
                        Self.pump(from: server, to: client, limit: .max); shutdown(client, Int32(SHUT_WR))
                    }
                    Thread.detachNewThread {
                        Self.pump(from: client, to: server, limit: .max); shutdown(server, Int32(SHUT_WR))
                    }
                }
            }
        }
    }

    var connections: Int {
        lock.lock()
        defer { lock.unlock() }
        return accepted
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    private static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            Glibc.close(fd)
            return nil
        }
        return fd
    }

    /// Copies bytes until end of stream, an error, or `limit` bytes.
    private static func pump(from source: Int32, to sink: Int32, limit: Int) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var left = limit
        while left > 0 {
            let n = read(source, &buffer, min(buffer.count, left))
            if n <= 0 { return }
            var sent = 0
            while sent < n {
                let w = buffer[sent..<n].withUnsafeBytes { write(sink, $0.baseAddress, n - sent) }
                if w <= 0 { return }
                sent += w
            }
            left -= n
        }
    }
}
