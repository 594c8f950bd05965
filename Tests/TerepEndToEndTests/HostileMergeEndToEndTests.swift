import Foundation
import SurveyModel
import SurveySync
import SurveyTestSupport
import Testing

extension EndToEnd {
    /// `terep merge` with an inbox of good and hostile files, run as the real binary: every good
    /// bundle merges, each file gets one escaped line, memory stays small, the exit status says
    /// whether anything was refused, and output failures crash nothing.
    @Suite struct HostileMergeEndToEndTests {
        let dir: URL
        let central: String

        init() throws {
            dir = try TerepProcess.temporaryDirectory()
            central = dir.appendingPathComponent("central.sqlite").path
            let created = try TerepProcess.run(["central", "init", "--central", central])
            try #require(created.status == 0, "\(created.stderr)")
            let added = try TerepProcess.run([
                "central", "add-device", "--central", central, "--device-id", "lap-x", "--key",
                BundleForge.signingKey.publicKey.text,
            ])
            try #require(added.status == 0, "\(added.stderr)")
        }

        func file(_ name: String, _ data: Data) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }

        func good(_ name: String, firstSequence: Int64) throws -> String {
            try file(
                name,
                BundleForge.bundle(
                    device: "lap-x", events: BundleForge.events(device: "lap-x", firstSequence: firstSequence, seed: Int(firstSequence))))
        }

