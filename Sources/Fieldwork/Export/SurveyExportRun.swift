import Foundation
import SurveyExport
import SurveyModel

/// How personal data is exported (`--pii`).
public enum PIIChoice: Sendable {
    /// `pii` variables are left out; identifiers (`pii pseudonym`, `iv_interviewer`) are
    /// pseudonymised with `identifiers`, or with a one-time random key when it is nil.
    case drop(identifiers: Pseudonymiser? = nil)
    /// Every personal-data variable is pseudonymised with the key.
    case pseudonymise(Pseudonymiser)
    case keep

    /// The schema's options for this choice; a one-time key is made here when needed.
    func options(language: LanguageCode?) -> ExportOptions {
        switch self {
        case .drop(let key):
            ExportOptions(language: language, pii: .drop, identifiers: (key ?? Pseudonymiser.oneTime()).pseudonyms)
        case .pseudonymise(let p):
            ExportOptions(language: language, pii: .pseudonymise(width: p.pseudonyms.width, p.pseudonyms.make))
        case .keep:
            ExportOptions(language: language, pii: .keep)
        }
    }

    var logText: String {
        switch self {
        case .drop(let key):
            "drop (variables marked pii are left out; identifiers marked pii pseudonym and iv_interviewer are keyed pseudonyms, "
                + (key == nil
                    ? "with a one-time key: they link rows within this export only; give --pii-key FILE to keep them across exports)"
                    : "with the secret key file)")
        case .pseudonymise: "pseudonymise (every personal-data variable a keyed pseudonym, HMAC-SHA256 with the secret key file)"
        case .keep: "keep (explicit --pii keep: personal data is in these files)"
        }
    }
}

/// What to write in one export run.
public struct ExportRequest: Sendable {
    public var formats: [ExportFormat]
    /// Also write the codebook (Markdown and HTML).
    public var codebook: Bool
    /// Also write the DDI-Codebook 2.5 XML (`<survey>_ddi.xml`).
    public var ddi = false
    public var language: LanguageCode?
    public var pii: PIIChoice
    public var directory: URL
    /// Replace files of an earlier export.
    public var force: Bool
    /// Small top-level rosters exported wide, in the interview table (`--wide mem`).
    public var wideRosters: [GroupID] = []
    /// Write the interviewers' notes and confirmation reasons under `--pii drop` or
    /// `pseudonymise` too, scrubbed (`--comments`); see ``commentTexts``.
    public var comments = false

    public init(
        formats: [ExportFormat], codebook: Bool = false, language: LanguageCode? = nil, pii: PIIChoice = .drop(),
        directory: URL, force: Bool = false
    ) {
        self.formats = formats
        self.codebook = codebook
        self.language = language
        self.pii = pii
        self.directory = directory
        self.force = force
    }

    /// How comments reach the export: as typed under `--pii keep`; otherwise left out unless
    /// ``comments`` asks for them, and then scrubbed of what looks like personal data.
    public var commentTexts: CommentTexts {
        if case .keep = pii { return .asTyped }
        return comments ? .scrubbed : .leftOut
    }

    /// The formats written: those asked for, plus the CSV when a `.sav` or `.dta` is asked for
    /// (their `.sps` and `.do` rebuild them from it).
    public var writtenFormats: [ExportFormat] {
        let needsCSV = (formats.contains(.sav) || formats.contains(.dta)) && !formats.contains(.csv)
        return formats + (needsCSV ? [.csv] : [])
    }
}

/// What an export run wrote.
public struct ExportReport: Sendable {
    /// Every file written (final names), the log last.
    public var files: [URL]
    public var summary: CleaningSummary
    public var log: URL
    /// The questionnaire versions merged into the schema, newest first.
    public var versions: [ExportVersion] = []
    /// What merging them did (also in the log).
    public var versionNotes: [VersionNote] = []
    /// The schema the files follow.
    public var schema: ExportSchema?

    /// Variables holding an older version's values apart (`income_v1`).
    public var separatedVariables: [String] {
        versionNotes.compactMap { if case .separated = $0.kind { "\($0.table).\($0.variable)" } else { nil } }
    }
}

/// Writes a survey's cleaned interviews in every requested format in one streaming pass,
/// plus the codebook, DDI, syntax files and an export log; all files appear only when
/// everything succeeded.
public enum SurveyExportRun {
    /// Runs the export; `progress` gets (interviews done, interviews selected) now and then.
    public static func run(
        _ dataset: CleanedDataset, _ request: ExportRequest, progress: ((Int, Int) -> Void)? = nil
    ) throws(FieldworkError) -> ExportReport {
        var options = request.pii.options(language: request.language)
        options.wideRosters = request.wideRosters
        let mode = options.pii.fileMode
        let schema: ExportSchema
        do {
            schema = try ExportSchema(versions: dataset.exportDefinitions.map { ($0.hash, $0.definition) }, options: options)
        } catch { throw .export(error) }
        try dataset.checkCorrections()
        let created: Date
        do { created = try ExportCreationTime.resolve() } catch { throw .export(error) }
        let place = try ExportDirectory.prepare(request.directory, force: request.force)
        defer { place.discard() }
        var writers = try ExportWriters(
            schema: schema, request: request, directory: place.staging, fileMode: mode, createdAt: created)
        let total = dataset.selectedCount
        var done = 0
        let summary = try dataset.forEach { (record) throws(FieldworkError) in
            try writers.write(record)
            done += 1
            if done % 200 == 0 || done == total { progress?(done, total) }
        }
        var files = try writers.finish()
        files += try documents(
            schema, dataset: dataset, request: request, frequencies: writers.frequencies, created: created, in: place.staging,
            mode: mode)
        let logText = ExportLog.text(
            dataset: dataset, request: request, schema: schema, summary: summary, files: files, rows: writers.rowCounts,
            commentsLeftOut: writers.commentsLeftOut, created: created)
        let log = try write(logText, "\(schema.survey.rawValue)_export.log", in: place.staging, mode: mode)
        try place.commit()
        return ExportReport(
            files: (files + [log]).map(place.final), summary: summary, log: place.final(log), versions: schema.versions,
            versionNotes: schema.versionNotes, schema: schema)
    }

