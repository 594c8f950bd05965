import Foundation
import SurveyModel
import SurveySync

/// Bundle write and read+verify throughput beside raw zlib on the same payload bytes.
///
/// `swift run -c release TerepBench sync` — `TEREP_BENCH_SYNC_EVENTS` events, default 200,000, realistic mix
/// (per interview: started, shown/answered pairs with integers, codes, text, dates, a note, ended).
enum SyncBenchmark {
    static func run() throws {
        let count = ProcessInfo.processInfo.environment["TEREP_BENCH_SYNC_EVENTS"].flatMap { Int($0) } ?? 200_000
        let definition = SurveyDefinition(
            id: "wellbeing", version: "2026.1", title: LocalizedText(["hu": "Jóllét"]), languages: ["hu"], answerSets: [],
            items: [])
        let file = try DefinitionFiles.file(for: definition)
        let events = makeEvents(count: count, definition: file.hash)
        let contents = BundleContents(
            events: events, definitionFiles: [file.hash: file.bytes],
            interviewDefinitions: Dictionary(events.map { ($0.interview, file.hash) }, uniquingKeysWith: { a, _ in a }))
        let key = DeviceSigningKey()
        let coordinator = CoordinatorPrivateKey()
        let plain = try BundlePayload.encode(contents)
        let mb = Double(plain.count) / 1_048_576
        print("events: \(count), payload \(String(format: "%.1f", mb)) MiB JSON")

        var compressed = Data()
        let deflate = best { compressed = Zlib.deflate(plain) ?? Data() }
        let inflate = best { _ = try? Zlib.inflate(compressed, limit: plain.count) }
        let ratio = Double(plain.count) / Double(max(compressed.count, 1))
        print(String(format: "compression ratio (level 1): %.2f:1 (%d → %d bytes)", ratio, plain.count, compressed.count))

        var bundle = Data()
        let write = try bestThrowing {
            bundle = try BundleWriter.encode(contents, device: "laptop-07", signingKey: key, createdAtMillis: 0).data
        }
        var sealedBundle = Data()
        let writeEncrypted = try bestThrowing {
            sealedBundle = try BundleWriter.encode(
                contents, device: "laptop-07", signingKey: key, recipient: coordinator.publicKey, createdAtMillis: 0
            ).data
        }
        let reader = BundleReader()
        let registry: (DeviceID) -> DeviceRegistration = { _ in .registered(key.publicKey) }
        let read = try bestThrowing { _ = try reader.read(bundle, file: "bench", devices: registry, coordinatorKey: nil) }
        let readEncrypted = try bestThrowing {
            _ = try reader.read(sealedBundle, file: "bench", devices: registry, coordinatorKey: coordinator)
        }
        let path = NSTemporaryDirectory() + "terep-bench-\(UUID().uuidString).terepbundle"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writeFile = try bestThrowing {
            try? FileManager.default.removeItem(atPath: path)
            try BundleWriter.write(contents, device: "laptop-07", signingKey: key, createdAtMillis: 0, to: path)
        }

        let decodePayload = try bestThrowing { _ = try BundlePayload.decode(plain) }
        // Baseline: Foundation's JSONDecoder on the same events as one JSON array.
        var array = Data("[".utf8)
        let encoder = JSONEncoder()
        for (i, e) in events.enumerated() {
            if i > 0 { array.append(0x2C) }
            array.append(try encoder.encode(e))
        }
        array.append(0x5D)
        let decodeArray = try bestThrowing { _ = try JSONDecoder().decode([InterviewEvent].self, from: array) }
        let encodeOnly = try bestThrowing { _ = try BundlePayload.encode(contents) }

        func line(_ name: String, _ seconds: Double) {
            print(
                name.padding(toLength: 34, withPad: " ", startingAt: 0)
                    + String(format: "%8.3f s %11.0f events/s %8.1f MB/s", seconds, Double(count) / seconds, mb / seconds))
        }
        line("baseline: zlib deflate (level 1)", deflate)
        line("baseline: zlib inflate", inflate)
        line("payload decode (fast event path)", decodePayload)
        line("baseline: JSONDecoder, one array", decodeArray)
        line("payload encode", encodeOnly)
        line("bundle write (memory)", write)
        line("bundle write (file, fsync+rename)", writeFile)
        line("bundle write, encrypted", writeEncrypted)
        line("bundle read+verify", read)
        line("bundle read+verify, encrypted", readEncrypted)
        print(String(format: "write = %.1f× deflate time; read = %.1f× inflate time", write / deflate, read / inflate))
    }

    /// The best of three runs, in seconds.
    static func best(_ body: () -> Void) -> Double {
        (0..<3).map { _ in
            let start = ContinuousClock.now
            body()
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }.min() ?? 0
    }

    static func bestThrowing(_ body: () throws -> Void) throws -> Double {
        var failure: (any Error)?
        let t = best {
            do { try body() } catch { failure = error }
        }
        if let failure { throw failure }
        return t
    }

    /// Realistic events of one device: interviews of ~120 events each.
    static func makeEvents(count: Int, definition: DefinitionHash) -> [InterviewEvent] {
        var events: [InterviewEvent] = []
        events.reserveCapacity(count)
        var seq: Int64 = 1
        var time: Int64 = 1_764_000_000_000
        var interviewNumber = 0
        var state: UInt64 = 42
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        while events.count < count {
            interviewNumber += 1
            let interview = InterviewID(String(format: "%08x-4b1e-4c2a-9f7d-%012x", interviewNumber * 7919, interviewNumber))
            func add(_ kind: InterviewEventKind) {
                guard events.count < count else { return }
                time += Int64(800 + random(15_000))
                events.append(
                    InterviewEvent(
                        device: "laptop-07", sequence: seq, interview: interview, timestamp: time, interviewer: "Kovács Anna",
                        kind: kind))
                seq += 1
            }
            add(.started(definition: definition, seed: UInt64(random(1 << 30)), language: "hu", preload: ["cluster": .integer(12)]))
            for q in 0..<59 {
                let address = q % 10 == 9 ? Address(VariableName("m_age"), rows: [q % 4 + 1]) : Address(VariableName("q\(q)"))
                add(.shown(address))
                let answer: Answer =
                    switch q % 6 {
                    case 0: .value(.integer(random(90)))
                    case 1: .value(.choice(random(5) + 1))
                    case 2: .value(.choices([1, random(5) + 2]))
                    case 3: .value(.text(["Miskolc", "Diósgyőr", "nem tudom", "havonta egyszer"][random(4)]))
                    case 4: random(10) == 0 ? .special(.dontKnow) : .value(.choice(random(11)))
                    default: .value(.date(LocalDate(year: 1950 + random(50), month: 1 + random(12), day: 1 + random(28))))
                    }
                add(.answered(address, answer))
            }
            add(.ended(outcome: 11))
        }
        return events
    }
}
