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

    /// The file's bytes: canonical JSON, pretty-printed with sorted keys and a final newline.
    ///
    /// Byte for byte what ``SurveyDefinition/canonicalEncoder(pretty:)`` with `pretty: true`
    /// writes (its test oracle, and the fallback for what the fast writer declines), made from
    /// ``CanonicalJSONWriter``'s compact bytes by ``PrettyJSON``: at 10,000 questions the
    /// encoder's pretty form took longer than the compile itself.
    public func fileData() throws -> Data {
        guard let definitionBytes = CanonicalJSONWriter.encode(definition) else {
            var data = try SurveyDefinition.canonicalEncoder(pretty: true).encode(self)
            data.append(0x0A)
            return data
        }
        var writer = CanonicalJSONWriter()
        writer.bytes.reserveCapacity(definitionBytes.count + 128)
        writer.raw("{\"definition\":")
        writer.bytes.append(contentsOf: definitionBytes)
        writer.raw(",\"hash\":")
        writer.string(hash.rawValue)
        writer.raw(",\"terep\":")
        writer.string(terep)
        writer.bytes.append(0x7D)
        var data = Data(PrettyJSON.indent(writer.bytes))
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
