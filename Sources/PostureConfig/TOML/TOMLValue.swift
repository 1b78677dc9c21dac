/// A value read from a TOML document, with the line it starts on (1-based) so that
/// every diagnostic about it can point at the file.
public struct TOMLValue: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case string(String)
        /// 64-bit even on 32-bit boards, as TOML requires.
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var content: Content
    /// The line the value starts on; for a table, the line of its header or first key.
    public var line: Int

    public init(_ content: Content, line: Int) {
        self.content = content
        self.line = line
    }

    /// What kind of value this is, for messages: "a string", "an integer", …
    public var kindDescription: String {
        switch content {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value roughly as it was written, for messages (`-3`, `"fast"`, `[1, 2]`).
    public var rendered: String {
        switch content {
        case .string(let text): return TOMLValue.quoted(text)
        case .integer(let number): return String(number)
        case .float(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .array(let elements):
            let shown = elements.prefix(4).map(\.rendered).joined(separator: ", ")
            return elements.count > 4 ? "[\(shown), …]" : "[\(shown)]"
        case .table: return "a table"
        }
    }

    /// A basic-string rendering with the escapes a reader needs to see the text exactly; it is
    /// valid TOML, and reads back as `text` (the TOML fuzz target writes documents back with it).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A TOML table: keys in the order they were written, each with its value.
public struct TOMLTable: Sendable, Equatable {
    /// Keys in document order, so problems are reported top to bottom.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    /// Where the table was opened (header line, first dotted key, or 1 for the root).
    public var line: Int

    public init(line: Int) {
        self.line = line
    }

    public subscript(key: String) -> TOMLValue? { values[key] }

    public var isEmpty: Bool { keys.isEmpty }

    /// Adds a key; the parser has already rejected duplicates, so a repeat replaces.
    mutating func set(_ key: String, _ value: TOMLValue) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
