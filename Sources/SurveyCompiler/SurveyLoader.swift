import Foundation
import SurveyDiagnostics
import SurveyModel

/// Why a survey could not be loaded by ``SurveyLoader``.
public enum SurveyLoadError: Error, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// The source has errors; the diagnostics say which.
    case compileFailed(path: String, diagnostics: [Diagnostic])
    case notACompiledSurvey(path: String, reason: String)
    case unsupportedFormat(path: String, found: Int, supported: ClosedRange<Int>)
    /// The file's definition does not hash to the hash it carries: it was edited or damaged.
    case hashMismatch(path: String, recorded: String, actual: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): "cannot read '\(p)': \(r)"
        case .compileFailed(let p, let d):
            "'\(p)' has \(DiagnosticRenderer.summary(d)); run 'terep check \(p)' to see them"
        case .notACompiledSurvey(let p, let r):
            "'\(p)' is neither a .survey source nor a compiled survey (\(r))"
        case .unsupportedFormat(let p, let found, let supported):
            "'\(p)' uses compiled format \(found), but this terep reads formats \(supported.lowerBound) to \(supported.upperBound); recompile it with 'terep compile'"
        case .hashMismatch(let p, let recorded, let actual):
            "'\(p)' was modified after compiling: its hash says \(recorded.prefix(12)) but the content hashes to \(actual.prefix(12)); recompile it from its source"
        }
    }
}

/// Loads a survey for the other commands: a `.survey` source (compiled on the fly) or a
/// compiled JSON file (decoded, with its format version and hash verified).
public enum SurveyLoader {
    public static func load(path: String) throws(SurveyLoadError) -> CompiledSurvey {
        let loader = FileSystemLoader()
        let file: SourceFile
        do {
            file = try loader.load(path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        let firstByte = file.bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if path.hasSuffix(".json") || (!path.hasSuffix(".survey") && firstByte == UInt8(ascii: "{")) {
            return try decode(Data(file.bytes), path: path)
        }
        let result = compile(file, loader: loader)
        guard let compiled = result.compiled else { throw .compileFailed(path: path, diagnostics: result.diagnostics) }
        return compiled
    }

    /// Decodes a compiled survey file and verifies its format version and hash.
    public static func decode(_ data: Data, path: String = "<data>") throws(SurveyLoadError) -> CompiledSurvey {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .notACompiledSurvey(path: path, reason: "it is not a JSON object")
        }
        guard object["terep"] as? String == CompiledSurvey.marker, let definition = object["definition"] as? [String: Any] else {
            throw .notACompiledSurvey(path: path, reason: "it has no \"terep\": \"\(CompiledSurvey.marker)\" marker")
        }
        let format = definition["format"] as? Int ?? -1
        guard SurveyDefinition.supportedFormats.contains(format) else {
            throw .unsupportedFormat(path: path, found: format, supported: SurveyDefinition.supportedFormats)
        }
        let compiled: CompiledSurvey
        do {
            compiled = try JSONDecoder().decode(CompiledSurvey.self, from: data)
        } catch {
            throw .notACompiledSurvey(path: path, reason: "\(error)")
        }
        let actual: DefinitionHash
        do {
            actual = try SurveyHasher.hash(compiled.definition)
        } catch {
            throw .notACompiledSurvey(path: path, reason: "\(error)")
        }
        guard actual == compiled.hash else {
            throw .hashMismatch(path: path, recorded: compiled.hash.rawValue, actual: actual.rawValue)
        }
        return compiled
    }
}
