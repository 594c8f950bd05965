import ArgumentParser
import Foundation
import SurveyCompiler
import SurveyDiagnostics

extension Terep {
    /// `terep compile FILE -o OUT`: writes the compiled definition as canonical JSON.
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile a questionnaire into its versioned, hashed JSON definition.")

        @Argument(help: "The main .survey file.")
        var file: String

        @Option(name: .shortAndLong, help: "Where to write the compiled survey (JSON).")
        var output: String

        @Flag(help: "Indent the JSON for reading and diffing (the same content, 2.5 to 3.5 times the size).")
        var pretty = false

        /// The last compile's result, kept until the process ends: freeing a large definition
        /// (tens of milliseconds at 10,000 questions) just before exiting is work for nothing.
        nonisolated(unsafe) static var keptUntilExit: CompileResult?

        func run() throws {
            let root: SourceFile
            do {
                root = try FileSystemLoader().load(file)
            } catch {
                throw CommandFailure("cannot read '\(file)': \(error)", status: ExitStatus.noInput)
            }
            let result = compile(root, loader: FileSystemLoader())
            let renderer = DiagnosticRenderer.forTerminal(fileDescriptor: STDERR_FILENO)
            Console.errorText(renderer.render(result.diagnostics))
            guard let compiled = result.compiled else {
                Console.error("\(file): \(DiagnosticRenderer.summary(result.diagnostics)); nothing written")
                throw CommandFailure(nil, status: ExitStatus.failure)
            }
            let data = try pretty ? compiled.prettyFileData() : result.fileData() ?? compiled.fileData()
            Self.keptUntilExit = result
            // Atomic: write a temporary file next to the output, then rename it over.
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            print("\(output): \(compiled.definition.id) \(compiled.definition.version), hash \(compiled.hash.short)")
        }
    }
}