    /// The files written from the schema and the counts after the pass: the codebook, the DDI
    /// XML and the syntax files that rebuild the `.sav` and `.dta` from the CSV. `created` is the
    /// DDI's production date (``ExportCreationTime``, like the `.sav` and `.dta` headers).
    static func documents(
        _ schema: ExportSchema, dataset: CleanedDataset, request: ExportRequest, frequencies: Frequencies, created: Date,
        in dir: URL, mode: UInt16
    ) throws(FieldworkError) -> [URL] {
        let survey = schema.survey.rawValue
        let definitions = Dictionary(dataset.exportDefinitions.map { ($0.hash, $0.definition) }, uniquingKeysWith: { a, _ in a })
        var files: [URL] = []
        if request.codebook {
            let book = Codebook(
                schema: schema, definition: dataset.schemaDefinition.definition, frequencies: frequencies,
                versionDefinitions: definitions)
            files.append(try write(book.markdown(), "\(survey)_codebook.md", in: dir, mode: mode))
            files.append(try write(book.html(), "\(survey)_codebook.html", in: dir, mode: mode))
        }
        if request.ddi {
            let ddi = DDICodebook(
                schema: schema, definition: dataset.schemaDefinition.definition, frequencies: frequencies,
                versionDefinitions: definitions, produced: created)
            files.append(try write(ddi.xml(), "\(survey)_ddi.xml", in: dir, mode: mode))
        }
        for table in schema.tables {
            if request.formats.contains(.sav) {
                files.append(try write(SpssSyntax(table: table, schema: schema).text(), "\(table.name).sps", in: dir, mode: mode))
            }
            if request.formats.contains(.dta) {
                files.append(try write(StataSyntax(table: table, schema: schema).text(), "\(table.name).do", in: dir, mode: mode))
            }
        }
        return files
    }

    /// Writes a text file through a temporary name, with the export's file permissions.
    private static func write(_ text: String, _ name: String, in dir: URL, mode: UInt16) throws(FieldworkError) -> URL {
        let final = dir.appendingPathComponent(name)
        let partial = dir.appendingPathComponent(".\(name).partial")
        do {
            var sink = try FileSink(path: partial.path, mode: mode)
            try sink.write(Array(text.utf8))
            try sink.close()
            if FileManager.default.fileExists(atPath: final.path) { try FileManager.default.removeItem(at: final) }
            try FileManager.default.moveItem(at: partial, to: final)
        } catch {
            throw .io(path: final.path, message: "cannot write: \(error.localizedDescription)")
        }
        return final
    }
}

extension ExportRequest {
    /// Parses `--format` values (`csv`, `sav`, `dta`, `jsonl`, `codebook`); with `excel`, CSV
    /// is written in the Hungarian Excel dialect.
    public static func formats(
        _ names: [String], excel: Bool
    ) throws(FieldworkError) -> (formats: [ExportFormat], codebook: Bool, ddi: Bool) {
        var formats: [ExportFormat] = []
        var codebook = false, ddi = false
        for name in names.flatMap({ $0.split(separator: ",").map(String.init) }) {
            switch name {
            case "codebook": codebook = true
            case "ddi": ddi = true
            case "csv": formats.append(excel ? .excel : .csv)
            case "sav", "dta", "jsonl": if let f = ExportFormat(rawValue: name) { formats.append(f) }
            default: throw .usage("--format: unknown format '\(name)'; use csv, sav, dta, jsonl, codebook or ddi")
            }
        }
        if excel && !formats.contains(.excel) { formats.append(.excel) }
        guard !formats.isEmpty || codebook || ddi else { throw .usage("give at least one --format") }
        var seen = Set<ExportFormat>()
        return (formats.filter { seen.insert($0).inserted }, codebook, ddi)
    }

    /// The PII choice for `--pii` (`drop`, `pseudonymise`, `keep`) and `--pii-key FILE`.
    public static func pii(_ mode: String, keyFile: String?) throws(FieldworkError) -> PIIChoice {
        switch mode {
        case "drop": return .drop(identifiers: try keyFile.map { path throws(FieldworkError) in try Pseudonymiser(keyFile: path) })
        case "keep": return .keep
        case "pseudonymise", "pseudonymize":
            guard let keyFile else {
                throw .usage("--pii pseudonymise needs --pii-key FILE, a secret key file (e.g. `head -c 32 /dev/urandom > pii.key`)")
            }
            return .pseudonymise(try Pseudonymiser(keyFile: keyFile))
        default: throw .usage("--pii: '\(mode)' is not drop, pseudonymise or keep")
        }
    }

    /// The corrections file: the one given, else `<survey>.corrections` in the export directory
    /// or in `exports/`, if present. Returns its text and path.
    public static func corrections(
        explicit: String?, survey: SurveyID, directory: URL
    ) throws(FieldworkError) -> (text: String, path: String)? {
        let candidates =
            explicit.map { [$0] } ?? [
                directory.appendingPathComponent("\(survey).corrections").path, "exports/\(survey).corrections",
            ]
        for path in candidates where explicit != nil || FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .io(path: path, message: "cannot read the corrections file")
            }
            return (String(decoding: data, as: UTF8.self), path)
        }
        return nil
    }
}
