import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import SurveyModel
import SurveyStore
import SurveySync
import Testing

extension EndToEnd.ServerEndToEndTests {
    /// A GET with the given signature headers: status and body.
    func signedGet(_ url: String, _ path: String, _ signature: RequestSignature?) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url + path)
        for header in signature?.headers ?? [] { request.headers.add(name: header.name, value: header.value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 16 << 20)))
    }

    func signGet(_ path: String, signer: String, key: DeviceSigningKey) throws -> RequestSignature {
        try RequestSignature.sign(
            method: "GET", path: path, body: Data(), device: DeviceID(signer), key: key,
            timestampMillis: Int64(Date().timeIntervalSince1970 * 1000))
    }

    @Test("the live report and /status answer the coordinator's signature only: unsigned 400, forged 401, a device 403, a replay 401")
    func coordinatorEndpoints() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = try makeDevice(1)
        let server = try ServerProcess(["--central", central])
        defer { server.stop() }
        #expect(try sync(device, server.url).status == 0)

        func fetch(_ path: String, _ extra: [String] = []) throws -> TerepProcess.Result {
            try TerepProcess.run(["central", "fetch", "--central", central, "--server", server.url, path] + extra)
        }
        let html = dir.appendingPathComponent("report.html").path
        let page = try fetch("/surveys/wellbeing/report", ["-o", html])
        #expect(page.status == 0, "\(page.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("<svg"), "\(text.prefix(200))")
        let json = try fetch("/surveys/wellbeing/report.json")
        #expect(json.status == 0, "\(json.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(figures["survey"] as? String == "wellbeing")
        let local = try TerepProcess.run(["report", "--central", central, "--survey", "wellbeing", "--format", "json"])
        let localFigures = try #require(try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])
        #expect(
            (figures["selection"] as? [String: Any])?["included"] as? Int == (localFigures["selection"] as? [String: Any])?["included"]
                as? Int,
            "the server's report counts what terep report counts")
        let unknown = try fetch("/surveys/nosuch/report.json")
        #expect(
            unknown.status == 1 && unknown.stderr.contains("the server refused GET /surveys/nosuch/report.json (HTTP 404)"),
            "\(unknown.stderr)")

        let coordinator = coordinatorSignerHeader
        let stored = try #require(try DeviceStore.open(path: device.database, readOnly: true).signingKey())
        let deviceKey = try DeviceSigningKey(rawRepresentation: stored.privateKey)
        let unsigned = try await signedGet(server.url, "/status", nil)
        #expect(unsigned.0 == 400 && unsigned.1.hasPrefix("the request is not signed"), "\(unsigned)")
        let forged = try await signedGet(server.url, "/status", try signGet("/status", signer: coordinator, key: DeviceSigningKey()))
        #expect(forged.0 == 401 && forged.1 == "the signature does not verify with the key registered for the coordinator\n", "\(forged)")
        let byDevice = try await signedGet(server.url, "/status", try signGet("/status", signer: device.name, key: deviceKey))
        #expect(
            byDevice.0 == 403 && byDevice.1 == "only the coordinator may read /status: device lap-1 signed this request\n", "\(byDevice)")
        let pair = try #require(try CentralStore.open(path: central, readOnly: true).signingKey())
        let genuine = try signGet("/status", signer: coordinator, key: try DeviceSigningKey(rawRepresentation: pair.privateKey))
        #expect(try await signedGet(server.url, "/status", genuine).0 == 200)
        let replayed = try await signedGet(server.url, "/status", genuine)
        #expect(replayed.0 == 401 && replayed.1.hasSuffix("was already used: a request is accepted once\n"), "\(replayed)")
        let elsewhere = try await signedGet(server.url, "/surveys/wellbeing/report.json", genuine)
        #expect(elsewhere.0 == 401 && elsewhere.1.hasPrefix("the signature does not verify"), "a signature is for its path only")
        #expect(try await get(server.url + "/metrics").status == 200, "loopback reads /metrics")
    }
}

/// The device header value of the coordinator's requests (RequestAuthenticator.coordinatorSigner,
/// written out: the test checks the documented value).
let coordinatorSignerHeader = "@coordinator"
