import Foundation

/// A compiled definition together with its content hash: the file `terep compile` writes.
///
/// The file is `{"definition": {…}, "hash": "<sha256 hex>", "terep": "compiled-survey"}` with
/// sorted keys. The hash is the SHA-256 of ``SurveyDefinition/canonicalJSON()``; the model
/// does not compute it (it has no dependencies), the compiler and readers verify it.
public struct CompiledSurvey: Hashable, Sendable, Codable {
    /// A marker so a compiled file is recognised as such.
    public static let marker = "compiled-survey"

    public var terep: String
    public var hash: DefinitionHash
    public var definition: SurveyDefinition

    public init(definition: SurveyDefinition, hash: DefinitionHash) {
        self.terep = CompiledSurvey.marker
        self.hash = hash
        self.definition = definition
    }

    /// The file's bytes: `{"definition":…,"hash":…,"terep":"compiled-survey"}`, compact, with
    /// sorted keys and a final newline.
    ///
    /// Byte for byte what ``SurveyDefinition/canonicalEncoder(pretty:)`` writes (its test oracle,
    /// and the fallback for what the fast writer declines). The definition in it is exactly its
    /// canonical form, the bytes the hash is taken over, so the compiler writes the bytes it has
    /// just hashed (``fileData(canonicalDefinition:)``). Compact rather than indented: at 10,000
    /// questions the indented file was twice the size (3.7 kB a question) and indenting it cost
    /// more than hashing; ``prettyFileData()`` is the indented form, for reading and diffing.
    public func fileData() throws -> Data {
        guard let definitionBytes = CanonicalJSONWriter.encode(definition) else {
            var data = try SurveyDefinition.canonicalEncoder().encode(self)
            data.append(0x0A)
            return data
        }
        return fileData(canonicalDefinition: definitionBytes)
    }

    /// ``fileData()`` around bytes already made: `canonicalDefinition` must be this definition's
    /// ``SurveyDefinition/canonicalJSON()`` (the compiler passes the bytes it hashed; a reader
    /// refuses a file whose definition does not hash to its hash).
    public func fileData(canonicalDefinition: some Collection<UInt8>) -> Data {
        var writer = CanonicalJSONWriter()
        writer.raw(",\"hash\":")
        writer.string(hash.rawValue)
        writer.raw(",\"terep\":")
        writer.string(terep)
        writer.raw("}\n")
        var data = Data()
        data.reserveCapacity(canonicalDefinition.count + writer.bytes.count + 16)
        data.append(contentsOf: Array("{\"definition\":".utf8))
        data.append(contentsOf: canonicalDefinition)
        data.append(contentsOf: writer.bytes)
        return data
    }

    /// The file indented for reading and diffing (`terep compile --pretty`, the golden files):
    /// byte for byte `JSONEncoder`'s `.prettyPrinted` with the canonical encoder's options (its
    /// test oracle), made from the compact bytes by ``PrettyJSON``. It loads like the compact file.
    public func prettyFileData() throws -> Data {
        guard let definitionBytes = CanonicalJSONWriter.encode(definition) else {
            var data = try SurveyDefinition.canonicalEncoder(pretty: true).encode(self)
            data.append(0x0A)
            return data
        }
        var compact = fileData(canonicalDefinition: definitionBytes)
        compact.removeLast()
        var data = Data(PrettyJSON.indent(Array(compact)))
        data.append(0x0A)
        return data
    }
}

extension SurveyDefinition {
    /// The JSON encoder behind the canonical form: sorted keys, no escaping of `/`.
    public static func canonicalEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The canonical bytes that are hashed: compact JSON with sorted keys.
    ///
    /// The same definition always gives the same bytes, so the same source always gives the
    /// same hash. They are written by ``CanonicalJSONWriter``, exactly what
    /// ``canonicalEncoder(pretty:)`` gives from the `Codable` form (its test oracle), which
    /// writes them instead only for what the writer declines (non-finite decimals).
    public func canonicalJSON() throws -> Data {
        if let bytes = CanonicalJSONWriter.encode(self) { return Data(bytes) }
        return try SurveyDefinition.canonicalEncoder().encode(self)
    }
}
