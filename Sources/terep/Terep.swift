import ArgumentParser

/// The `terep` command: each subcommand only wires the libraries together.
@main
struct Terep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terep",
        abstract: "Field survey toolkit: questionnaires, offline interviews, sync and exports.",
        version: "0.1.0",
        subcommands: [
            // One subcommand per file in this folder; keep this list sorted by workflow.
            Check.self, Compile.self,
            DeviceCommand.self,
            InterviewCommand.self, CasesCommand.self,
            SimulateCommand.self,
            BundleCommand.self, SyncCommand.self,
            CentralCommand.self, SampleCommand.self, AssignCommand.self, PackageCommand.self, Merge.self, ReviewCommand.self,
            ServerCommand.self,
            ExportCommand.self, ReportCommand.self,
        ])

    /// Runs the command; output failures never crash and keep the exit status meaningful
    /// (``Console``).
    static func main() {
        Console.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // The one place a failure becomes its message and exit status (``FailureEdge``).
            if let status = FailureEdge.report(error) { exit(withError: ExitCode(status)) }
            exit(withError: error)
        }
        if let code = Console.finishOutput() { exit(withError: ExitCode(code)) }
        exit()
    }
}
