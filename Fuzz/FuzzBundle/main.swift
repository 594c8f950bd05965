// Fuzz target for the bundle reader: built only by scripts/fuzz-bundle.sh (-DFUZZING);
// a plain build prints a hint. The first input byte picks what is fuzzed:
//   0: the whole file, read with a fixed registry and coordinator key;
//   1: the bytes are a plain payload, wrapped in a correctly signed bundle (deep checks);
//   2: the bytes are a manifest, signed, around a fixed valid payload (manifest, caps, decryption);
//   3: the bytes are a zlib stream, inflated under a 1 MiB limit;
//   4: the bytes are one event line: the fast decoder must agree with JSONDecoder (else trap).
// `FuzzBundle --write-seeds DIR` writes one seed per mode.
import Foundation
import FuzzSupport
import SurveyModel
import SurveySync

enum Harness {
    static let deviceKey = try? DeviceSigningKey(rawRepresentation: Data(repeating: 7, count: 32))
    static let coordinator = try? CoordinatorPrivateKey(rawRepresentation: Data(repeating: 9, count: 32))
    static let limits = BundleLimits(maxUncompressedSize: 8 << 20, maxRatio: 64, maxFileSize: 8 << 20)

    static func registry(_ device: DeviceID) -> DeviceRegistration {
        guard let key = deviceKey else { return .unknown }
        return device == "dev-a" ? .registered(key.publicKey) : device == "dev-r" ? .revoked : .unknown
    }

    static func run(_ bytes: Data) {
        guard let mode = bytes.first, let key = deviceKey else { return }
        let body = bytes.dropFirst()
        let reader = BundleReader(limits: limits)
        switch mode % 5 {
        case 0:
            _ = try? reader.read(Data(body), file: "fuzz", devices: registry, coordinatorKey: coordinator)
        case 1:
            guard let compressed = Zlib.deflate(Data(body)) else { return }
            let manifest = manifestFor(plain: Data(body), stored: compressed)
            guard let file = try? BundleWriter.assemble(manifestBytes: manifest, storedPayload: compressed, signingKey: key)
            else { return }
            _ = try? reader.read(file, file: "fuzz", devices: registry, coordinatorKey: coordinator)
        case 2:
            guard let file = try? BundleWriter.assemble(manifestBytes: Data(body), storedPayload: fixedPayload, signingKey: key)
            else { return }
            _ = try? reader.read(file, file: "fuzz", devices: registry, coordinatorKey: coordinator)
        case 3:
            _ = try? Zlib.inflate(Data(body), limit: 1 << 20)
        default:
            let line = Data(body)
            guard let fast = EventJSON.fastDecodeEvent(line) else { return }
            let reference = try? JSONDecoder().decode(InterviewEvent.self, from: line)
            if fast != reference { fatalError("fast event decoder disagrees with JSONDecoder") }
            let encoder = SurveyDefinition.canonicalEncoder()
            if (try? EventJSON.encode(fast)).map({ Data($0) }) != (try? encoder.encode(fast)) {
                fatalError("the event writer disagrees with JSONEncoder")
            }
        }
    }

    /// A manifest that matches the payload's sizes and guesses its counts from its lines.
    static func manifestFor(plain: Data, stored: Data) -> Data {
        let lines = plain.split(separator: 0x0A)
        let events = lines.count { $0.starts(with: Data("{\"device\"".utf8)) }
        let definitions = lines.compactMap { line -> DefinitionHash? in
            let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
            return parts.count == 3 && parts[0] == "definition" ? DefinitionHash(String(parts[1])) : nil
        }
        let manifest = BundleManifest(
            device: "dev-a", signerKey: deviceKey?.publicKey.text ?? "", sequenceRange: .init(first: 1, last: Int64(max(events, 1))),
            eventCount: events, interviewCount: 1, definitions: definitions.sorted(), createdAtMillis: 0, encryption: nil,
            payload: .init(
                compression: "zlib", sha256: BundleFormat.sha256Hex(stored), storedSize: stored.count,
                compressedSize: stored.count, uncompressedSize: plain.count))
        return manifest.canonicalBytes
    }

    /// A small valid payload's zlib stream (mode 2 pairs it with fuzzed manifests).
    static let fixedPayload: Data = Zlib.deflate(samplePayload) ?? Data()

    /// A valid payload: one small definition, one interview, two events.
    static let samplePayload: Data = {
        let definition = SurveyDefinition(
            id: "fz", version: "1", title: LocalizedText(["hu": "F"]), languages: ["hu"], answerSets: [], items: [])
        guard let file = try? DefinitionFiles.file(for: definition) else { return Data() }
        let events = [
            InterviewEvent(
                device: "dev-a", sequence: 1, interview: "iv-1", timestamp: 5, interviewer: "A",
                kind: .started(definition: file.hash, seed: 1, language: "hu", preload: [:])),
            InterviewEvent(
                device: "dev-a", sequence: 2, interview: "iv-1", timestamp: 6, interviewer: "A",
                kind: .answered(Address("q1", rows: [2]), .value(.integer(3)))),
        ]
        let contents = BundleContents(
            events: events, definitionFiles: [file.hash: file.bytes], interviewDefinitions: ["iv-1": file.hash])
        return (try? BundlePayload.encode(contents)) ?? Data()
    }()

    /// One seed per mode.
    static func writeSeeds(to dir: String) throws {
        guard let key = deviceKey else { return }
        let plain = samplePayload
        let compressed = Zlib.deflate(plain) ?? Data()
        let manifest = manifestFor(plain: plain, stored: compressed)
        let whole = try BundleWriter.assemble(manifestBytes: manifest, storedPayload: compressed, signingKey: key)
        let seeds: [(String, Data)] =
            [
                ("seed-whole", Data([0]) + whole), ("seed-payload", Data([1]) + plain),
                ("seed-manifest", Data([2]) + manifestFor(plain: plain, stored: fixedPayload)), ("seed-zlib", Data([3]) + compressed),
            ]
            + plain.split(separator: 0x0A).filter { $0.first == 0x7B }.enumerated().map {
                ("seed-line-\($0.offset)", Data([4]) + $0.element)
            }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, data) in seeds { try data.write(to: URL(fileURLWithPath: dir + "/" + name)) }
    }
}

FuzzEntry.main(
    "FuzzBundle", script: "scripts/fuzz-bundle.sh",
    run: { input in
        guard !input.isEmpty else { return }
        Harness.run(Data(input))
    },
    writeSeeds: { try Harness.writeSeeds(to: $0) })
