import AsyncHTTPClient
import Fieldwork
import Foundation
import SurveyStore
import SurveySync

extension DeviceSync {
    /// The largest package accepted from the server.
    static let maxPackageBytes = 256 << 20

    /// Fetches the device's package (`GET /v1/package`, signed) and applies it as `terep device
    /// receive` does: verified against the coordinator key the device trusts, applied only when
    /// newer than the one it has. A device set up without the coordinator's key
    /// (`terep device init --coordinator-key`) cannot check a package: it is not fetched.
    func fetchPackage(
        store: DeviceStore, key: DeviceSigningKey, client: HTTPClient, say: @Sendable (String) -> Void
    ) async throws(SyncError) -> PackageReceipt? {
        guard (try? store.coordinatorKey()) ?? nil != nil else {
            say("package: not fetched: this device has no coordinator key to check it with (terep device init --coordinator-key)")
            return nil
        }
        let endpoint = try options.endpoint("/v1/package")
        let device = store.deviceID
        let data: Data
        do {
            (data, _) = try await retrying("package", request: "the package", say: say) {
                () async throws(SyncError) -> Attempt<Data> in
                await exchange(
                    method: "GET", endpoint: endpoint, body: Data(), device: device, key: key, client: client,
                    maxAnswer: Self.maxPackageBytes)
            }
        } catch .refused(status: 501, let reason, _) {
            // The server cannot make packages at all (an older terep server over PostgreSQL).
            say("package: not fetched: \(reason)")
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("terep-package-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard FileManager.default.createFile(atPath: file, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw .package(.io(path: file, message: "cannot keep the package received"))
        }
        let receipt: PackageReceipt
        do { receipt = try Packages.receive(path: file, device: store, at: DeviceStore.currentMilliseconds()) } catch {
            throw .package(error)
        }
        switch receipt {
        case .applied(let through, let cases, let reviews):
            say("package: applied (fieldwork log through \(through)): \(cases) cases, \(reviews) review decisions, \(data.count) bytes")
        case .alreadyApplied(let through, let current):
            say("package: nothing new (the package is through \(through), the device has \(current))")
        }
        return receipt
    }
}
