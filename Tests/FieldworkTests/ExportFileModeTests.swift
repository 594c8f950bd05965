import Fieldwork
import SurveyExport
import Foundation
import Testing

/// An export that keeps personal data is readable by its owner only, its log included.
@Suite struct ExportFileModeTests {
    func modes(_ files: [URL]) -> [String: mode_t] {
        Dictionary(uniqueKeysWithValues: files.map { file in
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
        let (list, codebook) = try ExportRequest.formats(["csv", "sav", "dta", "jsonl", "codebook"], excel: false)
        let keep = dir.appendingPathComponent("keep")
        let kept = try SurveyExportRun.run(
            try CleanedDataset(central: f.central, survey: "t"),
            ExportRequest(formats: list, codebook: codebook, pii: .keep, directory: keep))
        #expect(kept.files.count == 10)
        for (name, mode) in modes(kept.files) { #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))") }
        let dropped = try SurveyExportRun.run(
            try CleanedDataset(central: f.central, survey: "t"),
            ExportRequest(formats: list, codebook: codebook, directory: dir.appendingPathComponent("drop")))
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
