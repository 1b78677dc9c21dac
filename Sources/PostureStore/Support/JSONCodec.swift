import FoundationEssentials

/// JSON for the `detail` and `calibration` columns. FoundationEssentials (no ICU) is enough
/// for Codable; keys are sorted so the same value always stores the same text.
enum JSONCodec {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
