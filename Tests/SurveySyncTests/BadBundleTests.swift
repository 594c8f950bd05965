import Crypto
import Foundation
import SurveyModel
import Testing

@testable import SurveySync

/// Builds bundles, good and deliberately bad, around chosen payloads and manifests.
private enum Forge {
    static let deviceKey = try! DeviceSigningKey(rawRepresentation: Data(repeating: 1, count: 32))
    static let otherKey = try! DeviceSigningKey(rawRepresentation: Data(repeating: 2, count: 32))
    static let coordinator = try! CoordinatorPrivateKey(rawRepresentation: Data(repeating: 3, count: 32))
    static let otherCoordinator = try! CoordinatorPrivateKey(rawRepresentation: Data(repeating: 4, count: 32))
    static let def = Fixtures.definitionFile()
    static let events = Fixtures.events(interviews: 2, perInterview: 4, definition: def.hash)
    static let contents = Fixtures.contents(events, definition: def)

    static func good(recipient: CoordinatorPublicKey? = nil) -> Data {
        try! BundleWriter.encode(contents, device: "dev-a", signingKey: deviceKey, recipient: recipient, createdAtMillis: 0).data
    }

    /// A correctly signed bundle around any payload text, with manifest edits.
    static func signed(
        plain: Data, signer: DeviceSigningKey = deviceKey, edit: (inout BundleManifest) -> Void = { _ in }
    ) -> Data {
        let compressed = Zlib.deflate(plain)!
        var manifest = BundleManifest(
            format: 1, device: "dev-a", signerKey: deviceKey.publicKey.text, sequenceRange: .init(first: 1, last: 8),
            eventCount: 8, interviewCount: 2, definitions: [def.hash], createdAtMillis: 0, encryption: nil,
            payload: .init(
                compression: "zlib", sha256: Data(SHA256.hash(data: compressed)).hexString, storedSize: compressed.count,
                compressedSize: compressed.count, uncompressedSize: plain.count))
        edit(&manifest)
        let bytes = BundleFormat.encode(manifest)
        let signature = try! signer.signature(for: BundleFormat.signingInput(manifestBytes: bytes))
        return BundleWriter.container(manifestBytes: bytes, signature: signature, payload: compressed)
    }

    static func payload(_ contents: BundleContents) -> Data { try! BundlePayload.encode(contents) }

    /// The good payload with one text substitution.
    static func payload(replacing old: String, with new: String) -> Data {
        let text = String(decoding: payload(contents), as: UTF8.self)
        return Data(text.replacingOccurrences(of: old, with: new).utf8)
    }

    /// Rebuilds the container of `data` with its payload changed but a valid file checksum.
    static func tamperedPayload(_ data: Data) -> Data {
        let sealed = try! BundleReader().open(data, file: "x")
        var payload = sealed.payload
        payload[payload.startIndex + 10] ^= 0x01
        return BundleWriter.container(manifestBytes: sealed.manifestBytes, signature: sealed.signature, payload: payload)
    }
}

/// One bad bundle, the registry and key used to read it, and the one-line message expected.
struct BadBundle: Sendable, CustomTestStringConvertible {
    let name: String
    let data: @Sendable () -> Data
    var registration: DeviceRegistration = .registered(Forge.deviceKey.publicKey)
    var coordinatorKey: CoordinatorPrivateKey? = nil
    var limits = BundleLimits.default
    let message: String
    var testDescription: String { name }
}

/// The compressed size of the 4 MiB of zeros the bomb cases use.
private let zeros = Zlib.deflate(Data(count: 4 << 20))!.count

