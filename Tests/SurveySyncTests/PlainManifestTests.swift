import Foundation
import SurveyModel
import Testing

@testable import SurveySync

/// The manifest's and the interview lines' fast paths against `Codable`: the writer's bytes are
/// `JSONEncoder`'s; whenever the fast reader reads a manifest it reads the one `JSONDecoder`
/// reads, and it reads every manifest the writer makes.
@Suite("The manifest's and interview lines' fast paths")
struct PlainManifestTests {
    static func manifest(seed: UInt64) -> BundleManifest {
        var rng = SeededGenerator(seed: seed)
        let encrypted = Bool.random(using: &rng)
        let first = Int64.random(in: 1...(1 << 53), using: &rng)
        return BundleManifest(
            device: DeviceID(["dev-a", "Kő \"7\"\n", "d/e\\f", ""].randomElement(using: &rng)!),
            signerKey: "ed25519:" + String(repeating: "A", count: Int.random(in: 0...44, using: &rng)),
            sequenceRange: Bool.random(using: &rng) ? nil : .init(first: first, last: first + Int64.random(in: -1...9, using: &rng)),
            eventCount: Int.random(in: -1...Int.max, using: &rng), interviewCount: Int.random(in: 0...50_000, using: &rng),
            definitions: (0..<Int.random(in: 0...3, using: &rng)).map { DefinitionHash("h\($0)") },
            createdAtMillis: Int64.random(in: Int64.min...Int64.max, using: &rng),
            encryption: encrypted ? .init(scheme: BundleFormat.encryptionScheme, recipient: KeyFingerprint("ab:cd:ef:01")) : nil,
            payload: .init(
                compression: "zlib", sha256: String(repeating: "f", count: 64), storedSize: Int.random(in: 0...Int.max, using: &rng),
                compressedSize: Int.random(in: 0...1 << 40, using: &rng), uncompressedSize: Int.random(in: 0...1 << 40, using: &rng)))
    }

    static let oracle: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @Test("the manifest's and an interview line's bytes are JSONEncoder's")
    func writerBytes() throws {
        for seed in 0..<300 as Range<UInt64> {
            let manifest = Self.manifest(seed: seed)
            #expect(manifest.canonicalBytes == (try Self.oracle.encode(manifest)))
        }
        for name in ["iv-1", "Kő \"7\"\n\t\u{1}/\\", "", "😀 u\u{2028}"] {
            let line = InterviewLine(interview: InterviewID(name), definition: DefinitionHash(name + "h"))
            var bytes: [UInt8] = [0x41]
            line.append(to: &bytes)
            #expect(Data(bytes.dropFirst()) == (try Self.oracle.encode(line)))
            let back = bytes.dropFirst().withUnsafeBytes(InterviewLine.decode)
            #expect(back?.interview == line.interview && back?.definition == line.definition)
        }
    }

    @Test("an interview line is read by the fast path exactly when it is plain, else left to JSONDecoder")
    func plainInterviewLines() {
        func read(_ text: String) -> [String]? {
            Data(text.utf8).withUnsafeBytes { InterviewLine.plain($0) }.map { [$0.interview.rawValue, $0.definition.rawValue] }
        }
        #expect(read(#"{"definition":"abc","interview":"iv-1"}"#) == ["iv-1", "abc"])
        #expect(read(#" { "interview" : "K\u00f6z" , "definition" : "x" } "#) == nil)  // \u: left to JSONDecoder
        #expect(read(#"{"interview":"iv-1","definition":"abc","extra":1}"#) == nil)
        #expect(read(#"{"interview":"iv-1"}"#) == nil)
        #expect(read(#"{"interview":"iv-1","definition":5}"#) == nil)
        #expect(read(#"{"interview":"iv-1","interview":"iv-2"}"#) == nil)
        #expect(read(#"{"interview":"iv-1","definition":"abc"}x"#) == nil)
        #expect(read(#"{"interview":"Kő \"7\"","definition":"abc"}"#) == ["Kő \"7\"", "abc"])
    }

    static func decoded(_ text: String) -> BundleManifest? { try? JSONDecoder().decode(BundleManifest.self, from: Data(text.utf8)) }

    @Test("every manifest the writer makes is read by the fast reader, as JSONDecoder reads it")
    func writerManifests() throws {
        for seed in 0..<300 as Range<UInt64> {
            let manifest = Self.manifest(seed: seed)
            let bytes = manifest.canonicalBytes
            let plain = try #require(BundleManifest.plain(bytes), "declined: \(String(decoding: bytes, as: UTF8.self))")
            #expect(plain == manifest)
            #expect(plain == (try? JSONDecoder().decode(BundleManifest.self, from: bytes)))
        }
    }

    @Test(
        "what the fast reader declines is left to JSONDecoder; what it reads, it reads as JSONDecoder does",
        arguments: [
            // Readable by both: keys in another order, spaces, a null optional.
            #" { "payload": {"uncompressedSize":3,"storedSize":1,"sha256":"x","compressedSize":2,"compression":"zlib"}, "format":1,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5, "sequenceRange":null } "#,
            // Left to JSONDecoder: an unknown key (which it ignores), a fraction, an escape it reads itself.
            #"{"format":1,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5,"extra":true,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1.0,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1,"device":"d\u00e9","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5,"sequenceRange":{"first":1,"last":2,"x":3},"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            // Refused by both: a field missing, a wrong type, a number past Int64, a duplicate key.
            #"{"format":1,"device":"d","signerKey":"k","eventCount":0,"definitions":[],"createdAtMillis":5,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1,"device":7,"signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":9223372036854775808,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1,"format":2,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[],"createdAtMillis":5,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            #"{"format":1,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":[1],"createdAtMillis":5,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#,
            "", "[]", "{",
        ])
    func unusual(_ text: String) {
        let reference = Self.decoded(text)
        if let plain = BundleManifest.plain(Data(text.utf8)) { #expect(plain == reference) }
    }

    @Test("a plain manifest with both optionals null or absent reads as JSONDecoder reads it")
    func nullOptionals() throws {
        let text =
            #"{"format":1,"device":"d","signerKey":"k","eventCount":0,"interviewCount":0,"definitions":["a","b"],"createdAtMillis":-5,"encryption":null,"payload":{"compression":"zlib","sha256":"x","storedSize":1,"compressedSize":2,"uncompressedSize":3}}"#
        let plain = try #require(BundleManifest.plain(Data(text.utf8)))
        #expect(plain == Self.decoded(text))
        #expect(plain.encryption == nil && plain.sequenceRange == nil)
    }
}
