import Fieldwork
import Foundation
import SurveyModel
import SurveyStore
import Testing

@testable import SurveySync

/// Device and coordinator keys protected by a passphrase: bundling and merging unlock them,
/// nothing works without the passphrase, and the plain key does not stay in the files.
@Suite struct ProtectedKeyTests {
    static func passphrase(_ text: String) -> PassphraseSource {
        { _, _ throws(KeyAccessError) in text }
    }

    /// Every file of a database (main file, WAL) read as bytes.
    func bytes(of path: String) -> Data {
        ["", "-wal"].reduce(Data()) { $0 + ((try? Data(contentsOf: URL(fileURLWithPath: path + $1))) ?? Data()) }
    }

    @Test("a protected device key signs bundles only with its passphrase, and its plain bytes leave the file")
    func deviceKey() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        let plain = try #require(try store.signingKey()?.privateKey)
        #expect(bytes(of: bench.path("lap-1.sqlite")).range(of: plain) != nil)

        let protected = ProtectedKey.device(store)
        try protected.protect(Self.passphrase("alma körte szilva"))
        #expect(try protected.isProtected())
        #expect(bytes(of: bench.path("lap-1.sqlite")).range(of: plain) == nil, "the plain key is still in the file")
        #expect(throws: KeyAccessError.self) { try protected.protect(Self.passphrase("alma körte szilva")) }

        #expect {
            try BundleExport.create(store: store, output: bench.path("a.terepbundle"), recipient: bench.coordinatorKey, all: false)
        } throws: { error in
            "\(error)" == "the device signing key is protected by a passphrase and none was given"
        }
        #expect {
            try BundleExport.create(
                store: store, output: bench.path("a.terepbundle"), recipient: bench.coordinatorKey, all: false,
                passphrase: Self.passphrase("wrong words here"))
        } throws: { error in
            "\(error)" == "the passphrase does not open the device signing key"
        }
        let result = try BundleExport.create(
            store: store, output: bench.path("a.terepbundle"), recipient: bench.coordinatorKey, all: false,
            passphrase: Self.passphrase("alma körte szilva"))
        guard case .wrote = result else { Issue.record("nothing bundled"); return }
        var merger = try bench.merger()
        #expect(merger.merge([bench.path("a.terepbundle")]).merged == 1)

        try protected.changePassphrase { _, role throws(KeyAccessError) in role == .current ? "alma körte szilva" : "új jelmondat itt" }
        #expect(try protected.unlock(Self.passphrase("új jelmondat itt")) == plain)
        try protected.removeProtection(Self.passphrase("új jelmondat itt"))
        #expect(try !protected.isProtected())
        #expect(try protected.unlock(KeyAccessError.noPassphrase) == plain)
    }

    @Test("a protected coordinator key is unlocked once when the merge starts; encrypted bundles then open")
    func coordinatorKey() throws {
        let bench = try SyncBench()
        defer { bench.cleanUp() }
        let (store, key) = try bench.device("lap-1")
        try bench.interview(on: store)
        _ = try CentralAdmin.addDevice(path: bench.central, device: "lap-1", key: key, note: nil)
        let file = try bench.bundle(store, "a.terepbundle")
        let central = try CentralStore.open(path: bench.central)
        let plain = try #require(try central.encryptionKey()?.privateKey)
        try ProtectedKey.coordinator(central).protect(Self.passphrase("titkos kulcs mondat"))
        #expect(bytes(of: bench.central).range(of: plain) == nil, "the plain key is still in the file")

        #expect { try bench.merger() } throws: { error in
            "\(error)" == "the coordinator key is protected by a passphrase and none was given"
        }
        var merger = try BundleMerger.open(
            centralPath: bench.central, trustNewDevices: false, passphrase: Self.passphrase("titkos kulcs mondat"))
        let summary = merger.merge([file])
        #expect(summary.merged == 1, "\(summary.text())")
    }
}
