import Foundation

/// Runs the independent readers the export tests check files with — PSPP, R with haven, and
/// Python with pyreadstat and pandas — through the scripts in `Tests/Readers/`. A missing reader
/// is a failure that says how to install it (`.ci/run` installs them all), never a skip.
public enum Readers {
    /// `Tests/Readers/` in the package.
    public static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Readers")

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The install command for each program the readers need.
    static let install = [
        "pspp": "apt-get install pspp", "Rscript": "apt-get install r-base-core r-cran-haven",
        "python3": "apt-get install python3 && pip install pyreadstat pandas", "xmllint": "apt-get install libxml2-utils",
    ]

    /// Runs `program arguments…` in `directory`; returns its standard output, or throws with
    /// everything it printed when it fails (with the install command when it is missing).
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let missing =
                process.terminationStatus == 127 ? " (\(program) is not installed: \(install[program] ?? program); .ci/run does)" : ""
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed\(missing):\n\(output)\(errors)")
        }
        return output
    }

    /// A script of `Tests/Readers/`.
    public static func script(_ name: String) -> String { scripts.appendingPathComponent(name).path }
}
