import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import SurveyModel
import SurveyStore
import SurveySync
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd.ServerEndToEndTests {
    /// A signed POST of `body` to the server's upload path.
    func post(_ url: String, body: Data, signature: RequestSignature?, chunked: Bool = false) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url + "/v1/bundles")
        request.method = .POST
        for header in signature?.headers ?? [] { request.headers.add(name: header.name, value: header.value) }
        if chunked {
            let pieces = stride(from: 0, to: body.count, by: 65_536).map { ByteBuffer(data: body[$0..<min($0 + 65_536, body.count)]) }
            request.body = .stream(pieces.async, length: .unknown)
        } else {
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    /// The device's bundle file and signing key.
    func bundleAndKey(_ device: Device) throws -> (Data, DeviceSigningKey) {
        let bundle = dir.appendingPathComponent("\(device.name).terepbundle").path
        let made = try TerepProcess.run(["bundle", "create", "--device-db", device.database, "-o", bundle])
        try #require(made.status == 0, "\(made.stderr)")
        let stored = try #require(try DeviceStore.open(path: device.database, readOnly: true).signingKey())
        return (try Data(contentsOf: URL(fileURLWithPath: bundle)), try DeviceSigningKey(rawRepresentation: stored.privateKey))
    }

    @Test("a request replayed to a restarted server is still refused: nonces are kept in the central dataset")
    func replayAfterRestart() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = try makeDevice(1)
        let (body, key) = try bundleAndKey(device)
        let genuine = try RequestSignature.sign(
            method: "POST", path: "/v1/bundles", body: body, device: DeviceID(device.name), key: key,
            timestampMillis: Int64(Date().timeIntervalSince1970 * 1000))
        let first = try ServerProcess(["--central", central])
        let accepted = try await post(first.url, body: body, signature: genuine)
        #expect(accepted.0 == 200, "\(accepted.1)")
        #expect(first.stop() == 0)
        let second = try ServerProcess(["--central", central])
        defer { second.stop() }
        let replayed = try await post(second.url, body: body, signature: genuine)
        #expect(replayed.0 == 401 && replayed.1 == "nonce \(genuine.nonce) was already used: a request is accepted once\n", "\(replayed)")
    }

    @Test("an upload above --max-bundle-mb is refused with 413 and its reason, declared or streamed, and nothing is merged")
    func tooLarge() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = try makeDevice(1)
        let (_, key) = try bundleAndKey(device)
        let server = try ServerProcess(["--central", central, "--max-bundle-mb", "1"])
        defer { server.stop() }
        let big = Data(repeating: 0x61, count: (1 << 20) + 1)
        for chunked in [false, true] {
            let signature = try RequestSignature.sign(
                method: "POST", path: "/v1/bundles", body: big, device: DeviceID(device.name), key: key,
                timestampMillis: Int64(Date().timeIntervalSince1970 * 1000))
            let refused = try await post(server.url, body: big, signature: signature, chunked: chunked)
            #expect(
                refused.0 == 413 && refused.1 == "the upload is larger than the server accepts (1048576 bytes, --max-bundle-mb)\n",
                "chunked \(chunked): \(refused)")
        }
        let metrics = try await get(server.url + "/metrics")
        #expect(metrics.body.contains("terep_rejections_total{reason=\"too-large\"} 2\n"), "\(metrics.body)")
        let status = try TerepProcess.run(["central", "status", "--central", central, "--format", "json"])
        #expect(status.stdout.contains("\"events\":0") || status.stdout.contains("\"events\" : 0"), "\(status.stdout)")
    }

    @Test("beyond --max-uploads a new upload is answered 503 at once, and terep sync gets through when the place is free")
    func busy() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = try makeDevice(1)
        let server = try ServerProcess(["--central", central, "--max-uploads", "1", "--max-merges", "1"])
        defer { server.stop() }
        // One upload that never finishes holds the only place.
        let holder = try HeldUpload(port: server.port)
        try await Task.sleep(for: .milliseconds(300))
        let refused = try await post(server.url, body: Data("x".utf8), signature: nil)
        #expect(refused.0 == 503 && refused.1 == "the server is receiving 1 uploads already; try again later\n", "\(refused)")
        holder.close()
        let synced = try sync(device, server.url)
        #expect(synced.status == 0 && synced.stdout.contains("upload: merged"), "\(synced.stdout)\(synced.stderr)")
        let metrics = try await get(server.url + "/metrics")
        #expect(metrics.body.contains("terep_rejections_total{reason=\"busy\"} 1\n"), "\(metrics.body)")
    }
}

/// A raw connection that sends an upload's head and a little of its body, then waits until closed.
final class HeldUpload {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TerepProcess.Failure("cannot connect to the server") }
        let head = "POST /v1/bundles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nTEREP"
        _ = head.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, head.utf8.count) }
    }

    func close() { Glibc.close(fd) }
}
