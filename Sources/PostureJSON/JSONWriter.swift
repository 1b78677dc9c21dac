/// Writes an `EncodedNode` tree as JSONEncoder did with `[.sortedKeys, .withoutEscapingSlashes]`:
/// compact, keys sorted.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ node: EncodedNode, depth: Int) throws {
        guard depth < JSONParser.maximumDepth else {
            throw EncodingError.invalidValue(depth, EncodingError.Context(
                codingPath: [], debugDescription: "Too many nested arrays or dictionaries."))
        }
        switch node.kind {
        case .empty:  // a value that encoded nothing: an empty object, as JSONEncoder writes it
            bytes += "{}".utf8
        case .literal:
            bytes += node.text.utf8
        case .string:
            write(string: node.text)
        case .array:
            bytes.append(UInt8(ascii: "["))
            for (position, item) in node.items.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(item, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object:
            bytes.append(UInt8(ascii: "{"))
            // Sorted by UTF-8 bytes: the same value always gives the same text.
            let members = node.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, member) in members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(string: member.key)
                bytes.append(UInt8(ascii: ":"))
                try write(member.value, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Quotes, backslashes and control characters escaped; everything else (`/`, non-ASCII) as is.
    private mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
