import Foundation

/// The directory of one export. An export is written into a staging directory beside it and
/// moved into place only when every file is complete, so the directory never mixes the files of
/// two exports (a `.sav` of one selection beside a `.dta` of another) and an interrupted export
/// leaves the previous one untouched.
///
/// Before anything is written the target must be absent or empty; with `--force` it may hold an
/// earlier export (the files its `*_export.log` lists) and corrections files (`*.corrections`),
/// which are carried over. Anything else in it is an error, so no file of the analyst's is ever
/// deleted.
struct ExportDirectory {
    let target: URL
    /// Where the files are written: `.<name>.export-<random>` beside the target.
    let staging: URL
    /// Whether the target existed with files in it (replaced by ``commit()``).
    let replaces: Bool

    static func prepare(_ target: URL, force: Bool) throws(FieldworkError) -> ExportDirectory {
        let fm = FileManager.default
        let target = target.standardizedFileURL
        var isDirectory: ObjCBool = false
        var replaces = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .io(path: target.path, message: "is a file, not a directory; give -o a directory for the export")
            }
            let contents: [String]
            do { contents = try fm.contentsOfDirectory(atPath: target.path).sorted() } catch {
                throw .io(path: target.path, message: "cannot list the export directory: \(error.localizedDescription)")
            }
            if !contents.isEmpty {
                let earlier = earlierExport(in: target, contents: contents)
                let foreign = contents.filter { !earlier.contains($0) && !$0.hasSuffix(".corrections") }
                if !foreign.isEmpty { throw .notAnExportDirectory(target.path, foreign: foreign) }
                if !force { throw .wouldOverwrite(contents.filter { !$0.hasSuffix(".corrections") }) }
                replaces = true
            }
        }
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).export-\(UUID().uuidString.prefix(8))")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw .io(path: parent.path, message: "cannot create the export's working directory here: \(error.localizedDescription)")
        }
        return ExportDirectory(target: target, staging: staging, replaces: replaces)
    }

    /// The names of the files an earlier export in `dir` wrote: its logs and the files they list.
    static func earlierExport(in dir: URL, contents: [String]) -> Set<String> {
        var names = Set<String>()
        for log in contents where log.hasSuffix("_export.log") {
            guard let text = try? String(contentsOf: dir.appendingPathComponent(log), encoding: .utf8) else { continue }
            names.insert(log)
            var inFiles = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("## ") { inFiles = line == "## Files"; continue }
                if inFiles, !line.isEmpty, !line.hasPrefix("table "), !line.contains("/") { names.insert(String(line)) }
            }
        }
        return names
    }

    /// Moves the finished export into place: the corrections files of the directory it replaces
    /// are carried over, the earlier export is removed. Readers see the old export whole, for an
    /// instant no directory, then the new export whole.
    func commit() throws(FieldworkError) {
        let fm = FileManager.default
        do {
            guard replaces else {
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }  // an empty directory
                try fm.moveItem(at: staging, to: target)
                return
            }
            for name in try fm.contentsOfDirectory(atPath: target.path) where name.hasSuffix(".corrections") {
                try fm.copyItem(at: target.appendingPathComponent(name), to: staging.appendingPathComponent(name))
            }
            let old = target.deletingLastPathComponent()
                .appendingPathComponent(".\(target.lastPathComponent).replaced-\(UUID().uuidString.prefix(8))")
            try fm.moveItem(at: target, to: old)
            do { try fm.moveItem(at: staging, to: target) } catch {
                try? fm.moveItem(at: old, to: target)
                throw error
            }
            try? fm.removeItem(at: old)
        } catch {
            throw .io(path: target.path, message: "cannot move the finished export into place: \(error.localizedDescription)")
        }
    }

    /// Removes the staging directory (after a failure).
    func discard() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// A file's final URL for its URL in the staging directory.
    func final(_ url: URL) -> URL { target.appendingPathComponent(url.lastPathComponent) }
}
