import Crypto
import Foundation
import SurveyModel
import Testing

@testable import SurveySync

/// Bundles written and read in pieces: format 2's chunked encryption, format 1 still read,
/// and the streaming reader's promises (events handed over one at a time, checks that need the
/// whole payload after the last event, the receiver's own errors passed through).
@Suite("Streamed bundles") struct StreamedBundleTests {
    let key = DeviceSigningKey()
    let coordinator = CoordinatorPrivateKey()
    let def = Fixtures.definitionFile()

    /// Events whose notes make a zlib stream of a few MiB (digits from a linear congruential
    /// sequence compress about 2:1), so an encrypted payload spans several 1 MiB chunks.
    func bigContents() -> BundleContents {
        var events = Fixtures.events(interviews: 4, perInterview: 10, definition: def.hash)
        var state: UInt64 = 3
        for i in events.indices where i % 10 == 5 {
            let text = String(
                decoding: (0..<(1_500_000)).map { _ -> UInt8 in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return UInt8(ascii: "0") + UInt8(truncatingIfNeeded: state >> 33) % 10
                }, as: UTF8.self)
            events[i].kind = .note(Address("q1"), text)
        }
        return Fixtures.contents(events, definition: def)
    }

    func read(_ data: Data, coordinatorKey: CoordinatorPrivateKey? = nil) throws -> VerifiedBundle {
        try BundleReader().read(data, file: "b", devices: { _ in .registered(key.publicKey) }, coordinatorKey: coordinatorKey)
    }

