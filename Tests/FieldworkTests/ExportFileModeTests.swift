import Fieldwork
import Foundation
import SurveyExport
import Testing

/// An export that keeps personal data is readable by its owner only, its log included.
@Suite struct ExportFileModeTests {
    func modes(_ files: [URL]) -> [String: mode_t] {
        Dictionary(
            uniqueKeysWithValues: files.map { file in
                var info = stat()
                stat(file.path, &info)
                return (file.lastPathComponent, info.st_mode & 0o777)
            })
    }

    @Test("--pii keep writes every file 0600, the log too; otherwise no file is wider than 0644")
    func personalDataIsPrivate() throws {
        let f = try CleanedDatasetTests.fixture()
        let dir = try CentralFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (list, codebook, ddi) = try ExportRequest.formats(["csv", "sav", "dta", "jsonl", "codebook", "ddi"], excel: false)
        var keep = ExportRequest(formats: list, codebook: codebook, pii: .keep, directory: dir.appendingPathComponent("keep"))
        keep.ddi = ddi
        let kept = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: "t"), keep)
        #expect(
            kept.files.count == 19, "2 tables × csv/sav/dta/sps/do, JSON Lines, paradata/durations/comments/visits, codebook ×2, DDI, log")
        for (name, mode) in modes(kept.files) { #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))") }
        var drop = ExportRequest(formats: list, codebook: codebook, directory: dir.appendingPathComponent("drop"))
        drop.ddi = ddi
        let dropped = try SurveyExportRun.run(try CleanedDataset(central: f.central, survey: "t"), drop)
        for (name, mode) in modes(dropped.files) { #expect(mode & ~0o644 == 0, "\(name) is \(String(mode, radix: 8))") }
        #expect(modes([dropped.log]).values.first == modes(dropped.files.filter { $0.pathExtension == "csv" }).values.first)
    }

    @Test("a file already there with wider permissions is narrowed, never widened")
    func existingFileNarrowed() throws {
        let dir = try CentralFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8)))
        chmod(path, 0o666)
        let sink = try FileSink(path: path, mode: 0o600)
        try sink.close()
        #expect(modes([URL(fileURLWithPath: path)])["x.csv"] == 0o600)
    }
}
