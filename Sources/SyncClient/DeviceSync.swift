import AsyncHTTPClient
import Fieldwork
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID
import enum SurveyModel.DisplayText

/// Why `terep sync` stopped. The device database is as it was unless a bundle was acknowledged.
public enum SyncError: Error, CustomStringConvertible, Sendable {
    /// The device's bundle could not be made (store, key).
    case bundle(BundleExportError)
    /// The server refused the request: its HTTP status and one-line reason, and what was asked
    /// (`the upload`, `GET /status`).
    case refused(status: Int, reason: String, request: String = "the upload")
    /// No attempt reached the server or got an answer it could finish (a network error, or a 5xx
    /// such as 503: the server or its central dataset could not take the request).
    case unreachable(attempts: Int, lastError: String)
    /// The server answered with something that is not a receipt for the bundle sent.
    case badReceipt(String)
    /// The package fetched could not be applied (it changed nothing).
    case package(FieldworkError)
    case invalidServer(String)

    public var description: String {
        switch self {
        case .bundle(let error): "\(error)"
        case .refused(let status, let reason, let request): "the server refused \(request) (HTTP \(status)): \(reason)"
        case .unreachable(let attempts, let last):
            "the server could not be reached, or could not take the request, after \(attempts) attempts (last: \(last)); "
                + "nothing was marked as sent, run terep sync again later"
        case .badReceipt(let detail): "the server's answer is not a receipt for this bundle (\(detail)); nothing was marked as sent"
        case .package(let error): "the package from the server was not applied: \(error)"
        case .invalidServer(let detail): detail
        }
    }
}

/// How `terep sync` talks to the server.
public struct SyncOptions: Sendable {
    /// The server's base URL (`https://host[:port][/prefix]`).
    public var server: String
    /// Attempts after the first on a network error or a 5xx, 408 or 429 answer.
    public var retries = 5
    /// The first pause between attempts; it doubles each time, up to ``maxDelay``, with up to
    /// a quarter added at random so devices that failed together do not retry together.
    public var initialDelay: Duration = .milliseconds(500)
    public var maxDelay: Duration = .seconds(30)
    /// One request's time limit, from connecting to the last byte of the answer.
    public var timeout: Duration = .seconds(300)
    /// How long one attempt may take to connect; a refused connection fails at once.
    public var connectTimeout: Duration = .seconds(10)
    /// A PEM file of the certificate authorities to trust for HTTPS instead of the system's
    /// (a server with its own certificate).
    public var caCertificates: String?
    /// The coordinator's public key to encrypt the bundle to, if any.
    public var recipient: CoordinatorPublicKey?

    public init(server: String) { self.server = server }

    /// An HTTP client for these options. Our own attempts are the retry policy (with the lines
    /// they print): the client fails an attempt whose connection cannot be made instead of
    /// retrying it until a deadline.
    func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanoseconds), read: .seconds(120))
        configuration.connectionPool.retryConnectionEstablishment = false
        if let caCertificates {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(caCertificates)
            configuration.tlsConfiguration = tls
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The URL and signed path of an endpoint under the server's base URL.
    func endpoint(_ path: String) throws(SyncError) -> (url: String, path: String) {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base + path), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil, url.query == nil
        else {
            throw .invalidServer("--server \(DisplayText.escaped(server)) is not an http:// or https:// URL without a query")
        }
        return (base + path, url.path)
    }
}

/// What one `terep sync` did.
public struct SyncResult: Equatable, Sendable {
    /// The server's receipt, or nil when there was nothing new to send.
    public var receipt: UploadReceipt?
    public var attempts = 0
    /// What the package fetched did, or nil when none was fetched (no coordinator key).
    public var package: PackageReceipt?
}

/// The device's side of sync: bundle what is new in memory, upload it in one signed request
/// (retrying with back-off), and move the device's mark only when the server's receipt names
/// the bundle sent; then fetch the device's package and apply it (docs/server.md).
public struct DeviceSync: Sendable {
    public let options: SyncOptions

    public init(options: SyncOptions) { self.options = options }

    /// Syncs the device, signing with its `key` (``BundleExport/signingKey(store:passphrase:)``);
    /// `say` gets one line per step.
    public func run(store: DeviceStore, key: DeviceSigningKey, say: @Sendable (String) -> Void) async throws(SyncError) -> SyncResult {
        let client = options.makeClient()
        let outcome: Result<SyncResult, SyncError>
        do { outcome = .success(try await run(store: store, key: key, client: client, say: say)) } catch { outcome = .failure(error) }
        try? await client.shutdown()
        return try outcome.get()
    }

    private func run(
        store: DeviceStore, key: DeviceSigningKey, client: HTTPClient, say: @Sendable (String) -> Void
    ) async throws(SyncError) -> SyncResult {
        let endpoint = try options.endpoint("/v1/bundles")
        var result = SyncResult()
        let prepared: BundleExport.Prepared?
        do {
            prepared = try BundleExport.prepare(store: store, key: key, recipient: options.recipient, all: false)
        } catch { throw .bundle(error) }
        if let prepared {
            let range = prepared.manifest.sequenceRange.map { "sequences \($0.first)-\($0.last)" } ?? "no events"
            say(
                "bundle: \(prepared.manifest.eventCount) events of \(prepared.manifest.interviewCount) "
                    + "\(prepared.manifest.interviewCount == 1 ? "interview" : "interviews"), \(range), "
                    + "\(prepared.data.count) bytes")
            let (receipt, attempts) = try await upload(
                prepared, to: endpoint, device: store.deviceID, key: key, client: client, say: say)
            do { try BundleExport.acknowledge(prepared, store: store) } catch { throw .bundle(error) }
            say(
                "upload: \(receipt.status) (bundle \(receipt.bundle.prefix(12))): \(receipt.newEvents) new events, "
                    + "\(receipt.duplicateEvents) already there; marked sent through sequence \(prepared.manifest.sequenceRange?.last ?? 0)"
            )
            result.receipt = receipt
            result.attempts = attempts
        } else {
            say("bundle: nothing new to send")
        }
        result.package = try await fetchPackage(store: store, key: key, client: client, say: say)
        return result
    }

