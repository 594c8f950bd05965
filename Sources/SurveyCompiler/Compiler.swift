import Crypto
import Foundation
import SurveyDiagnostics
import SurveyModel

/// What compiling a questionnaire gives: the compiled survey (only when there are no errors)
/// and every diagnostic found, in display order.
public struct CompileResult: Sendable {
    public var compiled: CompiledSurvey?
    public var diagnostics: [Diagnostic]
    /// The definition's canonical JSON, the bytes its hash was taken over.
    var canonicalDefinition: Data?

    public init(compiled: CompiledSurvey?, diagnostics: [Diagnostic]) {
        self.compiled = compiled
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.hasErrors }

    /// The compiled file's bytes (``CompiledSurvey/fileData()``), written around the canonical
    /// bytes the compiler has already hashed instead of encoding the definition a second time;
    /// nil when there is no compiled survey.
    public func fileData() throws -> Data? {
        guard let compiled else { return nil }
        if let canonicalDefinition { return compiled.fileData(canonicalDefinition: canonicalDefinition) }
        return try compiled.fileData()
    }
}

/// Compiles a main questionnaire file and the modules it includes.
///
/// Never throws and never crashes on bad input: every problem becomes a diagnostic, and all
/// diagnostics of all files are reported in one run.
public func compile(_ root: SourceFile, loader: any SourceLoader) -> CompileResult {
    var state = IncludeState()
    state.included[SourcePaths.normalize(root.path)] = nil as SourceRange?
    state.rootPath = SourcePaths.normalize(root.path)
    var (unit, diagnostics) = Parser.parse(root)
    unit.decls = state.expand(unit.decls, from: root, loader: loader)
    diagnostics += state.diagnostics
    var analyzer = Analyzer()
    let definition = analyzer.run(unit)
    diagnostics += analyzer.diagnostics
    diagnostics = diagnostics.sortedForDisplay()
    guard !diagnostics.hasErrors, let definition else { return CompileResult(compiled: nil, diagnostics: diagnostics) }
    do {
        let bytes = try definition.canonicalJSON()
        var result = CompileResult(
            compiled: CompiledSurvey(definition: definition, hash: SurveyHasher.hash(canonicalJSON: bytes)), diagnostics: diagnostics)
        result.canonicalDefinition = bytes
        return result
    } catch {
        let d = Diagnostic(
            "E0901", .error, "internal error: the definition could not be encoded (\(error))",
            at: SourceRange(file: root, start: 0, end: 0))
        return CompileResult(compiled: nil, diagnostics: diagnostics + [d])
    }
}

/// Computes the content hash of a definition.
public enum SurveyHasher {
    /// SHA-256 of ``SurveyDefinition/canonicalJSON()``, lower-case hex.
    public static func hash(_ definition: SurveyDefinition) throws -> DefinitionHash {
        hash(canonicalJSON: try definition.canonicalJSON())
    }

    /// SHA-256 of bytes that are a definition's ``SurveyDefinition/canonicalJSON()``.
    static func hash(canonicalJSON: Data) -> DefinitionHash {
        let digest = SHA256.hash(data: canonicalJSON)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return DefinitionHash(String(decoding: out, as: UTF8.self))
    }
}

/// Loads included files recursively, each at most once.
struct IncludeState {
    var rootPath = ""
    /// Normalised path → where it was first included (nil for the main file).
    var included: [String: SourceRange?] = [:]
    var diagnostics: [Diagnostic] = []

    mutating func expand(_ decls: [Decl], from file: SourceFile, loader: any SourceLoader) -> [Decl] {
        decls.map { decl in
            switch decl {
            case .include(var inc):
                inc.unit = load(inc, from: file, loader: loader)
                return .include(inc)
            case .section(var s):
                s.body = expand(s.body, from: file, loader: loader)
                return .section(s)
            case .roster(var r):
                r.body = expand(r.body, from: file, loader: loader)
                return .roster(r)
            default:
                return decl
            }
        }
    }

    private mutating func load(_ inc: IncludeDecl, from file: SourceFile, loader: any SourceLoader) -> SourceUnit? {
        let path = loader.resolve(inc.path, from: file)
        if let first = included[path] {
            diagnostics.append(Messages.includedTwice(inc.path, at: inc.range, first: first))
            return nil
        }
        included[path] = inc.range
        let source: SourceFile
        do {
            source = try loader.load(path)
        } catch {
            diagnostics.append(Messages.includeNotFound(inc.path, reason: error.description, at: inc.range))
            return nil
        }
        var (unit, parseDiagnostics) = Parser.parse(source)
        diagnostics += parseDiagnostics
        if let header = unit.header { diagnostics.append(Messages.headerInModule(header.range)) }
        unit.decls = expand(unit.decls, from: source, loader: loader)
        return unit
    }
}
