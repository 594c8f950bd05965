import Fieldwork
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOPosix
import SurveyStore
import SurveySync

/// `terep server`: devices upload signed bundles over HTTP(S), merged into the central dataset
/// exactly as `terep merge` merges files; the coordinator and monitoring read `/status`,
/// `/healthz` and `/metrics` (docs/server.md).
public struct SyncServer: Sendable {
    public let configuration: ServerConfiguration
    let central: any CentralDataset
    let coordinatorKey: CoordinatorPrivateKey?
    let authenticator: RequestAuthenticator
    let metrics = ServerMetrics()
    let gate: UploadGate
    let spool: UploadSpool
    let refresher: CacheRefresher
    /// Writes the uploads' bundles in groups, one transaction each (group commit).
    let writer: GroupWriter<PreparedBundle, MergeOutcome?>
    /// Threads of the server's own beside NIO's shared pool (``blocking(_:)``, the uploads'
    /// checks and decoding and the coordinator's reads): the upload spool's file work, one for
    /// the group writer and one for the cache refresher, so that a refresh never holds a thread
    /// a merge is waiting for.
    let threads: ServerThreads

    /// A server over an opened central dataset (see ``BundleMerger/open(centralPath:trustNewDevices:note:passphrase:)``
    /// for the dataset and its unlocked coordinator key).
    public init(
        configuration: ServerConfiguration, central: any CentralDataset, coordinatorKey: CoordinatorPrivateKey?,
        coordinatorVerifyingKey: CoordinatorVerifyingKey? = nil
    ) throws {
        self.configuration = configuration
        self.central = central
        self.coordinatorKey = coordinatorKey
        authenticator = RequestAuthenticator(
            central: central, maxSkewMillis: configuration.maxClockSkewMillis, coordinatorKey: coordinatorVerifyingKey)
        let gate = UploadGate(maxUploads: configuration.maxUploads, maxMerges: configuration.maxMerges)
        self.gate = gate
        let threads = ServerThreads()
        do { spool = try UploadSpool.make(io: threads.spool) } catch {
            threads.stopNow()
            throw error
        }
        self.threads = threads
        writer = GroupWriter(places: Self.decodedPlaces, maxGroup: Self.maxGroup) { group in
            let written = try? await threads.writer.runIfActive {
                BundleMerger(central: central, coordinatorKey: coordinatorKey, trustNewDevices: false).write(group)
            }
            // Nil for each: the server is stopping and merged nothing of the group.
            return written ?? group.map { _ in nil }
        }
        refresher = CacheRefresher(
            quiet: { await gate.quiet() },
            work: {
                _ = try? await threads.refresher.runIfActive {
                    let merger = BundleMerger(central: central, coordinatorKey: coordinatorKey, trustNewDevices: false)
                    return merger.refreshCleanedRecords(after: MergeSummary(outcomes: [MergeOutcome(file: "uploads", status: .merged)]))
                }
            })
    }

    /// How many uploads may be held decoded at once (being decoded, or waiting to be written):
    /// with payloads decoded only up to ``BundleMerger/decodedFirstBytes``, memory stays bounded.
    static let decodedPlaces = 16
    /// The most bundles written in one transaction.
    static let maxGroup = 32

    /// Serves until SIGINT or SIGTERM. `onListening` is called once with the bound port (the
    /// one given, or the one the system chose for port 0).
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws {
        do {
            try await serve(logger: logger, onListening: onListening)
        } catch {
            await threads.stop()
            spool.remove()
            throw error
        }
        await threads.stop()
        spool.remove()
    }

