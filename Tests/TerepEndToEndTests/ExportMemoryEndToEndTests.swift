import Foundation
import Testing

extension EndToEnd {
    /// `terep export` streams: its peak memory does not grow with the number of interviews.
    /// The same energy interviews (simulated by the real engine, then copied under new ids) are
    /// merged at two sizes, 10× apart, and exported to every format — once decoding the cache of
    /// cleaned records the merge filled, once with the cache emptied, so every interview is
    /// replayed through the engine — each as the real binary under GNU time. Not a timing test:
    /// the bound on the growth is generous (what grows with the data is one summary row per
    /// interview, ~1 kB), so only holding rows or events in memory fails it.
    @Suite struct ExportMemoryEndToEndTests {
        static let sizes = (simulated: 20, copies: [3, 30])

        /// Peak resident bytes of `terep export` (cache warm, cache emptied) at one size.
        func peaks(copies: Int) throws -> (warm: Int, cold: Int, interviews: Int) {
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = try StreamedBundleEndToEndTests.deviceDatabase(
                in: dir, simulated: Self.sizes.simulated, copies: copies, noteBytes: 64)
            let central = dir.appendingPathComponent("central.sqlite").path, bundle = dir.appendingPathComponent("b.terepbundle").path
            let initialised = try TerepProcess.run(["central", "init", "--central", central])
            try #require(initialised.status == 0, "\(initialised.stderr)")
            let key = try #require(initialised.stdout.split(separator: "\n").first { $0.hasPrefix("x25519:") }).description
            let created = try TerepProcess.run(["bundle", "create", "--device-db", device, "-o", bundle, "--all", "--to", key])
            try #require(created.status == 0, "\(created.stderr)")
            let merged = try TerepProcess.run(["merge", "--central", central, "--trust-new-devices", bundle])
            try #require(merged.status == 0, "\(merged.stderr)")
            let binary = try TerepProcess.requireBinary().path
            var peaks: [Int] = []
            for (i, cache) in ["warm", "emptied"].enumerated() {
                if cache == "emptied" {
                    let cleared = try TerepProcess.run(
                        executable: URL(fileURLWithPath: StreamedBundleEndToEndTests.sqlite3), [central],
                        stdin: "DELETE FROM cleaned_record;")
                    try #require(cleared.status == 0, "\(cleared.stderr)")
                }
                let out = dir.appendingPathComponent("export-\(i)").path
                let export = try MeasuredProcess.run(
                    binary,
                    [
                        "export", "--central", central, "--survey", "energy", "--status", "all",
                        "--format", "csv,sav,dta,jsonl,codebook,ddi", "--comments", "-o", out,
                    ])
                try #require(export.status == 0, "\(export.stderr)")
                #expect(export.stdout.contains("Exported \(Self.sizes.simulated * copies) interviews"), "\(export.stdout)")
                peaks.append(export.peakResidentBytes)
            }
            return (peaks[0], peaks[1], Self.sizes.simulated * copies)
        }

        @Test("terep export to every format peaks at the same memory for 60 and 600 interviews, cache warm or emptied")
        func exportMemoryDoesNotGrowWithTheData() throws {
            let small = try peaks(copies: Self.sizes.copies[0]), large = try peaks(copies: Self.sizes.copies[1])
            func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
            let report =
                "warm \(mb(small.warm)) → \(mb(large.warm)), emptied \(mb(small.cold)) → \(mb(large.cold)) "
                + "(\(small.interviews) → \(large.interviews) interviews)"
            #expect(large.warm < small.warm + (12 << 20), "\(report)")
            #expect(large.cold < small.cold + (12 << 20), "\(report)")
            #expect(max(large.warm, large.cold) < 100 << 20, "\(report)")
        }
    }
}
