import ArgumentParser
import Fieldwork
import Foundation
import SurveyModel
import SurveyStore

/// `terep package`: the coordinator's packages to devices.
struct PackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package", abstract: "Write a device's package: its cases, questionnaires and review decisions.",
        subcommands: [PackageCreateCommand.self])
}

/// `terep package create`: writes one device's package from the central dataset.
struct PackageCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Write the package for one device (signed; encrypted when the device has an encryption key).",
        discussion: """
            The package holds every case the device was ever given and where each stands now \
            (assigned, moved to another device, withdrawn), the current questionnaire of their \
            surveys and the review decisions on its interviews. It is signed with the coordinator's \
            signing key and sealed to the device's encryption key when one was registered \
            (terep central add-device --encryption-key). The device applies it with terep device \
            receive; receiving it twice, or an older package after a newer one, changes nothing. \
            Format: docs/package-format.md.
            """)

    @OptionGroup var central: CentralDatasetOptions
    @ArgumentParser.Option(help: "The device the package is for.") var device: String
    @ArgumentParser.Option(name: .shortAndLong, help: ArgumentHelp("The package file to write.", valueName: "file")) var output: String

    func run() throws {
        do {
            let store = try central.open(readOnly: true)
            let made = try Packages.create(central: store, device: DeviceID(device), to: output, at: DeviceStore.currentMilliseconds())
            print(
                "Package for \(DisplayText.escaped(made.device.rawValue)) written to \(DisplayText.escaped(output)): "
                    + "\(made.assigned) assigned, \(made.reassigned) moved away, \(made.withdrawn) withdrawn case"
                    + "\(made.assigned + made.reassigned + made.withdrawn == 1 ? "" : "s"), \(made.reviews) review decision"
                    + "\(made.reviews == 1 ? "" : "s") (fieldwork log \(made.through); \(made.encrypted ? "encrypted" : "not encrypted"))")
        } catch let error as FieldworkError {
            throw error
        } catch let error as StoreError {
            throw error
        }
    }
}

/// `terep device receive`: checks a package from the coordinator and applies it.
struct DeviceReceive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive", abstract: "Check a package from the coordinator and apply it to this device.",
        discussion: """
            A package for another device, from another coordinator, tampered with, cut short or not \
            a package at all is refused with one line naming the file, and changes nothing. A \
            package older than (or the same as) the one applied changes nothing either.
            """)

    @ArgumentParser.Argument(help: "The package file.") var file: String
    @OptionGroup var database: DeviceDatabaseOptions

    func run() throws {
        do {
            let store = try DeviceStore.open(path: database.path)
            switch try Packages.receive(path: file, device: store, at: DeviceStore.currentMilliseconds()) {
            case .applied(let through, let cases, let reviews):
                print(
                    "Applied the package \(DisplayText.escaped(file)) (fieldwork log \(through)): \(cases) case"
                        + "\(cases == 1 ? "" : "s"), \(reviews) review decision\(reviews == 1 ? "" : "s")")
            case .alreadyApplied(let through, let current):
                print(
                    "Nothing changed: the package \(DisplayText.escaped(file)) (fieldwork log \(through)) is not newer than "
                        + "the one applied (fieldwork log \(current))")
            }
        } catch let error as FieldworkError {
            throw error
        } catch let error as StoreError {
            throw error
        }
    }
}
