import Foundation
import SurveyModel
import SurveySync
import Testing

/// Bytes written before the event wire format had one owner (`EventJSON`): a bundle and the
/// device store's stored event kinds, made by the code of commit 120b437 (its
/// `FastEventWriter`, `FastEventEncoding` and `JSONEncoder` fallbacks) from three interviews with
/// every event kind, awkward texts (quotes, backslashes, control characters, emoji, U+2028),
/// decimals (-0, 0.1 + 0.2, 1e21, 5e-324) and preloads with numeric, upper-case and non-ASCII
/// keys. Bundles already in the field must still verify, and the same events must give the
/// same bytes, because those bytes are hashed and signed.
@Suite("Bytes from the old event codec") struct OldCodecFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The fixture device's signing key: bytes 1…32 (a test key, never used for real data).
    static let deviceKey = try! DeviceSigningKey(rawRepresentation: Data((1...32).map { UInt8($0) })).publicKey

    @Test("a bundle made by the old code verifies, and its events are written to the very same payload bytes")
    func oldBundle() throws {
        let sealed = try BundleReader().open(path: Self.folder.appendingPathComponent("old-codec.terepbundle").path)
        try sealed.verify(signedBy: Self.deviceKey)
        let verified = try sealed.unseal(coordinatorKey: nil)
        #expect(verified.contents.events.count == sealed.manifest.eventCount)
        #expect(Set(verified.contents.events.map(\.kind.name)).count == 12, "every event kind is in the fixture")
        let plain = try Zlib.inflate(sealed.payload, limit: 1 << 24)
        let again = try BundlePayload.encode(verified.contents)
        #expect(again == plain, "the payload re-encoded by EventJSON differs from the old code's bytes")
        let oldLines = plain.split(separator: 0x0A).filter { $0.starts(with: Data(#"{"device""#.utf8)) }
        #expect(oldLines.count == verified.contents.events.count)
        for (line, event) in zip(oldLines, verified.contents.events) {
            #expect(try EventJSON.encode(event) == Array(line))
        }
    }

    @Test("every event kind the old device store kept is written to the same bytes and reads back")
    func oldStoredKinds() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("old-codec-payloads.tsv"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
        #expect(rows.count > 100)
        for row in rows {
            let stored = try #require(row.last)
            let kind = try EventJSON.decodeKind(stored)
            #expect(try EventJSON.encode(kind) == stored, "sequence \(row[0])")
            #expect(kind == (try JSONDecoder().decode(InterviewEventKind.self, from: Data(stored.utf8))))
        }
    }
}

extension InterviewEventKind {
    /// The kind's name (the key of its JSON form).
    fileprivate var name: String {
        (try? EventJSON.encode(self)).flatMap { $0.dropFirst(2).split(separator: "\"").first.map(String.init) } ?? ""
    }
}
