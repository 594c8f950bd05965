import Foundation
import SurveyModel
import SurveyTestSupport
import Testing

@testable import SurveySync

/// Files that are not bundles, and signed bundles holding numbers no device writes: each is
/// refused with a reason that says what is wrong, before anything is computed from it.
@Suite("Hostile inputs to the bundle reader")
struct HostileInputTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("terep-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The one-line reason `BundleReader.open` gives for a path.
    func reason(opening path: String, limits: BundleLimits = .default) -> String {
        do {
            _ = try BundleReader(limits: limits).open(path: path)
            return "opened"
        } catch { return error.reason }
    }

    /// The reason `read` gives for a signed bundle (the forger's key registered).
    func reason(reading data: Data) -> String {
        do {
            _ = try BundleReader().read(
                data, file: "x", devices: { _ in .registered(BundleForge.signingKey.publicKey) }, coordinatorKey: nil)
            return "read"
        } catch { return error.reason }
    }

    @Test("a directory, a named pipe, a dangling link and a missing file are each named for what they are")
    func notRegularFiles() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(atPath: path("dir.terepbundle"), withIntermediateDirectories: false)
        #expect(mkfifo(path("pipe.terepbundle"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: path("link.terepbundle"), withDestinationPath: path("gone"))
        #expect(reason(opening: path("dir.terepbundle")).hasPrefix("a directory, not a bundle file"))
        // Opening the pipe must not wait for a writer.
        #expect(reason(opening: path("pipe.terepbundle")).hasPrefix("a named pipe (FIFO), not a bundle file"))
        #expect(
            reason(opening: path("link.terepbundle"))
                == "a symbolic link to '\(path("gone"))', which does not exist; copy the bundle itself")
        #expect(reason(opening: path("missing.terepbundle")) == "no such file; check the path")
    }

    @Test("a file above the cap is refused from its size alone: nothing is read or hashed")
    func oversizedFileIsNotRead() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = path("big.terepbundle")
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        #expect(truncate(big, 3 << 30) == 0)  // sparse: 3 GiB that were never written
        let before = peakResidentBytes()
        #expect(reason(opening: big) == "rejected as a decompression bomb: file is \(3 << 30) bytes, above the 512 MiB cap")
        #expect(BundleReader().fileDigest(path: big) == nil)
        #expect(peakResidentBytes() - before < 64 << 20)
        let small = BundleLimits(maxUncompressedSize: 1 << 20, maxRatio: 100, maxFileSize: 1 << 20)
        #expect(reason(opening: big, limits: small).hasSuffix("above the 1 MiB cap"))
    }

    @Test("a bundle's digest for the log is read in chunks and equals the SHA-256 of the file")
    func streamedDigest() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try data.write(to: URL(fileURLWithPath: path("d")))
        #expect(BundleReader().fileDigest(path: path("d")) == BundleFormat.sha256Hex(data))
    }

    @Test("a sequence number at Int64.max is refused in the manifest and in the events")
    func extremeSequence() {
        var events = BundleForge.events(device: "lap-x")
        events[events.count - 1].sequence = Int64.max
        #expect(
            reason(reading: BundleForge.bundle(device: "lap-x", events: events)).hasPrefix(
                "malformed manifest: sequence range 1-9223372036854775807 is out of range"))
        let lying = BundleForge.bundle(device: "lap-x", events: events) { $0.sequenceRange = .init(first: 1, last: 12) }
        #expect(
            reason(reading: lying)
                == "an event is out of bounds: sequence number 9223372036854775807 is out of range (1 to 9007199254740992)")
    }

    @Test(
        "numbers too large for any type are named, not 'not valid JSON'",
        arguments: [
            (
                "\"sequence\":12,", "\"sequence\":18446744073709551616,",
                "malformed event line 12 (of the events section): number 18446744073709551616 (at 'sequence') is out of range"
            ),
            (
                "{\"int\":31}", "{\"int\":1000000000000000000000000000000}",
                "malformed event line 10 (of the events section): number 1000000000000000000000000000000 (at 'int') is out of range"
            ),
            (
                "{\"int\":31}", "{\"int\":1e400}",
                "malformed event line 10 (of the events section): number 1e400 (at 'int') is out of range for a decimal number"
            ),
        ])
    func hugeNumbers(_ old: String, _ new: String, _ message: String) {
        let events = BundleForge.events(device: "lap-x")
        let data = BundleForge.bundle(device: "lap-x", events: events, editPayload: { $0.replacingOccurrences(of: old, with: new) })
        #expect(reason(reading: data).hasPrefix(message), "\(reason(reading: data))")
    }

    @Test("negative sizes and counts in a manifest are refused before anything is inflated")
    func negativeSizes() {
        let events = BundleForge.events(device: "lap-x")
        let data = BundleForge.bundle(device: "lap-x", events: events) { $0.payload.uncompressedSize = -1 }
        #expect(reason(reading: data) == "malformed manifest: payload.uncompressedSize is negative (-1)")
    }

    @Test("a forged manifest's format beyond the header's 16 bits is written as 65535 and refused (FuzzBundle's finding)")
    func formatBeyondTheHeader() throws {
        for format in [9_007_199_254_740_993, -3] {
            let events = BundleForge.events(device: "lap-x")
            let good = BundleForge.bundle(device: "lap-x", events: events)
            let manifest = try BundleReader().read(
                good, file: "x", devices: { _ in .registered(BundleForge.signingKey.publicKey) }, coordinatorKey: nil
            ).manifest
            var forged = manifest
            forged.format = format
            let data = try BundleWriter.assemble(
                manifestBytes: forged.canonicalBytes, storedPayload: Data(), signingKey: BundleForge.signingKey)
            let header = format > 0 ? 65535 : 0
            #expect(reason(reading: data).hasPrefix("bundle format version \(header) is not supported"), "\(reason(reading: data))")
        }
    }

    @Test("an event whose interviewer holds a NUL character is refused (FuzzMerge's finding: SQLite kept the name cut at it)")
    func nulInAnEventsText() {
        var events = BundleForge.events(device: "lap-x")
        events[1].interviewer = "K\u{0}na"
        let data = BundleForge.bundle(device: "lap-x", events: events)
        #expect(
            reason(reading: data).hasSuffix("event 2 has a NUL character (U+0000) in its interviewer, which no store keeps"),
            "\(reason(reading: data))")
    }

    @Test("a device id with terminal escapes is shown escaped in the reason")
    func escapedDeviceInReason() {
        let device = DeviceID("evil\n\u{1B}[2Jmerged")
        let data = BundleForge.bundle(device: device, events: BundleForge.events(device: device))
        do {
            _ = try BundleReader().read(data, file: "f\nx", devices: { _ in .unknown }, coordinatorKey: nil)
            Issue.record("an unknown device was accepted")
        } catch {
            #expect(error.reason.hasPrefix("device 'evil\\n\\u{1B}[2Jmerged' is not registered"))
            #expect(error.description.hasPrefix("f\\nx: device"))
            #expect(!error.description.unicodeScalars.contains { DisplayText.needsEscape($0) })
        }
    }
}

/// The peak resident set size of this process so far, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}
