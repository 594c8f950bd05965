import Foundation
import InterviewEngine
import SurveyExport

/// The streaming writers of one export run: one ``DirectoryExport`` per format, the paradata
/// and comments beside the CSV, and the counts the codebook and DDI need.
struct ExportWriters {
    private var exports: [DirectoryExport] = []
    private var paradata: ParadataExport?
    private var counted = Frequencies()
    private let builder: RowBuilder?
    private let schema: ExportSchema

    init(
        schema: ExportSchema, request: ExportRequest, directory: URL, fileMode: UInt16, createdAt: Date
    ) throws(FieldworkError) {
        self.schema = schema
        let counts = request.codebook || request.ddi
        let formats = request.writtenFormats
        builder = counts && formats.isEmpty ? RowBuilder(schema: schema) : nil
        do {
            for (i, format) in formats.enumerated() {
                exports.append(
                    try DirectoryExport(
                        schema: schema, format: format, directory: directory, countFrequencies: counts && i == 0,
                        createdAt: createdAt, fileMode: fileMode))
            }
            if let csv = formats.first(where: { $0 == .csv || $0 == .excel }) {
                paradata = try ParadataExport(
                    schema: schema, directory: directory, dialect: csv == .excel ? .excel : .rfc4180, sessionGap: ActiveTime.sessionGap,
                    comments: request.commentTexts, fileMode: fileMode)
            }
        } catch { throw .export(error) }
    }

    mutating func write(_ record: SurveyExport.InterviewRecord) throws(FieldworkError) {
        do throws(ExportError) {
            for i in exports.indices { try exports[i].write(record) }
            try paradata?.write(record)
            try builder?.rows(of: record) { (t, row) throws(ExportError) in counted.add(row, of: schema.tables[t]) }
        } catch { throw .export(error) }
    }

    /// Finishes every file; returns them all (in their working directory).
    mutating func finish() throws(FieldworkError) -> [URL] {
        do {
            for i in exports.indices { try exports[i].finish() }
            try paradata?.finish()
        } catch { throw .export(error) }
        return exports.flatMap(\.files) + (paradata?.files ?? [])
    }

    /// Frequencies of every variable over the rows written (for the codebook and DDI).
    var frequencies: Frequencies { exports.first?.frequencies ?? counted }

    /// Rows written per table (nil without a tabular format).
    var rowCounts: [Int]? { exports.first?.rowCounts }

    /// Rows written to the paradata, durations and comments files.
    var paradataRows: [Int]? { paradata?.rowCounts }

    /// Notes and reasons not written to the comments file (nil without a CSV).
    var commentsLeftOut: Int? { paradata?.commentsLeftOut }
}
