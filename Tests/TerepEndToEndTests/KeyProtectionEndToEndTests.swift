import Foundation
import Testing

extension EndToEnd {
    /// `terep device protect-key` / `central protect-key` and the commands that then need the passphrase.
    @Suite struct KeyProtectionEndToEndTests {
        @Test("protected keys: bundling and merging need the passphrase, from TEREP_KEY_PASSPHRASE when not in a terminal")
        func protectedKeys() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = dir.appendingPathComponent("d.sqlite").path
            let central = dir.appendingPathComponent("c.sqlite").path
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            let secret = ["TEREP_KEY_PASSPHRASE": "három kicsi malac"]

            let initialised = try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device])
            let key = try #require(initialised.stdout.split(separator: "\n").last.map(String.init))
            #expect(try TerepProcess.run(["simulate", survey, "--interviews", "2", "--device-db", device, "--seed", "3"]).status == 0)
            let created = try TerepProcess.run(["central", "init", "--central", central])
            let coordinator = try #require(created.stdout.split(separator: "\n").last.map(String.init))
            #expect(
                try TerepProcess.run(["central", "add-device", "--central", central, "--device-id", "lap-1", "--key", key]).status == 0)

            let short = try TerepProcess.run(
                ["device", "protect-key", "--device-db", device], environment: ["TEREP_KEY_PASSPHRASE": "rövid"])
            #expect(short.status == 1 && short.stderr.contains("a passphrase needs at least 8 characters"))
            let protected = try TerepProcess.run(["device", "protect-key", "--device-db", device], environment: secret)
            #expect(protected.status == 0 && protected.stdout.contains("is now protected by a passphrase"), "\(protected.stderr)")

            let locked = try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle, "--to", coordinator])
            #expect(locked.status == 1)
            #expect(
                locked.stderr.contains(
                    "the device signing key is protected by a passphrase: set TEREP_KEY_PASSPHRASE, or run terep in a terminal to be asked")
            )
            #expect(!FileManager.default.fileExists(atPath: bundle))
            let wrong = try TerepProcess.run(
                ["bundle", "create", "--device-db", device, "-o", bundle, "--to", coordinator],
                environment: ["TEREP_KEY_PASSPHRASE": "négy kicsi malac"])
            #expect(wrong.status == 1 && wrong.stderr.contains("the passphrase does not open the device signing key"))
            let unlocked = try TerepProcess.run(
                ["bundle", "create", "--device-db", device, "-o", bundle, "--to", coordinator], environment: secret)
            #expect(unlocked.status == 0, "\(unlocked.stderr)")

            let centralSecret = ["TEREP_KEY_PASSPHRASE": "a koordinátor jelmondata"]
            #expect(try TerepProcess.run(["central", "protect-key", "--central", central], environment: centralSecret).status == 0)
            let noKey = try TerepProcess.run(["merge", "--central", central, bundle])
            #expect(noKey.status == 1 && noKey.stdout.isEmpty)
            #expect(noKey.stderr.contains("the coordinator key is protected by a passphrase: set TEREP_KEY_PASSPHRASE"))
            let binary = try TerepProcess.requireBinary().path
            let merged = try MeasuredProcess.run(binary, ["merge", "--central", central, bundle], environment: centralSecret)
            #expect(merged.status == 0 && merged.stdout.hasPrefix("merged "), "\(merged.stdout) \(merged.stderr)")
            #expect(merged.peakResidentBytes < 100 << 20, "peak RSS \(merged.peakResidentBytes >> 20) MB with Argon2id")

            let changed = try TerepProcess.run(
                ["central", "protect-key", "--central", central, "--change"],
                environment: centralSecret.merging(["TEREP_NEW_KEY_PASSPHRASE": "egy új hosszú jelmondat"]) { a, _ in a })
            #expect(changed.status == 0, "\(changed.stderr)")
            let removed = try TerepProcess.run(
                ["central", "protect-key", "--central", central, "--remove"],
                environment: ["TEREP_KEY_PASSPHRASE": "egy új hosszú jelmondat"])
            #expect(removed.status == 0 && removed.stdout.contains("is no longer protected"), "\(removed.stderr)")
            #expect(try TerepProcess.run(["merge", "--central", central, bundle]).stdout.hasPrefix("already merged"))
        }
    }
}