extension BadBundle {
    static let all: [BadBundle] = [
        .init(
            name: "not a bundle", data: { Data("id,age\n1,34\n".utf8) },
            message: "not a terep bundle (no 'terep-bundle' header); check that you picked the right file"),
        .init(
            name: "empty file", data: { Data() },
            message: "not a terep bundle (no 'terep-bundle' header); check that you picked the right file"),
        .init(
            name: "truncated",
            data: {
                let d = Forge.good(); return d.prefix(d.count - 100)
            },
            message: "truncated: \(Forge.good().count - 100) of \(Forge.good().count) bytes; copy the bundle again from the device"),
        .init(
            name: "truncated inside the header", data: { Forge.good().prefix(15) },
            message: "truncated: 15 of 27 bytes; copy the bundle again from the device"),
        .init(
            name: "bit flipped",
            data: {
                var d = Forge.good(); d[d.count / 2] ^= 0x10; return d
            },
            message: "damaged: file checksum mismatch (bits changed in transit or on disk); copy it again"),
        .init(
            name: "trailing bytes", data: { Forge.good() + Data([0, 1, 2]) },
            message: "damaged: 3 unexpected bytes after the end of the bundle; copy it again"),
        .init(
            name: "future format version",
            data: {
                var d = Forge.good(); d[14] = 3; return d
            },
            message: "bundle format version 3 is not supported (this terep reads versions 1 to 2); update terep"),
        .init(
            name: "manifest is not JSON",
            data: {
                let sig = try! Forge.deviceKey.signature(for: BundleFormat.signingInput(manifestBytes: Data("{oops".utf8)))
                return BundleWriter.container(manifestBytes: Data("{oops".utf8), signature: sig, payload: Data())
            },
            message: "malformed manifest: invalid data (The given data was not valid JSON.)"),
        .init(
            name: "unknown device", data: { Forge.good() }, registration: .unknown,
            message:
                "device 'dev-a' is not registered (its key \(Forge.deviceKey.publicKey.fingerprint)); register it with 'terep central add-device'"
        ),
        .init(
            name: "revoked device", data: { Forge.good() }, registration: .revoked,
            message: "device 'dev-a' is revoked; its bundles are not accepted"),
        .init(
            name: "signed by another key", data: { Forge.signed(plain: Forge.payload(Forge.contents), signer: Forge.otherKey) },
            message: "signature does not verify with the registered key of device 'dev-a'"),
        .init(
            name: "another key registered", data: { Forge.good() }, registration: .registered(Forge.otherKey.publicKey),
            message:
                "signed by key \(Forge.deviceKey.publicKey.fingerprint), but device 'dev-a' is registered with key \(Forge.otherKey.publicKey.fingerprint)"
        ),
        .init(
            name: "payload changed, checksum recomputed", data: { Forge.tamperedPayload(Forge.good()) },
            message: "payload SHA-256 does not match the signed manifest (tampered or damaged)"),
        .init(
            name: "encrypted, no key", data: { Forge.good(recipient: Forge.coordinator.publicKey) },
            message:
                "encrypted to coordinator key \(Forge.coordinator.publicKey.fingerprint); pass the coordinator's private key to open it"),
        .init(
            name: "encrypted, wrong key", data: { Forge.good(recipient: Forge.coordinator.publicKey) },
            coordinatorKey: Forge.otherCoordinator,
            message:
                "encrypted to coordinator key \(Forge.coordinator.publicKey.fingerprint), but the key given is \(Forge.otherCoordinator.publicKey.fingerprint)"
        ),
        .init(
            name: "definition hash mismatch",
            data: { Forge.signed(plain: Forge.payload(replacing: "2026.1", with: "2026.2")) },
            message:
                "definition declared as \(Forge.def.hash.short) hashes to \((try! DefinitionFiles.hash(of: Fixtures.definition(version: "2026.2"))).short)"
        ),
        .init(
            name: "event count differs from the manifest",
            data: { Forge.signed(plain: Forge.payload(Forge.contents)) { $0.eventCount = 9 } },
            message: "events inconsistent with the manifest: 8 events, manifest says 9"),
        .init(
            name: "sequence range differs from the manifest",
            data: { Forge.signed(plain: Forge.payload(Forge.contents)) { $0.sequenceRange = .init(first: 1, last: 12) } },
            message: "events inconsistent with the manifest: sequence range 1-8, manifest says 1-12"),
        .init(
            name: "duplicate sequence number",
            data: { Forge.signed(plain: Forge.payload(replacing: "\"sequence\":3,", with: "\"sequence\":2,")) },
            message: "events inconsistent with the manifest: duplicate sequence number 2"),
        .init(
            name: "event of another device",
            data: {
                let text = String(decoding: Forge.payload(Forge.contents), as: UTF8.self)
                let range = text.range(of: "\"device\":\"dev-a\",\"interview\"")!
                return Forge.signed(plain: Data(text.replacingCharacters(in: range, with: "\"device\":\"dev-x\",\"interview\"").utf8))
            },
            message: "events inconsistent with the manifest: event dev-x#1 is from another device than 'dev-a'"),
        .init(
            name: "malformed event JSON", data: { Forge.signed(plain: Forge.payload(replacing: "{\"device\"", with: "{device")) },
            message: "malformed event line 1 (of the events section): invalid data (The given data was not valid JSON.)"),
        .init(
            name: "payload without header", data: { Forge.signed(plain: Data("events 0\n".utf8)) },
            message: "malformed payload: missing 'terep-payload 1' header"),
        .init(
            name: "decompression bomb (lying size)",
            data: { Forge.signed(plain: Data(count: 4 << 20)) { $0.payload.uncompressedSize = 1000 } },
            message: "rejected as a decompression bomb: inflates past 1000 bytes from \(zeros) (caps: 512 MiB, ratio 100:1)"),
        .init(
            name: "decompression bomb (declared)", data: { Forge.signed(plain: Data(count: 4 << 20)) },
            message: "rejected as a decompression bomb: declares 4194304 bytes from \(zeros) (cap \(zeros * 100) bytes)"),
        .init(
            name: "decompression bomb (size cap)", data: { Forge.signed(plain: Forge.payload(Forge.contents)) },
            limits: BundleLimits(maxUncompressedSize: 100),
            message:
                "rejected as a decompression bomb: declares \(Forge.payload(Forge.contents).count) bytes from \(Zlib.deflate(Forge.payload(Forge.contents))!.count) (cap 100 bytes)"
        ),
    ]
}

