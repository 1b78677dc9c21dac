/// An object's members: each key gets a fresh node, which the value encodes itself into.
struct KeyedNodeEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    private func child(_ key: some CodingKey) -> NodeEncoder {
        let child = EncodedNode()
        node.members[key.stringValue] = child
        return NodeEncoder(node: child, codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) { child(key).node.set(literal: "null") }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: String, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try value.encode(to: child(key)) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try value.encode(to: child(key)) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        child(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        child(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { child(SuperKey()) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

/// An array's items, appended in order.
struct UnkeyedNodeEncoder: UnkeyedEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    var count: Int { node.items.count }

    private func next() -> NodeEncoder {
        let child = EncodedNode()
        node.items.append(child)
        return NodeEncoder(node: child, codingPath: codingPath + [IndexKey(node.items.count - 1)])
    }

    mutating func encodeNil() { next().node.set(literal: "null") }
    mutating func encode(_ value: Bool) throws { try value.encode(to: next()) }
    mutating func encode(_ value: String) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Double) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Float) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Int) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Int8) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Int16) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Int32) throws { try value.encode(to: next()) }
    mutating func encode(_ value: Int64) throws { try value.encode(to: next()) }
    mutating func encode(_ value: UInt) throws { try value.encode(to: next()) }
    mutating func encode(_ value: UInt8) throws { try value.encode(to: next()) }
    mutating func encode(_ value: UInt16) throws { try value.encode(to: next()) }
    mutating func encode(_ value: UInt32) throws { try value.encode(to: next()) }
    mutating func encode(_ value: UInt64) throws { try value.encode(to: next()) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}