    private func serve(logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws {
        if let problem = configuration.problem { throw ServerError(problem) }
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            server = try .tls(.http1(), tlsConfiguration: Self.tlsConfiguration(certificate: tls.certificate, key: tls.key))
        } else {
            server = .http1()
        }
        let app = Application(
            router: makeRouter(), server: server,
            configuration: .init(
                address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: "terep"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.runService()
    }

    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate)
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        } catch {
            throw ServerError("cannot read the TLS certificate \(certificate) or key \(key): \(error)")
        }
    }

    func makeRouter() -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: CountingMiddleware(metrics: metrics))
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/metrics") { _, context in
            guard configuration.publicMetrics || context.isLoopbackPeer else {
                return Self.refusal(.forbidden, "/metrics answers this machine only: start the server with --public-metrics")
            }
            return Response.text(metrics.text(), type: "text/plain; version=0.0.4; charset=utf-8")
        }
        addCoordinatorRoutes(to: router)
        addPackageRoute(to: router)
        router.post("/v1/bundles") { request, context in
            try await upload(request, context: context)
        }
        return router
    }

    /// `POST /v1/bundles`: one signed request per bundle. The body is spooled to a file (at
    /// most `maxBodyBytes`, hashed as it comes) before anything is checked, so a connection cut
    /// half-way merges nothing; then the signature is checked and the bundle merged from the
    /// file, at most `maxMerges` at a time. A bundle merged before is acknowledged again and
    /// changes nothing.
    func upload(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard await gate.enter() else {
            metrics.rejection("busy")
            return Self.unavailable(
                "the server is receiving \(configuration.maxUploads) uploads already; try again later", retryAfter: 1)
        }
        do {
            let response = try await receive(request)
            await gate.leave()
            return response
        } catch {
            await gate.leave()
            throw error
        }
    }

    private func receive(_ request: Request) async throws -> Response {
        let limit = configuration.maxBodyBytes
        let tooLarge = "the upload is larger than the server accepts (\(limit) bytes, --max-bundle-mb)"
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            metrics.rejection("too-large")
            return Self.refusal(.contentTooLarge, tooLarge)
        }
        let spooled: (path: String, sha256: String)
        do { spooled = try await spool.receive(request.body, maxBytes: limit) } catch UploadSpool.Failure.tooLarge {
            metrics.rejection("too-large")
            return Self.refusal(.contentTooLarge, tooLarge)
        } catch UploadSpool.Failure.io(let problem) {
            return Self.unavailable("the server cannot keep the upload: \(problem)")
        }
        let response: Response
        do { response = try await merge(spooled, of: request) } catch {
            await spool.discard(spooled.path)
            throw error
        }
        await spool.discard(spooled.path)
        return response
    }

    /// Checks the spooled upload's signature, then verifies and decodes the bundle from its file
    /// (at most `maxMerges` at a time), and hands it to the group writer, which writes it with
    /// every other upload ready by then in one transaction (``GroupWriter``).
    private func merge(_ spooled: (path: String, sha256: String), of request: Request) async throws -> Response {
        let headers = request.headers
        let method = request.method.rawValue
        let path = request.uri.path
        await writer.reserve()
        await gate.startMerge()
        let start = ContinuousClock.now
        let step: Result<UploadStep, AuthenticationFailure>
        do {
            step = try await blocking {
                let device: RegisteredDevice
                do {
                    device = try authenticator.authenticate(
                        method: method, path: path, bodySHA256: spooled.sha256, header: Self.header(in: headers),
                        nowMillis: DeviceStore.currentMilliseconds())
                } catch let failure as AuthenticationFailure { return .failure(failure) }
                let merger = BundleMerger(central: central, coordinatorKey: coordinatorKey, trustNewDevices: false)
                return .success(
                    merger.prepare(
                        uploadFile: spooled.path, bodySHA256: spooled.sha256,
                        name: "upload from \(device.id) (\(spooled.sha256.prefix(16)))", sentBy: device.id))
            }
            await gate.endMerge()
        } catch {
            await gate.endMerge()
            await writer.release()
            if let error = error as? StoreError {
                return Self.unavailable("the central dataset cannot take the upload now: \(error)")
            }
            throw error
        }
        let result: Result<(MergeOutcome, String?), AuthenticationFailure>
        switch step {
        case .failure(let failure): result = .failure(failure)
        case .success(.finished(let outcome, let bundle)): result = .success((outcome, bundle))
        case .success(.ready(let prepared)):
            guard let outcome = await writer.submit(prepared) else {
                await writer.release()
                return Self.unavailable("the server is stopping and did not merge the upload; try again later")
            }
            result = .success((outcome, prepared.id))
        }
        await writer.release()
        if case .success(let (outcome, _)) = result, outcome.status == .merged { await refresher.schedule() }
        switch result {
        case .failure(let failure):
            metrics.rejection(failure.kind.rawValue)
            return Self.refusal(Self.status(of: failure.kind), failure.reason)
        case .success(let (outcome, bundle)):
            let elapsed = ContinuousClock.now - start
            metrics.bundle(
                outcome.status.rawValue, newEvents: outcome.newEvents,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            if outcome.status == .notStored {
                // The central dataset failed, not the bundle: the device keeps it and sends it again.
                let cause = outcome.storeFailure.map { "\($0)" } ?? "the central dataset failed"
                return Self.unavailable(
                    "the server could not store the bundle, which was not refused: the device keeps it and sends it again "
                        + "later (the central dataset: \(cause))")
            }
            guard outcome.status != .rejected, let bundle else {
                metrics.rejection("bundle")
                return Self.refusal(.unprocessableContent, outcome.reason ?? "the bundle was refused")
            }
            return Self.json(String(decoding: UploadReceipt(bundle: bundle, outcome: outcome).json(), as: UTF8.self) + "\n")
        }
    }

    /// A request header's value by name, for the authenticator.
    static func header(in headers: HTTPFields) -> @Sendable (String) -> String? {
        { name in headers.first { $0.name.canonicalName == name.lowercased() }?.value }
    }

    static func status(of kind: AuthenticationFailure.Kind) -> HTTPResponse.Status {
        switch kind {
        case .unsigned: .badRequest
        case .unregistered, .forged, .clockSkew, .replayed: .unauthorized
        case .revoked, .notCoordinator: .forbidden
        }
    }

    /// A refusal: the status and one line of text saying why.
    static func refusal(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: reason + "\n")))
    }

    /// A 503 with `Retry-After` (seconds: 1 for a server busy with other uploads, 5 for a central
    /// dataset failing, which takes longer to come back): the request was fine and nothing of it
    /// was kept or refused; the device sends it again later. One line of text saying why.
    static func unavailable(_ reason: String, retryAfter seconds: Int = 5) -> Response {
        var response = refusal(.serviceUnavailable, reason)
        response.headers[.retryAfter] = "\(seconds)"
        return response
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs blocking store work (SQLite, replay) on NIO's thread pool, off the event loops and
    /// the concurrency pool: the merges, the coordinator's reads, the packages.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

/// The server's own threads for blocking work that must not wait behind the uploads' checks on
/// NIO's shared pool, nor hold one of its threads: the upload spool's file writes (two threads,
/// as uploads arrive side by side), the group writer (one: its writes take turns anyway) and the
/// cache refresher (one, likewise).
struct ServerThreads: Sendable {
    let spool = NIOThreadPool(numberOfThreads: 2)
    let writer = NIOThreadPool(numberOfThreads: 1)
    let refresher = NIOThreadPool(numberOfThreads: 1)

    init() {
        for pool in [spool, writer, refresher] { pool.start() }
    }

    /// Lets the jobs running finish; queued ones are cancelled (a refresh left for the next run,
    /// an upload not merged and answered as such).
    func stop() async {
        for pool in [spool, writer, refresher] { try? await pool.shutdownGracefully() }
    }

    /// Stops them from synchronous code (a server that could not be made).
    func stopNow() {
        for pool in [spool, writer, refresher] { try? pool.syncShutdownGracefully() }
    }
}

/// A reason the server cannot start or serve.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Counts every request by route and status for `/metrics`.
struct CountingMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", status: response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            metrics.request(route: context.endpointPath ?? "unmatched", status: error.status.code)
            throw error
        } catch {
            metrics.request(route: context.endpointPath ?? "unmatched", status: 500)
            throw error
        }
    }
}
