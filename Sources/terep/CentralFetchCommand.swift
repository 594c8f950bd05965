import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import SyncClient

import enum SurveyModel.DisplayText
import typealias SurveySync.CoordinatorSigningKey

/// `terep central fetch`: the coordinator reads a server's coordinator endpoints.
struct CentralFetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Read /status or a survey's live report from a terep server, signed with the coordinator's key.",
        discussion: """
            GET PATH from the server, signed with the coordinator's signing key from the central dataset \
            given (the one terep central init made; the key never leaves it): /status (terep central \
            status as JSON), /surveys/ID/report (the HTML report) or /surveys/ID/report.json. The server \
            refuses a request not signed with that key (401), and one a device signed (403). Writes the \
            answer to standard output, or to -o FILE. Exit status: 0 fetched, 1 refused, 75 the server \
            could not be reached. See docs/server.md.
            """)

    @OptionGroup var options: CentralDatasetOptions

    @Option(help: ArgumentHelp("The server's URL (https://host:port, or http:// on loopback).", valueName: "url"))
    var server: String

    @Argument(help: ArgumentHelp("The path to read: /status, /surveys/ID/report or /surveys/ID/report.json.", valueName: "path"))
    var path: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the answer to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(
        name: .customLong("ca-cert"),
        help: ArgumentHelp("PEM file of the authorities to trust for HTTPS instead of the system's.", valueName: "file"))
    var caCert: String?

    @Option(help: ArgumentHelp("Seconds the request may take (1-3600).", valueName: "seconds"))
    var timeout = 300

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds") }
        guard path.hasPrefix("/") else { throw ValidationError("the path must start with /, e.g. /status") }
    }

    func run() throws {
        var sync = SyncOptions(server: server)
        sync.timeout = .seconds(timeout)
        sync.caCertificates = caCert
        let central = try options.open(readOnly: true)
        guard let pair = try central.signingKey() else {
            throw CommandFailure(
                "the central dataset has no coordinator signing key: run terep central init on it once to make one",
                status: ExitStatus.failure)
        }
        let key = try CoordinatorSigningKey(rawRepresentation: pair.privateKey)
        let fetch = CoordinatorFetch(options: sync)
        let path = self.path
        let data = try AsyncBridge.run { try await fetch.get(path, key: key) }
        if let output {
            do { try data.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw FieldworkError.io(path: output, message: "cannot write the answer: \(error.localizedDescription)")
            }
            Console.error("wrote \(data.count) bytes to \(DisplayText.escaped(output))")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
