/// A value as it is being encoded. A class, because a nested container is handed out before
/// it is filled: the parent keeps the node and the container writes into it.
final class EncodedNode {
    enum Kind { case empty, literal, string, array, object }
    var kind = Kind.empty
    /// A literal's JSON text (a number, true, false, null), or a string's value.
    var text = ""
    var items: [EncodedNode] = []
    var members: [String: EncodedNode] = [:]

    func set(literal: String) {
        kind = .literal
        text = literal
    }
}

/// Encodes into an `EncodedNode` through Codable; `JSONWriter` then writes the tree out.
struct NodeEncoder: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.kind != .object {
            node.kind = .object
            node.members = [:]
        }
        return KeyedEncodingContainer(KeyedNodeEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.kind != .array {
            node.kind = .array
            node.items = []
        }
        return UnkeyedNodeEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeEncoder(node: node, codingPath: codingPath)
    }
}

struct SingleNodeEncoder: SingleValueEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    func encodeNil() { node.set(literal: "null") }
    func encode(_ value: Bool) { node.set(literal: value ? "true" : "false") }

    func encode(_ value: String) {
        node.kind = .string
        node.text = value
    }

    func encode(_ value: Double) throws { node.set(literal: try number(value)) }
    func encode(_ value: Float) throws { node.set(literal: try number(value)) }
    func encode(_ value: Int) { node.set(literal: String(value)) }
    func encode(_ value: Int8) { node.set(literal: String(value)) }
    func encode(_ value: Int16) { node.set(literal: String(value)) }
    func encode(_ value: Int32) { node.set(literal: String(value)) }
    func encode(_ value: Int64) { node.set(literal: String(value)) }
    func encode(_ value: UInt) { node.set(literal: String(value)) }
    func encode(_ value: UInt8) { node.set(literal: String(value)) }
    func encode(_ value: UInt16) { node.set(literal: String(value)) }
    func encode(_ value: UInt32) { node.set(literal: String(value)) }
    func encode(_ value: UInt64) { node.set(literal: String(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
    }

    /// The shortest text that reads back as the same value, "1" rather than "1.0" (JSONEncoder's).
    private func number<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: codingPath, debugDescription: "Unable to encode \(T.self).\(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
