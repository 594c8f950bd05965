import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import SurveySync
import SurveyTestSupport
import Testing

/// `BundleMerger` with hostile files among good ones: every good bundle merges, every bad one
/// is refused with one escaped line, and nothing a refused file says stays behind.
@Suite struct HostileBundleMergeTests {
    let bench: SyncBench

    init() throws { bench = try SyncBench() }

    func write(_ data: Data, _ name: String) throws -> String {
        let path = bench.path(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("an extreme sequence number is refused like any bad bundle, and the bundles after it merge")
    func extremeSequenceDoesNotBlockTheInbox() throws {
        defer { bench.cleanUp() }
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-x", key: BundleForge.signingKey.publicKey, note: nil)
        var hostile = BundleForge.events(device: "lap-x", firstSequence: 1)
        hostile[hostile.count - 1].sequence = Int64.max
        let files = [
            try write(BundleForge.bundle(device: "lap-x", events: hostile), "a-max.terepbundle"),
            try write(BundleForge.bundle(device: "lap-x", events: hostile) { $0.sequenceRange = .init(first: 1, last: 12) }, "b-lying.terepbundle"),
            try write(BundleForge.bundle(device: "lap-x", events: BundleForge.events(device: "lap-x", firstSequence: 1)), "c-good.terepbundle"),
        ]
        var merger = try bench.merger()
        let summary = merger.merge(files)
        #expect(summary.bundles.map(\.status) == [.rejected, .rejected, .merged])
        #expect(summary.bundles[0].reason?.contains("sequence range 1-9223372036854775807 is out of range") == true)
        #expect(summary.bundles[1].reason?.contains("sequence number 9223372036854775807 is out of range") == true)
        #expect(summary.newEvents == 12)
        let status = try CentralAdmin.status(path: bench.central)
        #expect(status.bundlesRejected == 2 && status.bundlesAccepted == 1)
    }

    @Test("--trust-new-devices registers a device only with a bundle that merges")
    func trustOnlyOnAcceptance() throws {
        defer { bench.cleanUp() }
        var bad = BundleForge.events(device: "lap-new")
        bad[3].kind = .answered(Address("nonexistent"), .value(.integer(1)))
        let refused = try write(BundleForge.bundle(device: "lap-new", events: bad), "bad.terepbundle")
        var notes: [String] = []
        var merger = try bench.merger(trustNewDevices: true) { notes.append($0) }
        #expect(merger.merge([refused]).rejected == 1)
        #expect(try CentralStore.open(path: bench.central, readOnly: true).device("lap-new") == nil)
        #expect(notes.isEmpty)
        let good = try write(BundleForge.bundle(device: "lap-new", events: BundleForge.events(device: "lap-new")), "good.terepbundle")
        #expect(merger.merge([good]).merged == 1)
        #expect(try CentralStore.open(path: bench.central, readOnly: true).device("lap-new")?.method == .trustOnFirstUse)
        #expect(notes.count == 1 && notes[0].hasPrefix("note: registered new device lap-new"))
    }

    @Test("file names and device ids with newlines and escape codes print as one escaped line each")
    func outputInjection() throws {
        defer { bench.cleanUp() }
        let evil = DeviceID("lap\n\u{1B}[32mmerged ok")
        let injected = try write(
            BundleForge.bundle(device: evil, events: BundleForge.events(device: evil)),
            "x\nmerged fake.terepbundle: 999 new events\u{1B}[31m.terepbundle")
        var notes: [String] = []
        var merger = try bench.merger(trustNewDevices: false) { notes.append($0) }
        let summary = merger.merge([injected])
        let outcome = try #require(summary.bundles.first)
        #expect(outcome.line.split(separator: "\n").count == 1)
        #expect(
            outcome.line == "REJECTED \(bench.path("x\\nmerged fake.terepbundle: 999 new events\\u{1B}[31m.terepbundle")): "
                + "device 'lap\\n\\u{1B}[32mmerged ok' is not registered (its key \(BundleForge.signingKey.publicKey.fingerprint)); "
                + "register it with 'terep central add-device'")
        for text in [summary.text(), summary.json(), try CentralAdmin.status(path: bench.central).text()] {
            #expect(!text.unicodeScalars.contains { DisplayText.needsEscape($0) && $0 != "\n" }, "\(text)")
            #expect(!text.contains("\nmerged fake"))
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any]
        #expect((decoded?["bundles"] as? [[String: Any]])?.first?["file"] as? String == injected)
    }

    @Test("what is not a readable bundle file is refused with what it is, and logged without reading it")
    func oddFiles() throws {
        defer { bench.cleanUp() }
        try FileManager.default.createDirectory(atPath: bench.path("dir"), withIntermediateDirectories: false)
        #expect(mkfifo(bench.path("fifo"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: bench.path("dangling"), withDestinationPath: bench.path("nowhere"))
        let big = bench.path("big.terepbundle")
        #expect(FileManager.default.createFile(atPath: big, contents: nil) && truncate(big, 3 << 30) == 0)
        var merger = try bench.merger()
        let summary = merger.merge([bench.path("dir"), bench.path("fifo"), bench.path("dangling"), big])
        let reasons = summary.bundles.map { $0.reason ?? "" }
        #expect(reasons[0].hasPrefix("a directory"))
        #expect(reasons[1].hasPrefix("a named pipe (FIFO)"))
        #expect(reasons[2].hasPrefix("a symbolic link to"))
        #expect(reasons[3] == "rejected as a decompression bomb: file is \(3 << 30) bytes, above the 512 MiB cap")
        let logged = try CentralStore.open(path: bench.central, readOnly: true).bundle(hash: "unread:\(big)")
        #expect(logged?.accepted == false)
    }
}