    @Test("an encrypted bundle is format 2, spans several sealed chunks and reads back; a plaintext one stays format 1")
    func formats() throws {
        let contents = bigContents()
        let sealed = try BundleWriter.encode(
            contents, device: "dev-a", signingKey: key, recipient: coordinator.publicKey, createdAtMillis: 1_764_000_000_000)
        #expect(sealed.manifest.format == 2 && sealed.data[13] == 0 && sealed.data[14] == 2)
        #expect(sealed.manifest.payload.compressedSize > 2 * BundleFormat.encryptionChunkSize)
        let chunks = (sealed.manifest.payload.compressedSize + BundleFormat.encryptionChunkSize - 1) / BundleFormat.encryptionChunkSize
        #expect(sealed.manifest.payload.storedSize == 2 + 32 + sealed.manifest.payload.compressedSize + 16 * chunks)
        #expect(try read(sealed.data, coordinatorKey: coordinator).contents == contents)

        let plain = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 1_764_000_000_000)
        #expect(plain.manifest.format == 1 && plain.data[14] == 1)
        #expect(try read(plain.data).contents == contents)
    }

    /// The stored payload of a format-2 bundle, cut into its parts: the key header and the sealed chunks.
    func parts(of payload: Data, compressedSize: Int) -> (head: Data, chunks: [Data]) {
        let bytes = Data(payload)
        let head = bytes.prefix(34)
        var chunks: [Data] = []
        var offset = 34
        var remaining = compressedSize
        while remaining > 0 {
            let size = min(BundleFormat.encryptionChunkSize, remaining) + BundleFormat.encryptionTagSize
            chunks.append(bytes.subdata(in: offset..<(offset + size)))
            offset += size
            remaining -= size - BundleFormat.encryptionTagSize
        }
        return (Data(head), chunks)
    }

    @Test(
        "sealed chunks swapped, dropped, cut or extended fail to open even under a valid signature",
        arguments: ["swap", "drop last", "cut last", "extra bytes", "flip a bit"])
    func tamperedChunks(_ how: String) throws {
        let bundle = try BundleWriter.encode(
            bigContents(), device: "dev-a", signingKey: key, recipient: coordinator.publicKey, createdAtMillis: 1_764_000_000_000)
        let sealed = try BundleReader().open(bundle.data, file: "b")
        var manifest = bundle.manifest
        let (head, partsFound) = parts(of: sealed.payload, compressedSize: manifest.payload.compressedSize)
        var chunks = partsFound
        #expect(chunks.count >= 3)
        switch how {
        case "swap": chunks.swapAt(0, 1)
        case "drop last":
            let last = chunks.removeLast()
            manifest.payload.compressedSize -= last.count - 16
        case "cut last": chunks[chunks.count - 1] = chunks[chunks.count - 1].dropLast(100)
        case "extra bytes": chunks.append(Data(repeating: 7, count: 40))
        default: chunks[1][500] ^= 1
        }
        if how == "cut last" { manifest.payload.compressedSize -= 100 }
        let stored = chunks.reduce(head, +)
        manifest.payload.storedSize = stored.count
        manifest.payload.sha256 = BundleFormat.sha256Hex(stored)
        // The forger holds the device key: the signature and digests are right, only the chunks lie.
        let forged = try BundleWriter.assemble(manifestBytes: manifest.canonicalBytes, storedPayload: stored, signingKey: key)
        #expect(throws: BundleError.self) { _ = try read(forged, coordinatorKey: coordinator) }
        do { _ = try read(forged, coordinatorKey: coordinator) } catch let error as BundleError {
            #expect(error.kind == .decryptionFailed, "\(error)")
        }
    }

    @Test("an encrypted format-1 bundle (one ciphertext, as older terep wrote it) still reads")
    func formatOneEncrypted() throws {
        let contents = Fixtures.contents(Fixtures.events(definition: def.hash), definition: def)
        let compressed = try #require(Zlib.deflate(try BundlePayload.encode(contents)))
        var sender = try HPKE.Sender(
            recipientKey: coordinator.publicKey.key, ciphersuite: .Curve25519_SHA256_ChachaPoly, info: Data("terep-bundle-v1".utf8))
        var stored = Data()
        stored.appendBigEndian(UInt16(sender.encapsulatedKey.count))
        stored.append(sender.encapsulatedKey)
        stored.append(try sender.seal(compressed, authenticating: Data("dev-a".utf8)))
        let events = contents.events
        let manifest = BundleManifest(
            format: 1, device: "dev-a", signerKey: key.publicKey.text,
            sequenceRange: .init(first: events[0].sequence, last: events[events.count - 1].sequence), eventCount: events.count,
            interviewCount: Set(events.map(\.interview)).count, definitions: [def.hash], createdAtMillis: 1_764_000_000_000,
            encryption: .init(scheme: BundleFormat.encryptionScheme, recipient: coordinator.publicKey.fingerprint),
            payload: .init(
                compression: "zlib", sha256: BundleFormat.sha256Hex(stored), storedSize: stored.count,
                compressedSize: compressed.count, uncompressedSize: try BundlePayload.encode(contents).count))
        let data = try BundleWriter.assemble(manifestBytes: manifest.canonicalBytes, storedPayload: stored, signingKey: key)
        #expect(data[14] == 1)
        #expect(try read(data, coordinatorKey: coordinator).contents == contents)
    }

    @Test("the reader hands over the header, then each event in order, and passes the receiver's own error through")
    func streaming() throws {
        let contents = Fixtures.contents(Fixtures.events(interviews: 3, perInterview: 5, definition: def.hash), definition: def)
        let data = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 1_764_000_000_000).data
        let sealed = try BundleReader().open(data, file: "b")
        try sealed.verify(signedBy: key.publicKey)
        var seen: [InterviewEvent] = []
        var headers = 0
        try sealed.unseal(coordinatorKey: nil) { part in
            switch part {
            case .header(let header):
                headers += 1
                #expect(seen.isEmpty && header.eventCount == 15 && header.interviewDefinitions.count == 3)
            case .event(let event): seen.append(event)
            }
        }
        #expect(headers == 1 && seen == contents.events)

        struct Stop: Error {}
        var count = 0
        #expect(throws: Stop.self) {
            try sealed.unseal(coordinatorKey: nil) { part in
                if case .event = part { count += 1 }
                if count == 4 { throw Stop() }
            }
        }
        #expect(count == 4)
    }

    @Test("a count that only the end of the payload shows wrong fails after the events were handed over")
    func lateCheck() throws {
        var contents = Fixtures.contents(Fixtures.events(interviews: 2, perInterview: 4, definition: def.hash), definition: def)
        let data = try BundleWriter.encode(contents, device: "dev-a", signingKey: key, createdAtMillis: 1_764_000_000_000)
        // Same events but one interview more in the map: only the end shows that it never had events.
        contents.interviewDefinitions["dev-a-iv-ghost"] = def.hash
        let plain = try BundlePayload.encode(contents)
        let compressed = try #require(Zlib.deflate(plain))
        var manifest = data.manifest
        manifest.interviewCount = 3
        manifest.payload = .init(
            compression: "zlib", sha256: BundleFormat.sha256Hex(compressed), storedSize: compressed.count,
            compressedSize: compressed.count, uncompressedSize: plain.count)
        let forged = try BundleWriter.assemble(manifestBytes: manifest.canonicalBytes, storedPayload: compressed, signingKey: key)
        let sealed = try BundleReader().open(forged, file: "b")
        try sealed.verify(signedBy: key.publicKey)
        var handed = 0
        do {
            try sealed.unseal(coordinatorKey: nil) { part in if case .event = part { handed += 1 } }
            Issue.record("the ghost interview was not noticed")
        } catch let error as BundleError {
            #expect(error.reason.contains("is listed but has no events"), "\(error)")
        }
        #expect(handed == 8)
    }
}
