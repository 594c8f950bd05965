import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import SurveyModel
import SurveyStore
import SurveySync
import Testing

@testable import SurveyStorePostgres

extension EndToEnd.PostgresEndToEndTests {
    @Test("two terep server processes over one PostgreSQL database, sent the same bundle at the same moment, merge it once")
    func twoServersMergeOnce() async throws {
        let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
        let dir = try TerepProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("lap.sqlite").path
        let publicKey = try makeDevice("lap-1", database: database, survey: survey, interviews: 6, seed: 21)
        let central = try Self.newURL()
        let made = try run(["central", "init", "--central", central])
        try #require(made.status == 0, "\(made.stderr)")
        #expect(try run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", publicKey]).status == 0)
        let stored = try #require(try DeviceStore.open(path: database, readOnly: true).signingKey())
        let key = try DeviceSigningKey(rawRepresentation: stored.privateKey)
        let servers = try (0..<2).map { _ in try ServerProcess(["--central", central]) }
        defer { for server in servers { server.stop() } }

        let rounds = 6
        var merged = 0, alreadyMerged = 0, newEvents = 0
        for round in 1...rounds {
            if round > 1 { try simulate(database, survey: survey, interviews: 4, seed: 21 + round) }
            let body = try Data(
                contentsOf: URL(fileURLWithPath: try bundle(database, to: dir.appendingPathComponent("b\(round).terepbundle").path)))
            // Signed apart (each request has its own nonce), sent together.
            let requests = try servers.map { server in
                let signature = try RequestSignature.sign(
                    method: "POST", path: "/v1/bundles", body: body, device: DeviceID("lap-1"), key: key,
                    timestampMillis: DeviceStore.currentMilliseconds())
                var request = HTTPClientRequest(url: server.url + "/v1/bundles")
                request.method = .POST
                for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
                request.body = .bytes(ByteBuffer(data: body))
                return request
            }
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for request in requests {
                    group.addTask {
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
                        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == 200 }, "round \(round): \(answers)")
            let receipts = answers.compactMap { UploadReceiptFields($0.1) }
            #expect(receipts.map(\.status).sorted() == ["already-merged", "merged"], "round \(round): \(answers)")
            merged += receipts.count { $0.status == "merged" }
            alreadyMerged += receipts.count { $0.status == "already-merged" }
            newEvents += receipts.reduce(0) { $0 + $1.newEvents }
        }
        let status = try centralStatus(central)
        let onDevice = try DeviceStore.open(path: database, readOnly: true).info().nextSequence - 1
        #expect(merged == rounds && alreadyMerged == rounds)
        #expect(newEvents == Int(onDevice), "each event new once")
        #expect(status["events"] as? Int == Int(onDevice) && status["bundlesAccepted"] as? Int == rounds, "\(status)")
        for server in servers { #expect(server.stop() == 0) }
    }

    @Test("PostgreSQL ends terep server's connections (pg_terminate_backend): terep sync merges everything once, on new ones")
    func aLostConnectionUnderTheServer() throws {
        let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
        let dir = try TerepProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("lap.sqlite").path
        let device = try TerepProcess.simulatedDevice(
            "lap-1", database: database, interviewer: "I-lap-1", survey: survey, interviews: 4, seed: 31)
        // The server's connections are told apart from the other tests' by their application_name.
        let name = "terep-e2e-" + UUID().uuidString.prefix(8).lowercased()
        let base = try Self.newURL()
        let central = base + "&application_name=\(name)"
        try TerepProcess.initCentral(central)
        try TerepProcess.register(device, central: central)
        let server = try ServerProcess(["--central", central])
        defer { server.stop() }
        func sync() throws -> TerepProcess.Result {
            try run(["sync", "--server", server.url, "--device-db", database, "--retries", "5"])
        }
        let first = try sync()
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        let admin = try PostgresSession.connect(try PostgresLocation(url: base))
        func connections() throws -> Int64 {
            try admin.withLock { () throws(StoreError) in
                try admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = \(name)").scalar(Int64.self)
            } ?? -1
        }
        let ended = try admin.withLock { () throws(StoreError) in
            try admin.query(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = \(name)"
            ).scalar(Int64.self)
        }
        #expect(ended ?? 0 >= 1, "the server holds a connection between requests")
        let deadline = Date().addingTimeInterval(30)
        while try connections() > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }

        try TerepProcess.simulate(database, survey: survey, interviews: 3, seed: 32)
        let second = try sync()
        #expect(second.status == 0, "the server opens a new connection: \(second.stdout)\(second.stderr)")
        let status = try centralStatus(central)
        let onDevice = try DeviceStore.open(path: database, readOnly: true).info().nextSequence - 1
        #expect(status["events"] as? Int == Int(onDevice), "every event merged once: \(status)")
        #expect(status["bundlesRejected"] as? Int == 0, "a lost connection refuses nothing: \(status)")
        #expect(try connections() >= 1, "on a connection of its own again")
        #expect(server.stop() == 0)
    }
}
