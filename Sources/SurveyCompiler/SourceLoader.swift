import Foundation
import SurveyDiagnostics

/// Why a source file could not be loaded.
public enum SourceLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String, reason: String)

    public var description: String {
        switch self {
        case .notFound: "no such file"
        case .unreadable(_, let reason): reason
        }
    }
}

/// Reads the files a questionnaire includes. The compiler does no I/O of its own.
public protocol SourceLoader: Sendable {
    /// Loads the file at a normalised path.
    func load(_ path: String) throws(SourceLoadError) -> SourceFile
}

extension SourceLoader {
    /// Resolves an include path relative to the directory of the including file.
    public func resolve(_ path: String, from including: SourceFile) -> String {
        if path.hasPrefix("/") { return SourcePaths.normalize(path) }
        let dir = SourcePaths.directory(of: including.path)
        return SourcePaths.normalize(dir.isEmpty ? path : dir + "/" + path)
    }
}

/// Path helpers shared by the loaders (no Foundation path semantics, so tests are portable).
public enum SourcePaths {
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return path == "/" ? "/" : String(path[..<slash])
    }

    /// Removes `.` and resolves `..` components.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }
}

/// Loads files from the file system.
public struct FileSystemLoader: SourceLoader {
    public init() {}

    public func load(_ path: String) throws(SourceLoadError) -> SourceFile {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
        if isDirectory.boolValue { throw .unreadable(path, reason: "it is a directory") }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return SourceFile(path: path, bytes: Array(data))
        } catch {
            throw .unreadable(path, reason: "\(error.localizedDescription)")
        }
    }

    /// Reads a main file.
    public func loadRoot(_ path: String) throws(SourceLoadError) -> SourceFile {
        try load(path)
    }
}

/// Serves files from memory, for tests and tools.
public struct InMemoryLoader: SourceLoader {
    public var files: [String: String]

    public init(_ files: [String: String] = [:]) { self.files = files }

    public func load(_ path: String) throws(SourceLoadError) -> SourceFile {
        guard let text = files[SourcePaths.normalize(path)] ?? files[path] else { throw .notFound(path) }
        return SourceFile(path: path, text: text)
    }

    /// The main file, looked up like an include.
    public func root(_ path: String) throws(SourceLoadError) -> SourceFile { try load(path) }
}