@Test(arguments: BadBundle.all)
func aBadBundleIsRejectedWithItsOneLineReason(_ bad: BadBundle) {
    let reader = BundleReader(limits: bad.limits)
    do {
        _ = try reader.read(
            bad.data(), file: "usb/dev-a.terepbundle", devices: { _ in bad.registration }, coordinatorKey: bad.coordinatorKey)
        Issue.record("accepted a bad bundle: \(bad.name)")
    } catch {
        #expect(error.reason == bad.message)
        #expect(error.description == "usb/dev-a.terepbundle: " + bad.message)
        #expect(!error.description.contains("\n"))
    }
}

@Test func everyFailureKindIsCoveredByTheCorpus() {
    // Kinds that cannot come from reading an untouched writer's output are listed here.
    func label(_ kind: BundleError.Kind) -> String { String(describing: kind).prefix { $0 != "(" }.description }
    var seen = Set<String>()
    for bad in BadBundle.all {
        let reader = BundleReader(limits: bad.limits)
        do {
            _ = try reader.read(bad.data(), file: "f", devices: { _ in bad.registration }, coordinatorKey: bad.coordinatorKey)
        } catch { seen.insert(label(error.kind)) }
    }
    let expected: Set = [
        "notABundle", "truncated", "trailingData", "checksumMismatch", "unsupportedFormatVersion", "malformedManifest",
        "unknownDevice", "revokedDevice", "signerMismatch", "badSignature", "payloadDigestMismatch", "encryptedNoKey",
        "wrongCoordinatorKey", "decompressionBomb", "malformedPayload", "malformedEvent", "definitionHashMismatch",
        "inconsistentEvents",
    ]
    #expect(expected.subtracting(seen).isEmpty)
}

@Test func inflateStopsAtTheLimitWhileStreaming() throws {
    let zeros = try #require(Zlib.deflate(Data(count: 64 << 20)))
    #expect(zeros.count < (64 << 20) / 100)  // a bomb: level 1 still gets over 200:1 on zeros
    #expect(throws: InflateFailure.exceedsLimit(limit: 1 << 20)) { try Zlib.inflate(zeros, limit: 1 << 20) }
}

@Test(arguments: [0, 1, 5, 50])
func inflateReportsATruncatedStream(keep: Int) throws {
    let compressed = try #require(Zlib.deflate(Data("hello hello hello hello".utf8)))
    #expect(throws: InflateFailure.self) { try Zlib.inflate(compressed.prefix(min(keep, compressed.count - 1)), limit: 1000) }
}

@Test("deflate sizes zlib's window to the data: every size inflates back to itself, and compresses")
func deflateRoundTripsAtEverySize() throws {
    var rng = SeededGenerator(seed: 7)
    for size in [0, 1, 100, 250, 262, 5_000, 33_000, 300_000] {
        let text = Data((0..<size).map { _ in UInt8.random(in: 97...100, using: &rng) })
        let compressed = try #require(Zlib.deflate(text))
        #expect(try Zlib.inflate(compressed, limit: size + 1) == text)
        #expect(compressed.count < size / 2 + 16, "\(size) bytes gave \(compressed.count)")
    }
}

@Test("deflate of more than zlib's 32-bit sizes take in one call is a failure (nil), not a trap")
func deflatePastZlibsSizesFails() {
    // calloc'd and never touched: the size is refused before a byte is read.
    #expect(Zlib.deflate(Data(count: Int(Int32.max))) == nil)
}
