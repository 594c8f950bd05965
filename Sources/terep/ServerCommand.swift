import ArgumentParser
import Fieldwork
import Foundation
import Logging
import SurveyStore
import SyncServer

import enum SurveyModel.DisplayText
import struct SurveySync.CoordinatorVerifyingKey

/// `terep server`: devices sync over HTTP(S) into the central dataset.
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Serve the central dataset to devices over HTTP(S): signed bundle uploads, status, health and metrics.",
        discussion: """
            Devices run terep sync --server URL: each bundle is one POST /v1/bundles, signed with the \
            device's Ed25519 key (method, path, SHA-256 of the body, timestamp, nonce). The server checks \
            it against the key registered with terep central add-device and refuses an unregistered \
            device (401), a forged or replayed request or one whose clock is more than \
            --max-clock-skew seconds off (401), and a revoked device (403), each with a one-line reason. \
            A bundle is merged as terep merge merges a file, all or nothing; one it already has is \
            acknowledged and changes nothing. An upload is written to a file as it arrives (413 above \
            --max-bundle-mb); at most --max-uploads are taken at once (503 beyond, the device retries), \
            --max-merges verified and decoded at a time, and the bundles ready meanwhile are written \
            together in one transaction (group commit; a bad one is refused alone). Nonces are kept in the central dataset, so a replay to a \
            restarted server is refused too. The coordinator's endpoints, signed with the coordinator's \
            key (terep central fetch): GET /status (terep central status as JSON), GET \
            /surveys/ID/report (HTML) and /surveys/ID/report.json. GET /healthz for anyone; GET /metrics \
            (Prometheus text) for this machine only unless --public-metrics. Plain HTTP is refused on an address other \
            machines can reach unless --insecure-http is given: use --tls-cert/--tls-key, or listen on \
            127.0.0.1 behind a TLS reverse proxy (docs/server.md). Stop it with Ctrl-C or SIGTERM; \
            a merge in progress finishes or rolls back, never half.
            """)

    @OptionGroup var options: CentralDatasetOptions

    @Option(help: ArgumentHelp("Address and port to listen on (HOST:PORT, [IPv6]:PORT; port 0 picks a free one).", valueName: "host:port"))
    var listen = "127.0.0.1:8443"

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain for HTTPS.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key for HTTPS.", valueName: "file"))
    var tlsKey: String?

    @Flag(
        name: .customLong("insecure-http"),
        help: "Allow plain HTTP on a non-loopback address (only behind a TLS proxy or on a private network).")
    var insecureHTTP = false

    @Option(
        name: .customLong("max-clock-skew"),
        help: ArgumentHelp("Seconds a request's timestamp may differ from the server's clock (10-3600).", valueName: "seconds"))
    var maxClockSkew = 300

    @Option(name: .customLong("max-bundle-mb"), help: ArgumentHelp("The largest upload accepted, in MiB (1-1024).", valueName: "MiB"))
    var maxBundleMB = 128

    @Option(
        name: .customLong("max-uploads"),
        help: ArgumentHelp("Uploads received or waiting at once; one more is answered 503 and retried later (1-10000).", valueName: "n"))
    var maxUploads = 64

    @Option(
        name: .customLong("max-merges"),
        help: ArgumentHelp("Uploads verified and decoded at the same time; the others wait their turn (1-64).", valueName: "n"))
    var maxMerges = 2

    @Flag(
        name: .customLong("public-metrics"),
        help: "Answer GET /metrics to every address, not only to loopback (a Prometheus on another machine).")
    var publicMetrics = false

    func validate() throws {
        guard ListenAddress(listen) != nil else { throw ValidationError("--listen \(listen): expected HOST:PORT, e.g. 127.0.0.1:8443") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give --tls-cert and --tls-key together") }
        guard (10...3600).contains(maxClockSkew) else { throw ValidationError("--max-clock-skew must be 10 to 3600 seconds") }
        guard (1...1024).contains(maxBundleMB) else { throw ValidationError("--max-bundle-mb must be 1 to 1024") }
        guard (1...10_000).contains(maxUploads) else { throw ValidationError("--max-uploads must be 1 to 10000") }
        guard (1...64).contains(maxMerges), maxMerges <= maxUploads else {
            throw ValidationError("--max-merges must be 1 to 64, and not more than --max-uploads")
        }
    }

    func run() throws {
        guard let address = ListenAddress(listen) else { throw CommandFailure(nil, status: ExitStatus.usage) }  // validate() said why
        var configuration = ServerConfiguration(listen: address)
        if let tlsCert, let tlsKey { configuration.tls = (tlsCert, tlsKey) }
        configuration.insecureHTTP = insecureHTTP
        configuration.maxClockSkewMillis = Int64(maxClockSkew) * 1000
        configuration.maxBodyBytes = maxBundleMB << 20
        configuration.maxUploads = maxUploads
        configuration.maxMerges = maxMerges
        configuration.publicMetrics = publicMetrics
        if let problem = configuration.problem { throw CommandFailure(problem, status: ExitStatus.failure) }
        let merger = try BundleMerger.open(central: try options.open(), trustNewDevices: false, passphrase: KeyPassphrase.source())
        let server = try SyncServer(
            configuration: configuration, central: merger.central, coordinatorKey: merger.coordinatorKey,
            coordinatorVerifyingKey: try CentralAdmin.signingKey(of: merger.central).key.publicKey)
        let logger = {
            var logger = Logger(label: "terep.server")
            logger.logLevel = .warning
            return logger
        }()
        let scheme = configuration.tls == nil ? "http" : "https"
        let shown = DisplayText.escaped(merger.central.location)
        try AsyncBridge.run {
            try await server.run(logger: logger) { port in
                var bound = address
                bound.port = port
                Console.error("terep server: listening on \(scheme)://\(bound) (central \(shown))")
            }
        }
    }
}
