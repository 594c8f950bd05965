import Foundation
import SurveyModel

/// The file formats of an export run.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv
    /// CSV for Hungarian Excel (BOM, `;`, decimal comma).
    case excel
    case sav
    case dta
    case jsonl

    /// The file name extension.
    public var fileExtension: String {
        switch self {
        case .csv: "csv"
        case .excel: "excel.csv"
        case .sav: "sav"
        case .dta: "dta"
        case .jsonl: "jsonl"
        }
    }
}

/// Writes one format of a whole export into a directory: one file per table (one JSON Lines
/// file for all), fed one interview at a time.
///
/// Files are written under temporary names (`.name.partial`) and renamed by ``finish()``, so
/// an interrupted export never leaves a file that looks complete.
public struct DirectoryExport {
    public let format: ExportFormat
    public let schema: ExportSchema
    private let builder: RowBuilder
    private var writers: [any ExportWriter] = []
    private var jsonl: JSONLinesWriter<FileSink>?
    private var renames: [(from: URL, to: URL)] = []
    /// Permissions of the files written (``PIIMode/fileMode``).
    private let fileMode: UInt16
    /// Rows written per table.
    public private(set) var rowCounts: [Int]
    /// Frequencies of every variable over the rows written, when asked for (for the codebook).
    public private(set) var frequencies: Frequencies?

    /// The files this export produces (final names).
    public var files: [URL] { renames.map(\.to) }

    public init(
        schema: ExportSchema, format: ExportFormat, directory: URL, countFrequencies: Bool = false, createdAt: Date? = nil,
        fileMode: UInt16 = 0o644
    ) throws(ExportError) {
        let stamp: Date
        if let createdAt { stamp = createdAt } else { stamp = try ExportCreationTime.resolve() }
        self.format = format
        self.fileMode = fileMode
        self.frequencies = countFrequencies ? Frequencies() : nil
        self.schema = schema
        self.builder = RowBuilder(schema: schema)
        self.rowCounts = Array(repeating: 0, count: schema.tables.count)
        if format == .jsonl {
            let sink = try open(directory, "\(schema.survey.rawValue).jsonl")
            jsonl = JSONLinesWriter(schema: schema, sink: sink)
            return
        }
        for table in schema.tables {
            let sink = try open(directory, "\(table.name).\(format.fileExtension)")
            switch format {
            case .csv: writers.append(try CSVWriter(table: table, specialCodes: schema.specialCodes, sink: sink))
            case .excel:
                writers.append(try CSVWriter(table: table, specialCodes: schema.specialCodes, dialect: .excel, sink: sink))
            case .sav: writers.append(try SavWriter(table: table, schema: schema, sink: sink, createdAt: stamp))
            case .dta: writers.append(try DtaWriter(table: table, schema: schema, sink: sink, createdAt: stamp))
            case .jsonl: break
            }
        }
    }

    private mutating func open(_ directory: URL, _ name: String) throws(ExportError) -> FileSink {
        let final = directory.appendingPathComponent(name)
        let partial = directory.appendingPathComponent(".\(name).partial")
        renames.append((partial, final))
        return try FileSink(path: partial.path, mode: fileMode)
    }

    /// Writes every row of one interview.
    public mutating func write(_ record: InterviewRecord) throws(ExportError) {
        if jsonl != nil {
            try jsonl?.write(record)
            rowCounts[0] += 1
            return
        }
        var writers = self.writers
        var counts = self.rowCounts
        var frequencies = self.frequencies
        let tables = schema.tables
        self.writers = []  // keep the writers uniquely referenced while they grow their buffers
        self.frequencies = nil
        defer {
            self.writers = writers
            self.rowCounts = counts
            self.frequencies = frequencies
        }
        try builder.rows(of: record) { (t, row) throws(ExportError) in
            try writers[t].write(row)
            counts[t] += 1
            frequencies?.add(row, of: tables[t])
        }
    }

    /// Finishes every file and moves it to its final name, replacing a file already there (the
    /// CLI refuses to start without `--force` when the final names exist).
    public mutating func finish() throws(ExportError) {
        try jsonl?.finish()
        for i in writers.indices { try writers[i].finish() }
        for (from, to) in renames {
            do {
                if FileManager.default.fileExists(atPath: to.path) { try FileManager.default.removeItem(at: to) }
                try FileManager.default.moveItem(at: from, to: to)
            } catch {
                throw .io(path: to.path, message: "could not move the finished file into place: \(error)")
            }
        }
    }
}