        func eventCount() throws -> Int? {
            let status = try TerepProcess.run(["central", "status", "--central", central, "--format", "json"])
            return (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["events"] as? Int
        }

        /// Every hostile file the issue names, between two good bundles.
        func inbox() throws -> (files: [String], good: Set<String>) {
            var maxSequence = BundleForge.events(device: "lap-x", firstSequence: 100)
            maxSequence[maxSequence.count - 1].sequence = Int64.max
            let evil = DeviceID("lap\n\u{1B}[32mmerged ok")
            let big = dir.appendingPathComponent("big.terepbundle").path
            #expect(FileManager.default.createFile(atPath: big, contents: nil) && truncate(big, 3 << 30) == 0)
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("a-folder"), withIntermediateDirectories: false)
            #expect(mkfifo(dir.appendingPathComponent("pipe").path, 0o600) == 0)
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("dangling").path, withDestinationPath: dir.appendingPathComponent("gone").path)
            let first = try good("1-good.terepbundle", firstSequence: 1)
            let last = try good("9-good.terepbundle", firstSequence: 13)
            let files = [
                first,
                try file("2-max.terepbundle", BundleForge.bundle(device: "lap-x", events: maxSequence)),
                try file(
                    "3-huge.terepbundle",
                    BundleForge.bundle(
                        device: "lap-x", events: BundleForge.events(device: "lap-x", firstSequence: 200),
                        editPayload: { $0.replacingOccurrences(of: "\"sequence\":201,", with: "\"sequence\":18446744073709551616,") })),
                try file(
                    "4-answer.terepbundle",
                    BundleForge.bundle(
                        device: "lap-x", events: BundleForge.events(device: "lap-x", firstSequence: 300),
                        editPayload: { $0.replacingOccurrences(of: "{\"int\":30}", with: "{\"int\":1000000000000000000000000000000}") })),
                big,
                try file(
                    "x\nmerged fake.terepbundle: 999 new events\u{1B}[31m.terepbundle",
                    BundleForge.bundle(device: evil, events: BundleForge.events(device: evil))),
                dir.appendingPathComponent("a-folder").path,
                dir.appendingPathComponent("pipe").path,
                dir.appendingPathComponent("dangling").path,
                last,
            ]
            return (files, [first, last])
        }

        @Test("an inbox of good and hostile files: good bundles merge, one escaped line per file, exit 1, under 100 MB")
        func mixedInbox() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let (files, good) = try inbox()
            let binary = try TerepProcess.requireBinary().path
            let run = try MeasuredProcess.run(binary, ["merge", "--central", central] + files)
            #expect(run.status == 1, "signal \(String(describing: run.signal)): \(run.stderr)")
            let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(!run.stdout.unicodeScalars.contains { DisplayText.needsEscape($0) && $0 != "\n" })
            for (index, file) in files.enumerated() {
                let shown = DisplayText.escaped(file)
                let expected = good.contains(file) ? "merged \(shown): 12 new events" : "REJECTED \(shown): "
                #expect(lines[index].hasPrefix(expected), "line \(index): \(lines[index])")
            }
            #expect(lines[1].contains("sequence range 100-9223372036854775807 is out of range"))
            #expect(lines[2].contains("number 18446744073709551616 (at 'sequence') is out of range"))
            #expect(lines[3].contains("number 1000000000000000000000000000000 (at 'int') is out of range"))
            #expect(lines[4].hasSuffix("file is \(3 << 30) bytes, above the 512 MiB cap"))
            #expect(
                lines[5].hasSuffix(
                    "device 'lap\\n\\u{1B}[32mmerged ok' is not registered (its key \(BundleForge.signingKey.publicKey.fingerprint)); register it with 'terep central add-device'"
                ))
            #expect(lines[6].contains(": a directory, not a bundle file"))
            #expect(lines[7].contains(": a named pipe (FIFO), not a bundle file"))
            #expect(lines[8].contains(": a symbolic link to '"))
            #expect(lines[files.count] == "Summary: 2 bundles merged, 0 already merged, 8 rejected")
            #expect(lines.filter { $0.hasPrefix("merged ") }.count == 2)
            #expect(run.peakResidentBytes < 100 << 20, "peak RSS \(run.peakResidentBytes >> 20) MB")
            #expect(try eventCount() == 24)

            let json = try MeasuredProcess.run(binary, ["merge", "--central", central, "--format", "json"] + files)
            #expect(json.status == 1)
            let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let bundles = try #require(decoded["bundles"] as? [[String: Any]])
            #expect(bundles.compactMap { $0["file"] as? String } == files)
            #expect(decoded["alreadyMerged"] as? Int == 2 && decoded["rejected"] as? Int == 8)
            #expect(!json.stdout.unicodeScalars.contains { DisplayText.needsEscape($0) && $0 != "\n" })
        }

        @Test("a full standard error crashes nothing and the exit status still says whether a bundle was refused")
        func fullStandardError() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            let binary = try TerepProcess.requireBinary().path
            let bad = try file("bad.terepbundle", Data("not a bundle".utf8))
            let refused = try MeasuredProcess.run(
                binary, ["merge", "--central", central, bad, try good("a.terepbundle", firstSequence: 1)], stderrPath: "/dev/full")
            #expect(refused.signal == nil && refused.status == 1)
            #expect(refused.stdout.contains("Summary: 1 bundles merged, 0 already merged, 1 rejected"))
            let fine = try MeasuredProcess.run(
                binary, ["merge", "--central", central, try good("b.terepbundle", firstSequence: 13)], stderrPath: "/dev/full")
            #expect(fine.signal == nil && fine.status == 0, "\(fine.stdout)")
            // A lost standard output is an error of its own (74) unless a refusal already says 1.
            let lostOutput = try MeasuredProcess.run(
                binary, ["merge", "--central", central, try good("c.terepbundle", firstSequence: 25)], stdoutPath: "/dev/full")
            #expect(lostOutput.status == 74 && lostOutput.stderr.contains("the output could not be written"))
            let lostAndRefused = try MeasuredProcess.run(binary, ["merge", "--central", central, bad], stdoutPath: "/dev/full")
            #expect(lostAndRefused.status == 1)
            #expect(try eventCount() == 36)
            let status = try MeasuredProcess.run(binary, ["central", "status", "--central", central], stdoutPath: "/dev/full")
            #expect(status.status == 74)
        }

        @Test("answers the questionnaire forbids (a 2 MiB phone number, district 999) refuse their bundle with the event and why")
        func forbiddenAnswers() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            var longPhone = BundleForge.events(device: "lap-x")
            var state: UInt64 = 7
            longPhone[1].kind = .answered(
                Address("phone"),
                .value(
                    .text(
                        String(
                            (0..<(2 << 20)).map { _ -> Character in
                                state = state &* 6_364_136_223_846_793_005 &+ 1
                                return Character(String((state >> 60) % 10))
                            }))))
            var district = BundleForge.events(device: "lap-x")
            district[8].kind = .answered(Address("district"), .value(.choice(999)))
            let files = [
                try file("phone.terepbundle", BundleForge.bundle(device: "lap-x", events: longPhone)),
                try file("district.terepbundle", BundleForge.bundle(device: "lap-x", events: district)),
                try good("good.terepbundle", firstSequence: 13),
            ]
            let run = try MeasuredProcess.run(try TerepProcess.requireBinary().path, ["merge", "--central", central] + files)
            #expect(run.status == 1)
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines[0] == "REJECTED \(files[0]): event lap-x#2 does not fit its questionnaire: it answers phone with a text of "
                    + "2097152 characters, longer than its maxlength 12 in probe 2026.1; nothing of the bundle was merged.")
            #expect(
                lines[1] == "REJECTED \(files[1]): event lap-x#9 does not fit its questionnaire: it answers district with code "
                    + "999, not in its answer set DIST in probe 2026.1; nothing of the bundle was merged.")
            #expect(lines[2].hasPrefix("merged \(files[2]): 12 new events"))
            #expect(run.peakResidentBytes < 100 << 20, "peak RSS \(run.peakResidentBytes >> 20) MB")
            #expect(try eventCount() == 12)
        }

        @Test("a refused bundle with --trust-new-devices registers nothing")
        func trustOnlyWhenAccepted() throws {
            defer { try? FileManager.default.removeItem(at: dir) }
            var events = BundleForge.events(device: "lap-new")
            events[2].kind = .answered(Address("no_such_question"), .value(.integer(1)))
            let refused = try file("new.terepbundle", BundleForge.bundle(device: "lap-new", events: events))
            let merged = try TerepProcess.run(["merge", "--central", central, "--trust-new-devices", refused])
            #expect(merged.status == 1)
            #expect(!merged.stderr.contains("registered new device"))
            let status = try TerepProcess.run(["central", "status", "--central", central])
            #expect(status.stdout.hasPrefix("Devices: 1\n"), "\(status.stdout)")
        }

        /// Runs terep as another user: as root, as `nobody` through setpriv (a copy of the binary
        /// that user may run); as anyone else, as themselves (files are then made unreadable to
        /// their own owner, which the kernel honours for everyone but root).
        func asOtherUser(_ arguments: [String], in folder: URL) throws -> TerepProcess.Result {
            let binary = try TerepProcess.requireBinary()
            guard getuid() == 0 else { return try TerepProcess.run(arguments) }
            let copy = folder.appendingPathComponent("terep")
            if !FileManager.default.fileExists(atPath: copy.path) { try FileManager.default.copyItem(at: binary, to: copy) }
            return try TerepProcess.run(
                executable: URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--", copy.path] + arguments)
        }

        /// Makes a file unreadable to the user `asOtherUser` runs as.
        func forbid(_ path: String) {
            if getuid() == 0 { chown(path, 0, 0) }
            chmod(path, getuid() == 0 ? 0o600 : 0o000)
        }

        /// Gives a file (and its folder) to the user `asOtherUser` runs as, with `mode`.
        func give(_ path: String, mode: mode_t) {
            if getuid() == 0 { chown(path, 65534, 65534) }
            chmod(path, mode)
        }

        @Test("a central this user may not open, a read-only central and an unreadable bundle are each said once, clearly")
        func permissions() throws {
            let other = try TerepProcess.temporaryDirectory()
            defer {
                try? FileManager.default.removeItem(at: dir)
                try? FileManager.default.removeItem(at: other)
            }
            give(other.path, mode: 0o755)
            let bundle = try good("g.terepbundle", firstSequence: 1)
            give(bundle, mode: 0o644)
            let readOnly = other.appendingPathComponent("read-only.sqlite").path
            let writable = other.appendingPathComponent("writable.sqlite").path
            try FileManager.default.copyItem(atPath: central, toPath: readOnly)
            try FileManager.default.copyItem(atPath: central, toPath: writable)

            forbid(central)
            let denied = try asOtherUser(["merge", "--central", central, bundle], in: other)
            #expect(denied.status == 1 && denied.stdout.isEmpty)
            #expect(
                denied.stderr.contains("this user cannot open the database \(central) (it is not readable: owner uid"), "\(denied.stderr)")

            give(readOnly, mode: 0o400)
            let refused = try asOtherUser(["merge", "--central", readOnly, bundle, bundle], in: other)
            #expect(refused.status == 1 && refused.stdout.isEmpty)
            #expect(refused.stderr.split(separator: "\n").count == 1, "said once: \(refused.stderr)")
            #expect(refused.stderr.contains("the database \(readOnly) is read-only (the file is not writable: owner uid"))

            give(writable, mode: 0o600)
            forbid(bundle)
            let unreadable = try asOtherUser(["merge", "--central", writable, bundle], in: other)
            #expect(unreadable.status == 1)
            #expect(unreadable.stdout.contains("REJECTED \(bundle): this user (uid "), "\(unreadable.stdout)")
            #expect(unreadable.stdout.contains("may not read it (owner uid"))
        }
    }
}
