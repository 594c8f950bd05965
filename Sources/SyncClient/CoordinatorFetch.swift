import AsyncHTTPClient
import Fieldwork
import Foundation
import NIOCore
import NIOFoundationCompat
import SurveyStore
import SurveySync

import struct SurveyModel.DeviceID

/// The coordinator's reading of a server's coordinator endpoints (`/status`,
/// `/surveys/ID/report`, `/surveys/ID/report.json`): one GET signed with the coordinator's
/// signing key, which stays in the coordinator's central dataset. Not retried: the answer is
/// read once, whole (at most `maxBytes`).
public struct CoordinatorFetch: Sendable {
    public let options: SyncOptions
    public var maxBytes = 256 << 20

    public init(options: SyncOptions) { self.options = options }

    /// The body of the answer to `GET path`; a refusal is ``SyncError/refused(status:reason:)``,
    /// a network failure ``SyncError/unreachable(attempts:lastError:)``.
    public func get(_ path: String, key: CoordinatorSigningKey) async throws(SyncError) -> Data {
        guard path.hasPrefix("/") else { throw .invalidServer("the path to fetch must start with /, e.g. /status") }
        let endpoint = try options.endpoint(path)
        let signature: RequestSignature
        do {
            signature = try RequestSignature.sign(
                method: "GET", path: endpoint.path, body: Data(), device: DeviceID(RequestAuthenticator.coordinatorSigner), key: key,
                timestampMillis: DeviceStore.currentMilliseconds())
        } catch { throw .invalidServer("the request could not be signed: \(error)") }
        var request = HTTPClientRequest(url: endpoint.url)
        for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
        let client = options.makeClient()
        let result: Result<Data, SyncError>
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(options.timeout.nanoseconds)))
            let data = Data(buffer: try await response.body.collect(upTo: maxBytes))
            let status = Int(response.status.code)
            result =
                status == 200
                ? .success(data) : .failure(.refused(status: status, reason: DeviceSync.reason(data), request: "GET \(endpoint.path)"))
        } catch {
            result = .failure(.unreachable(attempts: 1, lastError: "\(error)"))
        }
        try? await client.shutdown()
        return try result.get()
    }
}
