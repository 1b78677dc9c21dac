/// JSON for the control protocol and the day log's `detail` and `calibration` columns, over
/// the standard library's Codable alone.
///
/// FoundationEssentials' JSONEncoder and JSONDecoder were the only reason the binary linked
/// Foundation, which was most of the package's installed size (issue 12). The output is what
/// JSONEncoder wrote with `[.sortedKeys, .withoutEscapingSlashes]`: compact, object keys in
/// the order of their UTF-8 bytes, whole numbers without ".0", `/` as is. So day logs written
/// before read the same, and the same value always gives the same text.
public enum JSONCoding {
    /// Throws `EncodingError.invalidValue` for a NaN or an infinity (JSON has no such numbers).
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let root = EncodedNode()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        var writer = JSONWriter()
        try writer.write(root, depth: 0)
        return writer.bytes
    }

    /// Throws `DecodingError` for text that is not JSON (RFC 8259, UTF-8) or does not fit `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        let tree = try JSONParser.parse(Array(bytes))
        return try T(from: NodeDecoder(node: tree, codingPath: []))
    }
}

/// A position in an array, for `codingPath` (as JSONDecoder reports it: "Index 3").
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}

/// The key `superEncoder()` and `superDecoder()` use, as Foundation's coders do.
struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(intValue: Int) { return nil }
    init?(stringValue: String) { guard stringValue == "super" else { return nil } }
}
