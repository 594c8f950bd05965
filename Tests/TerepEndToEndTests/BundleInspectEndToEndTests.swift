import Foundation
import Testing

extension EndToEnd {
    /// `terep bundle inspect --central`: an encrypted bundle opened with the coordinator's key
    /// where it is kept, so the private key is never written out to inspect a bundle.
    @Suite struct BundleInspectEndToEndTests {
        @Test("inspect --central opens an encrypted payload, asking for a protected key's passphrase")
        func inspectWithTheCentralDataset() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = dir.appendingPathComponent("d.sqlite").path
            let central = dir.appendingPathComponent("c.sqlite").path
            let bundle = dir.appendingPathComponent("b.terepbundle").path
            #expect(
                try TerepProcess.run(["device", "init", "--device-id", "lap-1", "--interviewer", "I1", "--device-db", device]).status == 0)
            #expect(try TerepProcess.run(["simulate", survey, "--interviews", "2", "--device-db", device, "--seed", "3"]).status == 0)
            let created = try TerepProcess.run(["central", "init", "--central", central])
            let coordinator = try #require(created.stdout.split(separator: "\n").last.map(String.init))
            #expect(try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle, "--to", coordinator]).status == 0)

            let sealed = try TerepProcess.run(["bundle", "inspect", bundle])
            #expect(
                sealed.status == 0 && sealed.stdout.contains("encrypted; pass --central (or --key) to check the payload"),
                "\(sealed.stdout)")
            let opened = try TerepProcess.run(["bundle", "inspect", bundle, "--central", central])
            #expect(opened.status == 0, "\(opened.stderr)")
            #expect(!opened.stdout.contains("encrypted;") && opened.stdout.contains("Contents:"), "\(opened.stdout)")
            #expect(!opened.stdout.contains("x25519-private") && !opened.stderr.contains("x25519-private"))

            let both = try TerepProcess.run(["bundle", "inspect", bundle, "--central", central, "--key", "x25519-private:AAAA"])
            #expect(both.status != 0 && both.stderr.contains("give --central or --key, not both"), "\(both.stderr)")

            let secret = ["TEREP_KEY_PASSPHRASE": "a koordinátor jelmondata"]
            #expect(try TerepProcess.run(["central", "protect-key", "--central", central], environment: secret).status == 0)
            let locked = try TerepProcess.run(["bundle", "inspect", bundle, "--central", central])
            #expect(locked.status == 1 && locked.stderr.contains("protected by a passphrase: set TEREP_KEY_PASSPHRASE"), "\(locked.stderr)")
            let unlocked = try TerepProcess.run(["bundle", "inspect", bundle, "--central", central], environment: secret)
            #expect(unlocked.status == 0 && unlocked.stdout == opened.stdout, "\(unlocked.stderr)")
            let missing = try TerepProcess.run(["bundle", "inspect", bundle, "--central", dir.appendingPathComponent("none.sqlite").path])
            #expect(missing.status == 1 && missing.stderr.hasPrefix("error: "), "\(missing.stderr)")
        }
    }
}
