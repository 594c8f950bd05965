import Fieldwork
import Foundation
import Hummingbird
import NIOCore
import SurveyStore
import SurveySync

/// `GET /v1/package`: the signed device's package (docs/package-format.md) — the whole picture
/// of its cases, their questionnaires and the review decisions on its interviews as of now —
/// made as `terep package create` makes it, signed with the coordinator's key and sealed to the
/// device's encryption key when one is registered, from either store (SQLite or PostgreSQL).
extension SyncServer {
    func addPackageRoute(to router: Router<ServerRequestContext>) {
        router.get("/v1/package") { request, _ in
            try await package(request)
        }
    }

    private func package(_ request: Request) async throws -> Response {
        let headers = request.headers
        let method = request.method.rawValue
        let path = request.uri.path
        let empty = RequestSignature.digest(Data())
        let file = spool.directory + "/package-" + UUID().uuidString
        defer { unlink(file) }
        do {
            return try await blocking {
                let device: RegisteredDevice
                do {
                    device = try authenticator.authenticate(
                        method: method, path: path, bodySHA256: empty, header: Self.header(in: headers),
                        nowMillis: DeviceStore.currentMilliseconds())
                } catch let failure as AuthenticationFailure {
                    metrics.rejection(failure.kind.rawValue)
                    return Self.refusal(Self.status(of: failure.kind), failure.reason)
                }
                do {
                    _ = try Packages.create(central: central, device: device.id, to: file, at: DeviceStore.currentMilliseconds())
                } catch let error as FieldworkError {
                    if case .store(let store) = error { throw store }
                    metrics.rejection("package")
                    return Self.refusal(.conflict, error.description)
                }
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                metrics.package()
                return Response(
                    status: .ok, headers: [.contentType: "application/vnd.terep.package"],
                    body: .init(byteBuffer: ByteBuffer(data: data)))
            }
        } catch let error as StoreError {
            return Self.unavailable("the central dataset cannot make the package now: \(error)")
        }
    }
}
