// The entry every fuzz target shares: libFuzzer's callback, its driver in fuzz builds
// (-DFUZZING, scripts/fuzz*.sh), `--write-seeds DIR`, and the hint a plain build prints.
import Foundation

#if FUZZING
    import CLibFuzzer
#endif

public enum FuzzEntry {
    /// The target's body; set once by ``main(_:script:run:writeSeeds:)`` before fuzzing starts.
    nonisolated(unsafe) fileprivate static var body: (UnsafeRawBufferPointer) -> Void = { _ in }

    /// Runs the fuzz target `name`: with `--write-seeds DIR`, writes its seeds and exits; in a
    /// fuzz build, hands `run` to libFuzzer's driver (each input as raw bytes, valid only during
    /// the call: copy what must outlive it); in a plain build, says which script builds it.
    public static func main(
        _ name: String, script: String, run: @escaping (UnsafeRawBufferPointer) -> Void,
        writeSeeds: ((String) throws -> Void)? = nil
    ) -> Never {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == "--write-seeds" {
            guard let writeSeeds else {
                print("\(name) has no seeds to write")
                exit(64)
            }
            do {
                try writeSeeds(arguments[2])
                exit(0)
            } catch {
                print("cannot write seeds: \(error)")
                exit(1)
            }
        }
        body = run
        #if FUZZING
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzTestOneInput($0, $1) })
        #else
            print("\(name) is built and run by \(script) (libFuzzer, -DFUZZING)")
            exit(0)
        #endif
    }
}

/// libFuzzer's callback (its driver object refers to this symbol by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.body(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
