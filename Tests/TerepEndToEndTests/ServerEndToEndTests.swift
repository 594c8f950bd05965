import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import SurveyModel
import SurveyStore
import SurveySync
import SyncServer
import Testing

extension EndToEnd {
    /// `terep server` and `terep sync`, the real binaries over HTTP on loopback.
    @Suite struct ServerEndToEndTests {
        typealias Device = SimulatedDevice

        let dir: URL
        let central: String
        let survey: String

        init() throws {
            survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
            try TerepProcess.initCentral(central)
        }

        func makeDevice(_ n: Int, interviews: Int = 4, register: Bool = true) throws -> Device {
            let device = try TerepProcess.simulatedDevice(
                "lap-\(n)", database: dir.appendingPathComponent("d\(n).sqlite").path, interviewer: "I\(n)", survey: survey,
                interviews: interviews, seed: n)
            if register { try self.register(device) }
            return device
        }

        func register(_ device: Device) throws { try TerepProcess.register(device, central: central) }

        func sync(_ device: Device, _ url: String, retries: Int = 5) throws -> TerepProcess.Result {
            try TerepProcess.run(["sync", "--server", url, "--device-db", device.database, "--retries", "\(retries)"])
        }

        /// The package line of a device made without the coordinator's key.
        static let noPackage =
            "package: not fetched: this device has no coordinator key to check it with (terep device init --coordinator-key)"

        func bundledThrough(_ device: Device) throws -> Int64 {
            try DeviceStore.open(path: device.database, readOnly: true).bundledThrough()
        }

        func eventCount(_ device: Device) throws -> Int64 {
            try DeviceStore.open(path: device.database, readOnly: true).info().nextSequence - 1
        }

