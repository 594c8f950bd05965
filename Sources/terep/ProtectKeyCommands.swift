import ArgumentParser
import Fieldwork
import Foundation
import SurveyStore
import SurveySync

import enum SurveyModel.DisplayText

/// `--change` / `--remove`, shared by both `protect-key` commands.
struct KeyProtectionOptions: ParsableArguments {
    @Flag(help: "Change the passphrase (asks for the current one, then the new one).") var change = false
    @Flag(help: "Remove the protection: store the key without a passphrase again.") var remove = false

    func validate() throws {
        if change && remove { throw ValidationError("give --change or --remove, not both") }
    }

    /// Applies the protection change to `key` and prints what was done.
    func apply(to key: ProtectedKey, owner: String) throws {
        let source = KeyPassphrase.source(protecting: !change && !remove)
        do {
            if remove {
                try key.removeProtection(source)
                print("The \(key.purpose.rawValue) of \(owner) is no longer protected by a passphrase.")
            } else if change {
                try key.changePassphrase(source)
                print("The passphrase of the \(key.purpose.rawValue) of \(owner) was changed.")
            } else {
                try key.protect(source)
                print(
                    "The \(key.purpose.rawValue) of \(owner) is now protected by a passphrase (Argon2id, "
                        + "\(KeyProtection.Cost.default.memoryBytes >> 20) MiB, \(KeyProtection.Cost.default.passes) passes). "
                        + "terep asks for it when the key is needed (or reads TEREP_KEY_PASSPHRASE); without it the key cannot be used.")
            }
        } catch {
            throw CommandFailure("\(error)", status: ExitStatus.failure)
        }
    }
}

/// `terep device protect-key`: seals the device's signing key with a passphrase.
struct DeviceProtectKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protect-key",
        abstract: "Protect this device's signing key with a passphrase (for laptops that leave the office).",
        discussion: """
            The key is sealed with a key derived from the passphrase (Argon2id); terep bundle create then asks \
            for the passphrase, or reads TEREP_KEY_PASSPHRASE. With --change, TEREP_NEW_KEY_PASSPHRASE gives \
            the new one. Forgetting the passphrase means the key is lost: the device needs a new id and \
            registration. See docs/security.md.
            """)

    @OptionGroup var database: DeviceDatabaseOptions
    @OptionGroup var protection: KeyProtectionOptions

    func run() throws {
        let store: DeviceStore
        store = try DeviceStore.open(path: database.path)
        let device = (try? store.info().deviceID.rawValue) ?? database.path
        try protection.apply(to: .device(store), owner: "device \(DisplayText.escaped(device))")
    }
}

/// `terep central protect-key`: seals the coordinator's private key with a passphrase.
struct CentralProtectKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protect-key",
        abstract: "Protect the coordinator's private key in the central dataset with a passphrase.",
        discussion: """
            terep merge then asks for the passphrase (or reads TEREP_KEY_PASSPHRASE) to open encrypted \
            bundles. With --change, TEREP_NEW_KEY_PASSPHRASE gives the new one. Forgetting the passphrase \
            means encrypted bundles can no longer be opened. See docs/security.md.
            """)

    @OptionGroup var options: CentralDatasetOptions
    @OptionGroup var protection: KeyProtectionOptions

    func run() throws {
        let central = try options.open()
        try protection.apply(to: .coordinator(central), owner: "the central dataset \(DisplayText.escaped(central.location))")
    }
}
