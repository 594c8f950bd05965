import Foundation
import Testing

extension EndToEnd {
    /// `SOURCE_DATE_EPOCH` makes `.sav` and `.dta` files the same bytes whenever they are exported.
    @Suite struct ReproducibleExportEndToEndTests {
        @Test(
            "with SOURCE_DATE_EPOCH two exports a second apart are byte-identical and carry that time (headers, DDI, log); a malformed one is refused"
        )
        func sourceDateEpoch() throws {
            let survey = try #require(TerepProcess.questionnaire("wellbeing.survey"))
            let dir = try TerepProcess.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let (central, merged) = try TerepProcess.mergedCentral(in: dir, survey: survey, interviews: 6, seed: 3)
            #expect(merged.status == 0, "\(merged.stderr)")
            let keyFile = try TerepProcess.keyFile()

            func export(_ name: String, epoch: String?) throws -> TerepProcess.Result {
                try TerepProcess.run(
                    [
                        "export", "--central", central, "--survey", "wellbeing", "--status", "all", "--format", "csv,sav,dta,ddi",
                        "--pii-key", keyFile, "-o", dir.appendingPathComponent(name).path,
                    ],
                    environment: epoch.map { ["SOURCE_DATE_EPOCH": $0] } ?? [:])
            }
            func bytes(_ name: String, _ file: String) throws -> Data {
                try Data(contentsOf: dir.appendingPathComponent(name).appendingPathComponent(file))
            }
            // 1764547200 is 2025-12-01 00:00:00 UTC.
            #expect(try export("one", epoch: "1764547200").status == 0)
            Thread.sleep(forTimeInterval: 1.1)
            #expect(try export("two", epoch: "1764547200").status == 0)
            for file in ["wellbeing.sav", "wellbeing.dta", "wellbeing.csv", "wellbeing_ddi.xml"] {
                #expect(try bytes("one", file) == bytes("two", file), "\(file) differs")
            }
            let sav = try bytes("one", "wellbeing.sav")
            #expect(String(decoding: sav[92..<109], as: UTF8.self) == "01 Dec 2500:00:00", "the .sav header's date and time")
            #expect(try bytes("one", "wellbeing.dta").range(of: Data("01 Dec 2025 00:00".utf8)) != nil, "the .dta header's timestamp")
            let ddi = String(decoding: try bytes("one", "wellbeing_ddi.xml"), as: UTF8.self)
            #expect(ddi.contains("<prodDate date=\"2025-12-01\">2025-12-01</prodDate>"), "the DDI's production date")
            let log = String(decoding: try bytes("one", "wellbeing_export.log"), as: UTF8.self)
            #expect(log.hasPrefix("terep export of survey wellbeing, 2025-12-01T00:00:00Z\n"), "the export log's time: \(log.prefix(80))")
            #expect(try export("clock", epoch: nil).status == 0)
            #expect(try bytes("clock", "wellbeing.sav") != sav, "without it, the clock")
            let bad = try export("bad", epoch: "yesterday")
            #expect(
                bad.status != 0 && bad.stderr.contains("SOURCE_DATE_EPOCH is 'yesterday', not whole seconds since 1970"), "\(bad.stderr)")
        }
    }
}
