import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import SyncClient

import enum SurveyModel.DisplayText
import struct SurveySync.DeviceSigningKey

/// `terep sync`: the device sends what is new to `terep server`.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Send this device's new events to a terep server and fetch its package, in one step.",
        discussion: """
            Bundles the events not yet sent (as terep bundle create would), uploads the bundle in one \
            request signed with the device's key, and marks the events as sent only when the server's \
            receipt names that bundle: when the server refuses, or cannot be reached, the device \
            database is exactly as it was and the next sync sends the same events again (merging is \
            idempotent). One line per step on standard output. Network errors and HTTP 5xx, 408 and \
            429 answers are retried --retries times with a doubling pause (0.5 s, 1 s, 2 s, … up to \
            30 s, with jitter; at least the server's Retry-After). A 503 is never a refusal: the \
            server, or its central dataset (a full disk, say), could not take the bundle now, and it \
            stays to be sent. Exit status: 0 sent (or nothing new), 1 refused by the server or a \
            local error, 75 the server could not be reached or take the bundle (try again later). Then it fetches this \
            device's package (its cases, their questionnaires, review decisions) and applies it as \
            terep device receive does, when the device has the coordinator's key to check it with \
            (terep device init --coordinator-key); otherwise it says so and skips it, as it does when \
            the server cannot make packages (over a PostgreSQL central dataset, for now). A package \
            that does not verify changes nothing on the device and is exit status 1 (docs/server.md).
            """)

    @OptionGroup var database: DeviceDatabaseOptions

    @Option(help: ArgumentHelp("The server's URL (https://host:port, or http:// on loopback).", valueName: "url"))
    var server: String

    @Option(
        help: ArgumentHelp("The coordinator's public key (x25519:…), or a file holding it, to encrypt the bundle to.", valueName: "key"))
    var to: String?

    @Option(
        name: .customLong("ca-cert"),
        help: ArgumentHelp(
            "PEM file of the authorities to trust for HTTPS instead of the system's (a server with its own certificate).", valueName: "file"
        ))
    var caCert: String?

    @Option(help: ArgumentHelp("Attempts after the first on a network error (0-20).", valueName: "n"))
    var retries = 5

    @Option(help: ArgumentHelp("Seconds one request may take (1-3600).", valueName: "seconds"))
    var timeout = 300

    @Option(
        name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds one attempt may take to connect (1-300).", valueName: "seconds"))
    var connectTimeout = 10

    func validate() throws {
        guard (1...300).contains(connectTimeout) else { throw ValidationError("--connect-timeout must be 1 to 300 seconds") }
        guard (0...20).contains(retries) else { throw ValidationError("--retries must be 0 to 20") }
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds") }
    }

    func run() throws {
        var options = SyncOptions(server: server)
        options.recipient = try to.map(BundleCreate.loadCoordinatorPublicKey)
        options.retries = retries
        options.timeout = .seconds(timeout)
        options.connectTimeout = .seconds(connectTimeout)
        options.caCertificates = caCert
        let store = try DeviceStore.open(path: database.path, readOnly: false)
        let key = try BundleExport.signingKey(store: store, passphrase: KeyPassphrase.source())
        let sync = DeviceSync(options: options)
        _ = try AsyncBridge.run { try await sync.run(store: store, key: key) { Console.line($0) } }
    }
}