        func get(_ url: String) async throws -> (status: Int, body: String) {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body))
        }

        @Test("three devices sync at once; each is merged once, marked sent, and has nothing new after")
        func threeDevicesConcurrently() async throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let devices = try (1...3).map { try makeDevice($0) }
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }
            let url = server.url
            let results = try await withThrowingTaskGroup(of: (Int, TerepProcess.Result).self) { group in
                for (index, device) in devices.enumerated() {
                    group.addTask { (index, try sync(device, url)) }
                }
                var results: [Int: TerepProcess.Result] = [:]
                for try await (index, result) in group { results[index] = result }
                return results
            }
            for (index, device) in devices.enumerated() {
                let result = try #require(results[index])
                #expect(result.status == 0, "\(result.stderr)")
                let lines = result.stdout.split(separator: "\n")
                #expect(lines.count == 3, "\(result.stdout)")
                #expect(lines.first?.hasPrefix("bundle: ") == true)
                #expect(lines.dropFirst().first?.hasPrefix("upload: merged (bundle ") == true, "\(result.stdout)")
                #expect(lines.last == Substring(Self.noPackage), "\(result.stdout)")
                #expect(try bundledThrough(device) == eventCount(device))
                let again = try sync(device, server.url)
                #expect(
                    again.status == 0 && again.stdout == "bundle: nothing new to send\n\(Self.noPackage)\n",
                    "\(again.stdout)\(again.stderr)")
            }
            #expect(try await get(server.url + "/status").status == 400, "/status is the coordinator's")
            let status = try TerepProcess.run(["central", "fetch", "--central", central, "--server", server.url, "/status"])
            #expect(status.status == 0, "\(status.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(json["bundlesAccepted"] as? Int == 3)
            let merged = try devices.reduce(Int64(0)) { $0 + (try eventCount($1)) }
            #expect(json["events"] as? Int == Int(merged))
            for device in json["devices"] as? [[String: Any]] ?? [] { #expect(device["missing"] as? String == "none") }
            let metrics = try await get(server.url + "/metrics")
            #expect(metrics.body.contains("terep_bundles_total{result=\"merged\"} 3\n"), "\(metrics.body)")
            #expect(metrics.body.contains("terep_events_merged_total \(merged)\n"))
            #expect(metrics.body.contains("terep_http_requests_total{route=\"/v1/bundles\",status=\"200\"} 3\n"))
            #expect(try await get(server.url + "/healthz") == (200, "ok\n"))
            #expect(server.stop() == 0)
        }

        @Test("an upload cut half-way merges nothing; the retry completes and is merged once")
        func cutUpload() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = try makeDevice(1, interviews: 8)
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }
            let proxy = try CuttingProxy(target: server.port, cutAfter: 2_000)
            defer { proxy.close() }
            let result = try sync(device, "http://127.0.0.1:\(proxy.port)")
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let bytes = result.stdout.split(separator: "\n").first.flatMap { $0.split(separator: " ").dropLast().last }
            #expect((bytes.flatMap { Int($0) } ?? 0) > 4_000, "the bundle must be larger than the cut: \(result.stdout)")
            #expect(result.stdout.contains("upload: attempt 1 failed ("), "\(result.stdout)")
            #expect(result.stdout.contains("upload: merged (bundle "), "\(result.stdout)")
            #expect(proxy.connections >= 2)
            let status = try TerepProcess.run(["central", "status", "--central", central, "--format", "json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(json["bundlesAccepted"] as? Int == 1 && json["bundlesRejected"] as? Int == 0, "\(status.stdout)")
            #expect(json["events"] as? Int == Int(try eventCount(device)))
            #expect(try bundledThrough(device) == eventCount(device))
        }

        @Test("unregistered and revoked devices are refused with 401 and 403 and their reason; the device is unchanged")
        func unregisteredAndRevoked() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let stranger = try makeDevice(1, register: false)
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }
            let refused = try sync(stranger, server.url)
            #expect(refused.status == 1)
            #expect(
                refused.stderr.contains("error: the server refused the upload (HTTP 401): device lap-1 is not registered here"),
                "\(refused.stderr)")
            #expect(try bundledThrough(stranger) == 0)

            try register(stranger)
            let accepted = try sync(stranger, server.url)
            #expect(accepted.status == 0 && accepted.stdout.contains("upload: merged"), "\(accepted.stdout)\(accepted.stderr)")
            _ = try TerepProcess.run(["simulate", survey, "--interviews", "1", "--device-db", stranger.database, "--seed", "9"])
            let before = try bundledThrough(stranger)
            let revoked = try TerepProcess.run(["central", "revoke-device", "--central", central, "--device-id", stranger.name])
            #expect(revoked.status == 0, "\(revoked.stderr)")
            let refusedAgain = try sync(stranger, server.url)
            #expect(refusedAgain.status == 1)
            #expect(refusedAgain.stderr.contains("(HTTP 403): device lap-1 was revoked"), "\(refusedAgain.stderr)")
            #expect(try bundledThrough(stranger) == before)
        }

        @Test("forged, replayed, unsigned and stale requests are refused with their status and reason")
        func forgedAndReplayed() async throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = try makeDevice(1)
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            let made = try TerepProcess.run(["bundle", "create", "--device-db", device.database, "-o", bundle])
            try #require(made.status == 0, "\(made.stderr)")
            let body = try Data(contentsOf: URL(fileURLWithPath: bundle))
            let stored = try #require(try DeviceStore.open(path: device.database, readOnly: true).signingKey())
            let key = try DeviceSigningKey(rawRepresentation: stored.privateKey)
            let server = try ServerProcess(["--central", central])
            defer { server.stop() }
            let now = Int64(Date().timeIntervalSince1970 * 1000)

            func post(_ signature: RequestSignature?, body: Data = body) async throws -> (Int, String) {
                var request = HTTPClientRequest(url: server.url + "/v1/bundles")
                request.method = .POST
                for header in signature?.headers ?? [] { request.headers.add(name: header.name, value: header.value) }
                request.body = .bytes(ByteBuffer(data: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
            }
            func sign(_ key: DeviceSigningKey, at time: Int64, body: Data = body) throws -> RequestSignature {
                try RequestSignature.sign(
                    method: "POST", path: "/v1/bundles", body: body, device: DeviceID(device.name), key: key, timestampMillis: time)
            }

            let forged = try await post(try sign(DeviceSigningKey(), at: now))
            #expect(forged.0 == 401 && forged.1 == "the signature does not verify with the key registered for device lap-1\n")
            let swapped = try await post(try sign(key, at: now, body: Data("other".utf8)))
            #expect(swapped.0 == 401 && swapped.1.hasPrefix("the signature does not verify"))
            let unsigned = try await post(nil)
            #expect(unsigned.0 == 400 && unsigned.1.hasPrefix("the request is not signed"))
            let stale = try await post(try sign(key, at: now - 3_600_000))
            #expect(stale.0 == 401 && stale.1.contains("behind the server's clock"), "\(stale.1)")

            let genuine = try sign(key, at: now)
            let first = try await post(genuine)
            #expect(first.0 == 200, "\(first.1)")
            let receipt = try #require(UploadReceiptFields(first.1))
            #expect(receipt.status == "merged" && receipt.newEvents > 0)
            let replayed = try await post(genuine)
            #expect(replayed.0 == 401 && replayed.1 == "nonce \(genuine.nonce) was already used: a request is accepted once\n")
            let resent = try await post(try sign(key, at: now))
            #expect(resent.0 == 200 && UploadReceiptFields(resent.1)?.status == "already-merged", "\(resent.1)")

            let metrics = try await get(server.url + "/metrics")
            for reason in ["forged\"} 2", "replayed\"} 1", "unsigned\"} 1", "clock-skew\"} 1"] {
                #expect(metrics.body.contains("terep_rejections_total{reason=\"\(reason)"), "\(metrics.body)")
            }
            #expect(metrics.body.contains("terep_bundles_total{result=\"merged\"} 1\n"))
            #expect(metrics.body.contains("terep_bundles_total{result=\"already-merged\"} 1\n"))
        }

        @Test("over HTTPS with the server's own certificate: trusted with --ca-cert, refused without")
        func https() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let openssl = try #require(
                ["/usr/bin/openssl", "/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) },
                "openssl is needed to make a test certificate: apt-get install openssl")
            let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
            let made = try TerepProcess.run(
                executable: URL(fileURLWithPath: openssl),
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", key, "-out", cert, "-days", "2",
                    "-nodes", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                ])
            try #require(made.status == 0, "\(made.stderr)")
            let device = try makeDevice(1)
            let server = try ServerProcess(["--central", central, "--tls-cert", cert, "--tls-key", key], tls: true)
            defer { server.stop() }
            let untrusted = try sync(device, server.url, retries: 0)
            #expect(untrusted.status == 75, "\(untrusted.stdout)\(untrusted.stderr)")
            #expect(try bundledThrough(device) == 0)
            let trusted = try TerepProcess.run(
                ["sync", "--server", server.url, "--device-db", device.database, "--ca-cert", cert])
            #expect(trusted.status == 0 && trusted.stdout.contains("upload: merged"), "\(trusted.stdout)\(trusted.stderr)")
            #expect(try bundledThrough(device) == eventCount(device))
        }

        @Test("plain HTTP on an address other machines reach is refused unless --insecure-http")
        func plainHTTPRefused() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let result = try TerepProcess.run(["server", "--central", central, "--listen", "0.0.0.0:0"])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error: refusing plain HTTP on 0.0.0.0:0"), "\(result.stderr)")
            let unreachable = try TerepProcess.run(
                [
                    "sync", "--server", "http://127.0.0.1:1", "--device-db", try makeDevice(1).database, "--retries", "1",
                    "--connect-timeout", "2",
                ])
            #expect(unreachable.status == 75, "\(unreachable.stdout)\(unreachable.stderr)")
            #expect(unreachable.stderr.contains("could not take the request, after 2 attempts"))
        }
    }
}

