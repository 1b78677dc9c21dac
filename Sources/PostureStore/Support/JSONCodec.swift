import PostureJSON

/// JSON for the `detail` and `calibration` columns, as text. Keys are sorted, so the same value
/// always stores the same text (PostureJSON writes what JSONEncoder with `.sortedKeys` wrote).
enum JSONCodec {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try JSONCoding.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONCoding.decode(type, from: Array(text.utf8))
    }
}
