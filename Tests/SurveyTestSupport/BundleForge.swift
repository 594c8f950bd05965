import Foundation
import SurveyModel
import SurveySync

/// Builds bundles the way an attacker would: correctly signed by a device key (so only the
/// central's own checks stand between them and the dataset), around any events, payload text
/// or manifest, skipping every check `BundleWriter.encode` makes on a device.
public enum BundleForge {
    /// The forger's device key (fixed, so tests can register it).
    public static let signingKey: DeviceSigningKey = {
        // 32 bytes are always a valid Ed25519 seed.
        guard let key = try? DeviceSigningKey(rawRepresentation: Data(repeating: 0x5A, count: 32)) else {
            fatalError("a 32-byte seed is a valid Ed25519 key")
        }
        return key
    }()

    /// A small questionnaire with the limits the hostile answers break: `phone` (text, at most
    /// 12 characters), `district` (codes 1–3), `age` (0..120), `rating` (scale 1..5), `heat`
    /// (one or two of 1–3, or 97 alone), `area` (10.0..500.0), `visit` (a date in 2026), the
    /// calculation `older`, and the open roster `mem` (at most 4 rows) with `m_age`.
    public static let source = """
        survey probe {
          title hu "Próba" en "Probe"
          version "2026.1"
          languages hu en
          outcome outcome complete 11
          specials dk rf
        }
        answers DIST {
          1 hu "Egy" en "One"
          2 hu "Kettő" en "Two"
          3 hu "Három" en "Three"
        }
        answers HEAT {
          1 hu "Gáz" en "Gas"
          2 hu "Fa" en "Wood"
          3 hu "Táv" en "District heating"
          97 hu "Nincs" en "None" exclusive
        }
        answers OUT {
          11 hu "Kész" en "Complete"
          21 hu "Elutasítás" en "Refusal"
        }
        section main {
          title hu "Fő" en "Main"
          question phone text { maxlength 12 text hu "Telefon" en "Phone" }
          question district single DIST { text hu "Városrész" en "District" }
          question age integer 0..120 { text hu "Kor" en "Age" }
          question rating scale 1..5 { text hu "Értékelés" en "Rating" }
          question heat multiple HEAT { max 2 text hu "Fűtés" en "Heating" }
          question area decimal 10.0..500.0 { text hu "Alapterület" en "Floor area" }
          question visit date @2026-01-01..@2026-12-31 { text hu "Látogatás" en "Visit" }
          calculate older = age > 60
          roster mem max 4 {
            title hu "Tagok" en "Members"
            question m_age integer 0..110 { text hu "Kor" en "Age" }
          }
          question outcome single OUT { interviewer optional nodk text hu "Eredmény" en "Outcome" }
        }
        """

    /// The compiled questionnaire's file and hash.
    public static let survey: (hash: DefinitionHash, bytes: Data) = {
        let definition = Scenario.compile(source: source)
        guard let file = try? DefinitionFiles.file(for: definition) else { fatalError("the probe survey does not encode") }
        return file
    }()

    /// Valid events: `interviews` interviews of six events each (started, four answers,
    /// ended), sequence numbers from `firstSequence`.
    public static func events(device: DeviceID, interviews: Int = 2, firstSequence: Int64 = 1, seed: Int = 0) -> [InterviewEvent] {
        var out: [InterviewEvent] = []
        var sequence = firstSequence
        for i in 0..<interviews {
            let interview = InterviewID("\(device.rawValue)-\(seed)-\(i)")
            let kinds: [InterviewEventKind] = [
                .started(definition: survey.hash, seed: 7, language: "hu", preload: [:]),
                .answered(Address("phone"), .value(.text("+3646123456"))),
                .answered(Address("district"), .value(.choice(1 + i % 3))),
                .answered(Address("age"), .value(.integer(30 + i % 50))),
                .answered(Address("rating"), .value(.integer(1 + i % 5))),
                .ended(outcome: 11),
            ]
            for kind in kinds {
                out.append(
                    InterviewEvent(
                        device: device, sequence: sequence, interview: interview,
                        timestamp: 1_764_000_000_000 + sequence * 1_000, interviewer: "Kiss Anna", kind: kind))
                sequence += 1
            }
        }
        return out
    }

    /// The payload text of `events` with the probe survey, as a device would write it.
    public static func payload(_ events: [InterviewEvent]) -> Data {
        let contents = BundleContents(
            events: events, definitionFiles: [survey.hash: survey.bytes],
            interviewDefinitions: Dictionary(events.map { ($0.interview, survey.hash) }, uniquingKeysWith: { a, _ in a }))
        guard let data = try? BundlePayload.encode(contents) else { fatalError("the payload does not encode") }
        return data
    }

    /// A signed bundle of `events` whose manifest describes them (before `edit`), with the
    /// payload text changed by `editPayload` (e.g. a number no decoder accepts).
    public static func bundle(
        device: DeviceID, events: [InterviewEvent], edit: (inout BundleManifest) -> Void = { _ in },
        editPayload: (String) -> String = { $0 }
    ) -> Data {
        let plain = Data(editPayload(String(decoding: payload(events), as: UTF8.self)).utf8)
        guard let compressed = Zlib.deflate(plain) else { fatalError("zlib failed") }
        let first = events.first?.sequence
        let last = events.last?.sequence
        var manifest = BundleManifest(
            device: device, signerKey: signingKey.publicKey.text,
            sequenceRange: first.flatMap { f in last.map { .init(first: f, last: $0) } }, eventCount: events.count,
            interviewCount: Set(events.map(\.interview)).count, definitions: [survey.hash], createdAtMillis: 1_764_000_000_000,
            encryption: nil,
            payload: .init(
                compression: "zlib", sha256: BundleFormat.sha256Hex(compressed), storedSize: compressed.count,
                compressedSize: compressed.count, uncompressedSize: plain.count))
        edit(&manifest)
        guard
            let data = try? BundleWriter.assemble(
                manifestBytes: manifest.canonicalBytes, storedPayload: compressed, signingKey: signingKey)
        else { fatalError("signing failed") }
        return data
    }
}