    /// Sends the bundle until the server answers with a receipt or refuses it.
    func upload(
        _ bundle: BundleExport.Prepared, to endpoint: (url: String, path: String), device: DeviceID,
        key: DeviceSigningKey, client: HTTPClient, say: @Sendable (String) -> Void
    ) async throws(SyncError) -> (UploadReceipt, Int) {
        try await retrying("upload", request: "the upload", say: say) { () async throws(SyncError) -> Attempt<UploadReceipt> in
            let answer = await exchange(
                method: "POST", endpoint: endpoint, body: bundle.data, device: device, key: key, client: client, maxAnswer: 65_536)
            switch answer {
            case .done(let data):
                guard let receipt = UploadReceipt.decode(data) else { return .retry("HTTP 200 without a receipt") }
                guard receipt.bundle == bundle.id, receipt.acknowledged else {
                    throw .badReceipt("it names bundle \(DisplayText.escaped(receipt.bundle)) as \(DisplayText.escaped(receipt.status))")
                }
                return .done(receipt)
            case .refused(let status, let reason): return .refused(status, reason)
            case .retry(let reason, let after): return .retry(reason, after: after)
            }
        }
    }

    /// One attempt's outcome.
    enum Attempt<Value> {
        case done(Value)
        case refused(Int, String)
        /// Try again: why, and how long the server asked to wait (`Retry-After`), if it did.
        case retry(String, after: Duration? = nil)
    }

    /// Runs `attempt` until it is done or refused, at most `retries` + 1 times, with the back-off
    /// between attempts (at least the server's `Retry-After`, up to ``SyncOptions/maxDelay``) and
    /// a line for each failed one; also gives the number of attempts.
    func retrying<Value>(
        _ step: String, request: String, say: @Sendable (String) -> Void,
        _ attempt: () async throws(SyncError) -> Attempt<Value>
    ) async throws(SyncError) -> (Value, Int) {
        var lastError = ""
        var asked: Duration?
        let attempts = options.retries + 1
        for number in 1...attempts {
            if number > 1 {
                let delay = max(backOff(attempt: number - 1), min(asked ?? .zero, options.maxDelay))
                say("\(step): attempt \(number - 1) failed (\(lastError)); retrying in \(Self.seconds(delay)) s")
                try? await Task.sleep(for: delay)
            }
            switch try await attempt() {
            case .done(let value): return (value, number)
            case .refused(let status, let reason): throw .refused(status: status, reason: reason, request: request)
            case .retry(let reason, let after): (lastError, asked) = (reason, after)
            }
        }
        throw .unreachable(attempts: attempts, lastError: lastError)
    }

    /// One signed request: a fresh timestamp and nonce each time. The answer's body when it is
    /// 200 (at most `maxAnswer` bytes); a refusal (4xx but 408 and 429, and 501: the server
    /// cannot do this at all); otherwise retry.
    func exchange(
        method: String, endpoint: (url: String, path: String), body: Data, device: DeviceID, key: DeviceSigningKey,
        client: HTTPClient, maxAnswer: Int
    ) async -> Attempt<Data> {
        let signature: RequestSignature
        do {
            signature = try RequestSignature.sign(
                method: method, path: endpoint.path, body: body, device: device, key: key,
                timestampMillis: DeviceStore.currentMilliseconds())
        } catch { return .refused(0, "the request could not be signed: \(error)") }
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = HTTPMethod(rawValue: method)
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/vnd.terep.bundle")
            request.body = .bytes(ByteBuffer(data: body))
        }
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(options.timeout.nanoseconds)))
            let data = Data(buffer: try await response.body.collect(upTo: maxAnswer))
            let status = Int(response.status.code)
            if status == 200 { return .done(data) }
            let reason = Self.reason(data)
            if (status >= 500 && status != 501) || status == 408 || status == 429 {
                // A 503 is never a refusal: the server (or its central dataset) could not take the
                // request now, and nothing of it was kept.
                let after = response.headers.first(name: "Retry-After").flatMap { Int($0) }.map { Duration.seconds(min(max($0, 0), 3600)) }
                return .retry("HTTP \(status): \(reason)", after: after)
            }
            return .refused(status, reason)
        } catch {
            return .retry(DisplayText.escaped("\(error)"))
        }
    }

    func backOff(attempt: Int) -> Duration {
        let doubled = options.initialDelay * (1 << min(attempt - 1, 20))
        let capped = min(doubled, options.maxDelay)
        return capped + capped * Double.random(in: 0...0.25)
    }

    /// The first line of a refusal's text, escaped.
    static func reason(_ data: Data) -> String {
        let text = String(decoding: data.prefix(2048), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.isEmpty ? "no reason given" : DisplayText.escaped(line)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
