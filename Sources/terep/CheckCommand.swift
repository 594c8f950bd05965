import ArgumentParser
import Foundation
import SurveyCompiler
import SurveyDiagnostics

import enum SurveyModel.DisplayText

/// How diagnostics are printed.
enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension Terep {
    /// `terep check FILE...`: compiles questionnaires and prints every diagnostic.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check questionnaire files and print their errors and warnings.")

        @Argument(help: "The main .survey files to check.")
        var files: [String]

        @Option(help: "Output format: text (for people) or json (for tools).")
        var format: DiagnosticFormat = .text

        func run() throws {
            var all: [Diagnostic] = []
            var unreadable = false
            for path in files {
                do {
                    let root = try FileSystemLoader().load(path)
                    all += compile(root, loader: FileSystemLoader()).diagnostics
                } catch {
                    Console.error("error: cannot read '\(DisplayText.escaped(path))': \(error)")
                    unreadable = true
                }
            }
            switch format {
            case .json: Console.output(DiagnosticJSON.encode(all))
            case .text:
                let renderer = DiagnosticRenderer.forTerminal(fileDescriptor: STDOUT_FILENO)
                print(renderer.render(all), terminator: "")
                print("\(files.count == 1 ? files[0] : "\(files.count) files"): \(DiagnosticRenderer.summary(all))")
            }
            if all.hasErrors || unreadable { throw CommandFailure(nil, status: ExitStatus.failure) }  // the diagnostics said why
        }
    }
}
