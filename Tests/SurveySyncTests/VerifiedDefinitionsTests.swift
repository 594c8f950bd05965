import Foundation
import SurveyModel
import SurveyTestSupport
import Testing

@testable import SurveySync

/// ``VerifiedDefinitions``: a definition file verified once is answered again only for the very
/// same bytes under the same hash; anything else is decoded and verified as if never seen.
@Suite struct VerifiedDefinitionsTests {
    let survey = BundleForge.survey

    @Test("the same file is answered from the cache, the same survey as decoding it gives")
    func sameBytesSameSurvey() throws {
        let first = try BundlePayload.verifiedDefinition(survey.bytes, declared: survey.hash)
        #expect(VerifiedDefinitions.shared.survey(survey.bytes, declared: survey.hash) == first)
        let again = try BundlePayload.verifiedDefinition(Data(survey.bytes), declared: survey.hash)
        #expect(again == first)
        #expect(first.hash == survey.hash && first.definition.id == "probe")
    }

    @Test("a file changed after the original was verified is still refused under the original's hash")
    func tamperedFileIsVerifiedAgain() throws {
        _ = try BundlePayload.verifiedDefinition(survey.bytes, declared: survey.hash)
        let text = String(decoding: survey.bytes, as: UTF8.self)
        #expect(text.contains("Próba"))
        let tampered = Data(text.replacingOccurrences(of: "Próba", with: "Próbb").utf8)
        #expect(tampered.count == survey.bytes.count)
        do {
            _ = try BundlePayload.verifiedDefinition(tampered, declared: survey.hash)
            Issue.record("a tampered definition was accepted")
        } catch {
            guard case .definitionHashMismatch(let declared, let actual) = error else {
                Issue.record("expected a hash mismatch, got \(error)")
                return
            }
            #expect(declared == survey.hash && actual != survey.hash)
        }
    }

    @Test("the same file declared under another hash is refused")
    func otherHashIsRefused() throws {
        _ = try BundlePayload.verifiedDefinition(survey.bytes, declared: survey.hash)
        let other = DefinitionHash(String(repeating: "ab", count: 32))
        #expect(throws: BundleError.Kind.self) { try BundlePayload.verifiedDefinition(survey.bytes, declared: other) }
    }

    @Test("the cache keeps at most its number of files, the oldest making room, and no file above its size")
    func bounded() throws {
        let cache = VerifiedDefinitions(maxEntries: 2, maxFileBytes: survey.bytes.count)
        let compiled = try BundlePayload.verifiedDefinition(survey.bytes, declared: survey.hash)
        var copies: [Data] = []
        for n in 0..<3 {
            var bytes = survey.bytes
            bytes.append(contentsOf: Array(repeating: UInt8(ascii: " "), count: n))
            copies.append(bytes)
        }
        cache.keep(compiled, bytes: copies[0])
        #expect(cache.count == 1 && cache.survey(copies[0], declared: survey.hash) == compiled)
        cache.keep(compiled, bytes: copies[1])  // above maxFileBytes: not kept
        #expect(cache.count == 1 && cache.survey(copies[1], declared: survey.hash) == nil)
        let roomy = VerifiedDefinitions(maxEntries: 2)
        for bytes in copies { roomy.keep(compiled, bytes: bytes) }
        #expect(roomy.count == 2)
        #expect(roomy.survey(copies[0], declared: survey.hash) == nil)
        #expect(roomy.survey(copies[2], declared: survey.hash) == compiled)
        #expect(roomy.survey(copies[2], declared: DefinitionHash(String(repeating: "ab", count: 32))) == nil)
    }

    @Test("removeAll(keeping:) forgets every file but those kept under the given hashes")
    func removeAllKeeping() throws {
        let compiled = try BundlePayload.verifiedDefinition(survey.bytes, declared: survey.hash)
        var other = compiled
        other.hash = DefinitionHash(String(repeating: "cd", count: 32))
        let cache = VerifiedDefinitions()
        cache.keep(compiled, bytes: survey.bytes)
        cache.keep(other, bytes: survey.bytes + Data(" ".utf8))
        #expect(cache.count == 2)
        cache.removeAll(keeping: [survey.hash])
        #expect(cache.count == 1 && cache.survey(survey.bytes, declared: survey.hash) == compiled)
        #expect(cache.survey(survey.bytes + Data(" ".utf8), declared: other.hash) == nil)
        cache.removeAll()
        #expect(cache.count == 0 && cache.survey(survey.bytes, declared: survey.hash) == nil)
    }
}