/// The receipt's fields the tests read.
struct UploadReceiptFields {
    var status: String
    var newEvents: Int

    init?(_ text: String) {
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let status = json["status"] as? String, let newEvents = json["newEvents"] as? Int
        else { return nil }
        self.status = status
        self.newEvents = newEvents
    }
}

@Suite struct ListenAddressTests {
    @Test("HOST:PORT, [IPv6]:PORT and :PORT parse; loopback is 127/8, ::1 and localhost")
    func parsing() {
        #expect(ListenAddress("127.0.0.1:8443") == ListenAddress(host: "127.0.0.1", port: 8443))
        #expect(ListenAddress("[::1]:80") == ListenAddress(host: "::1", port: 80))
        #expect(ListenAddress(":9000") == ListenAddress(host: "127.0.0.1", port: 9000))
        #expect(ListenAddress("host") == nil && ListenAddress("a:70000") == nil && ListenAddress("::1:80") == nil)
        #expect(ListenAddress("127.8.0.1:1")?.isLoopback == true && ListenAddress("localhost:1")?.isLoopback == true)
        #expect(ListenAddress("[::1]:1")?.isLoopback == true)
        #expect(ListenAddress("0.0.0.0:1")?.isLoopback == false && ListenAddress("10.0.0.1:1")?.isLoopback == false)
        #expect(ListenAddress("127.0.0.1.evil.example:1")?.isLoopback == false)
    }

    @Test("the configuration refuses plain HTTP off loopback, allows it with TLS or --insecure-http")
    func plainHTTP() {
        var configuration = ServerConfiguration(listen: ListenAddress(host: "192.0.2.1", port: 443))
        #expect(configuration.problem?.hasPrefix("refusing plain HTTP on 192.0.2.1:443") == true)
        configuration.insecureHTTP = true
        #expect(configuration.problem == nil)
        configuration.insecureHTTP = false
        configuration.tls = ("cert.pem", "key.pem")
        #expect(configuration.problem == nil)
    }
}
