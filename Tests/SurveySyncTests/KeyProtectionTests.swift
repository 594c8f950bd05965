import Foundation
import Testing

@testable import SurveySync

@Suite("Private keys sealed with a passphrase")
struct KeyProtectionTests {
    let secret = Data((0..<32).map { UInt8($0 * 7 % 256) })
    /// A cheap cost for tests (the default's 32 MiB × 3 passes are for real keys).
    let cheap = KeyProtection.Cost(passes: 1, memoryBytes: 1 << 20)

    @Test("a sealed key opens with its passphrase, and only with it")
    func roundTrip() throws {
        let sealed = try KeyProtection.seal(secret, passphrase: "négy szó egy mondat", purpose: .deviceSigning, cost: cheap)
        #expect(KeyProtection.isSealed(sealed) && !KeyProtection.isSealed(secret))
        #expect(!sealed.contains(secret))
        #expect(try KeyProtection.open(sealed, passphrase: "négy szó egy mondat", purpose: .deviceSigning) == secret)
        #expect(throws: KeyProtectionError.wrongPassphrase(.deviceSigning)) {
            try KeyProtection.open(sealed, passphrase: "négy szó egy mondaT", purpose: .deviceSigning)
        }
        // Sealed for one purpose, it does not open as the other key.
        #expect(throws: KeyProtectionError.wrongPassphrase(.coordinator)) {
            try KeyProtection.open(sealed, passphrase: "négy szó egy mondat", purpose: .coordinator)
        }
        // Two seals of the same key differ (fresh salt and nonce).
        #expect(try KeyProtection.seal(secret, passphrase: "négy szó egy mondat", purpose: .deviceSigning, cost: cheap) != sealed)
    }

    @Test("the same letters typed in another Unicode form open the key")
    func unicodeNormalised() throws {
        let composed = "kérdező"
        let decomposed = "ke\u{301}rdezo\u{30B}"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let sealed = try KeyProtection.seal(secret, passphrase: composed, purpose: .coordinator, cost: cheap)
        #expect(try KeyProtection.open(sealed, passphrase: decomposed, purpose: .coordinator) == secret)
    }

    @Test("changed bytes anywhere in a seal, or a cost out of range, never open it")
    func tampering() throws {
        let sealed = try KeyProtection.seal(secret, passphrase: "correct horse", purpose: .coordinator, cost: cheap)
        for offset in stride(from: KeyProtection.magic.count, to: sealed.count, by: 5) {
            var bad = sealed
            bad[offset] ^= 0x01
            #expect(throws: KeyProtectionError.self) { try KeyProtection.open(bad, passphrase: "correct horse", purpose: .coordinator) }
        }
        var greedy = sealed
        greedy.replaceSubrange(KeyProtection.magic.count..<(KeyProtection.magic.count + 8), with: [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: KeyProtectionError.malformed("its cost (1 passes, 4294967295 bytes) is out of range")) {
            try KeyProtection.open(greedy, passphrase: "correct horse", purpose: .coordinator)
        }
        #expect(throws: KeyProtectionError.malformed("a sealed key is 115 bytes, found 60")) {
            try KeyProtection.open(sealed.prefix(60), passphrase: "correct horse", purpose: .coordinator)
        }
        #expect(throws: KeyProtectionError.emptyPassphrase) {
            try KeyProtection.seal(secret, passphrase: "", purpose: .coordinator, cost: cheap)
        }
    }

    @Test("the default cost is Argon2id over 32 MiB, three passes, and opens with the default")
    func defaultCost() throws {
        #expect(KeyProtection.Cost.default == KeyProtection.Cost(passes: 3, memoryBytes: 32 << 20))
        let sealed = try KeyProtection.seal(secret, passphrase: "correct horse battery", purpose: .deviceSigning)
        #expect(try KeyProtection.open(sealed, passphrase: "correct horse battery", purpose: .deviceSigning) == secret)
    }
}
