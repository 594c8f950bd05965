import Fieldwork
import Foundation
import Hummingbird
import NIOCore
import SurveyReport
import SurveyStore
import SurveySync

import enum SurveyModel.DisplayText
import enum SurveyModel.LocalClock
import struct SurveyModel.SurveyID

/// A request's context: Hummingbird's core, and the peer's address (`/metrics` answers only
/// loopback peers unless told otherwise).
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Whether the peer is this machine (127.0.0.0/8 or ::1).
    var isLoopbackPeer: Bool {
        switch remoteAddress {
        case .v4(let address)?: (UInt32(bigEndian: address.address.sin_addr.s_addr) >> 24) == 127
        case .v6?: remoteAddress?.ipAddress == "::1" || remoteAddress?.ipAddress?.hasPrefix("::ffff:127.") == true
        default: false
        }
    }
}

/// The coordinator's endpoints: `/status`, `/surveys/ID/report` (HTML) and
/// `/surveys/ID/report.json`, each only for a request signed with the coordinator's key
/// (``RequestAuthenticator/authenticateCoordinator(method:path:bodySHA256:header:nowMillis:)``).
extension SyncServer {
    func addCoordinatorRoutes(to router: Router<ServerRequestContext>) {
        router.get("/status") { request, _ in
            try await coordinator(request) {
                Self.json(CentralStatusReport(try central.status()).json() + "\n")
            }
        }
        router.get("/surveys/:survey/report") { request, context in
            let survey = try context.parameters.require("survey")
            return try await coordinator(request) {
                try report(survey) { Response.text(FieldworkReportHTML.render($0), type: "text/html; charset=utf-8") }
            }
        }
        router.get("/surveys/:survey/report.json") { request, context in
            let survey = try context.parameters.require("survey")
            return try await coordinator(request) {
                try report(survey) { Response.text(FieldworkReportJSON.render($0), type: "application/json") }
            }
        }
    }

    /// Checks the coordinator's signature, then runs `body` on the thread pool; a refusal is
    /// its status and one line.
    private func coordinator(_ request: Request, _ body: @escaping @Sendable () throws -> Response) async throws -> Response {
        let headers = request.headers
        let method = request.method.rawValue
        let path = request.uri.path
        let empty = RequestSignature.digest(Data())
        do {
            return try await blocking {
                do {
                    try authenticator.authenticateCoordinator(
                        method: method, path: path, bodySHA256: empty, header: Self.header(in: headers),
                        nowMillis: DeviceStore.currentMilliseconds())
                } catch let failure as AuthenticationFailure {
                    metrics.rejection(failure.kind.rawValue)
                    return Self.refusal(Self.status(of: failure.kind), failure.reason)
                }
                return try body()
            }
        } catch let error as StoreError {
            return Self.unavailable("the central dataset cannot be read now: \(error)")
        }
    }

    /// The fieldwork report of `survey` as of the server's clock, in the survey's first language.
    private func report(_ survey: String, render: (FieldworkReport) -> Response) throws -> Response {
        let moment = LocalClock.moment(at: DeviceStore.currentMilliseconds())
        let builder = FieldworkReportBuilder(central: central, survey: SurveyID(survey), today: moment.date, time: moment.time)
        do { return render(try builder.build()) } catch {
            if case .unknownSurvey = error { return Self.refusal(.notFound, error.description) }
            if case .store(let store) = error { throw store }
            return Self.refusal(.unprocessableContent, DisplayText.escaped(error.description))
        }
    }
}

extension Response {
    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
