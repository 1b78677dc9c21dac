/// Reads the subset of TOML 1.0 a configuration file needs.
///
/// Supported: comments; `[table]`, `[table.sub]`, `[[array.of.tables]]`; bare, quoted and dotted
/// keys; basic strings with escapes and literal strings; integers (sign, `_`, `0x`/`0o`/`0b`);
/// floats (fraction, exponent, `inf`, `nan`); booleans; arrays (multi-line, trailing comma);
/// inline tables. **Not** supported, and rejected with a message saying so: multi-line strings
/// (`"""`, `'''`) and dates/times. Reading stops at the first syntax error.
///
/// Tables, arrays and inline tables nest at most `maximumDepth` deep, counted the way the
/// document would nest written inline: `[a.b.c]` is 3, `x = [[1]]` at the root is 2, and
/// `[[sensor]]`'s tables are 2 (the array is 1).
public enum TOMLParser {
    /// postured's configuration nests 3 deep (`[indicator.patterns]` in `[[indicator]]`). TOML sets no
    /// limit, but the parser, the tree's conversion and the decoder recurse once a level, and a
    /// few kilobytes of `[[[[…` or `a.a.a.…` overflowed the daemon's stack before this limit
    /// (Fuzz/Crashes/FuzzTOML). 32 leaves room for any hand-written file.
    public static let maximumDepth = 32

    /// The document's root table, or the first syntax error as `FILE:LINE: what is wrong`.
    public static func parse(_ text: String, fileName: String) throws(TOMLSyntaxError) -> TOMLTable {
        var reader = DocumentReader(lexer: TOMLLexer(text: text, fileName: fileName))
        return try reader.read()
    }
}

/// One pass over a document, keeping track of the table that key/value lines go into.
private struct DocumentReader {
    var lexer: TOMLLexer
    let root = TOMLTableBuilder(origin: .header, line: 1, depth: 0)
    /// The table opened by the latest header (the root before any).
    var current: TOMLTableBuilder

    init(lexer: TOMLLexer) {
        self.lexer = lexer
        self.current = root
    }

    mutating func read() throws(TOMLSyntaxError) -> TOMLTable {
        while true {
            try lexer.skipBlanksCommentsAndNewlines()
            guard let scalar = lexer.current else { break }
            if scalar == "[" {
                try readHeader()
                try lexer.expectEndOfLine(after: "the table header")
            } else {
                try readKeyValue(into: current)
                try lexer.expectEndOfLine(after: "the value")
            }
        }
        return root.build()
    }

    // MARK: Headers

    private mutating func readHeader() throws(TOMLSyntaxError) {
        let line = lexer.line
        lexer.advance()
        let isArray = lexer.current == "["
        if isArray { lexer.advance() }
        let path = try lexer.scanKey()
        lexer.skipBlanks()
        let closing = isArray ? "]]" : "]"
        guard lexer.current == "]", !isArray || lexer.peek(1) == "]" else {
            throw lexer.error("expected '\(closing)' to close the header '\(isArray ? "[[" : "[")\(display(path))'")
        }
        lexer.advance()
        if isArray { lexer.advance() }

        let parent = try descend(to: path.dropLast(), line: line, header: path)
        let name = path[path.count - 1]
        let shown = isArray ? "[[\(display(path))]]" : "[\(display(path))]"
        try checkDepth(parent.depth + (isArray ? 2 : 1), line: line)
        if isArray {
            let element = TOMLTableBuilder(origin: .arrayElement, line: line, depth: parent.depth + 2)
            switch parent[name] {
            case nil:
                let array = TOMLTableArrayBuilder(line: line)
                array.append(element)
                parent.insert(name, .tableArray(array))
            case .tableArray(let array):
                array.append(element)
            case .table(let table):
                throw lexer.error("\(shown) conflicts with table [\(display(path))] defined on line \(table.line)", line: line)
            case .value(let value):
                throw lexer.error("\(shown) conflicts with key '\(display(path))' set on line \(value.line)", line: line)
            }
            current = element
        } else {
            switch parent[name] {
            case nil:
                let table = TOMLTableBuilder(origin: .header, line: line, depth: parent.depth + 1)
                parent.insert(name, .table(table))
                current = table
            case .table(let table) where table.origin == .implicit:
                // `[a.b]` came first and created `a`; `[a]` may now define it.
                table.origin = .header
                table.line = line
                current = table
            case .table(let table):
                throw lexer.error("duplicate table \(shown) (first defined on line \(table.line))", line: line)
            case .tableArray(let array):
                throw lexer.error("\(shown) conflicts with array of tables [[\(display(path))]] on line \(array.line)", line: line)
            case .value(let value):
                throw lexer.error("\(shown) conflicts with key '\(display(path))' set on line \(value.line)", line: line)
            }
        }
    }

    /// Walks (creating as needed) the tables leading to a header's last key.
    private func descend(to prefix: ArraySlice<String>, line: Int, header: [String]) throws(TOMLSyntaxError) -> TOMLTableBuilder {
        var table = root
        for (index, key) in prefix.enumerated() {
            // Only for messages, and built only then: a long path would make it quadratic.
            var walked: String { display(Array(header.prefix(index + 1))) }
            switch table[key] {
            case nil:
                try checkDepth(table.depth + 1, line: line)
                let child = TOMLTableBuilder(origin: .implicit, line: line, depth: table.depth + 1)
                table.insert(key, .table(child))
                table = child
            case .table(let child):
                table = child
            case .tableArray(let array):
                guard let last = array.last else { throw lexer.error("array of tables '\(walked)' is empty", line: line) }
                table = last
            case .value(let value):
                throw lexer.error(cannotExtend(walked, value), line: line)
            }
        }
        return table
    }

    // MARK: Key/value pairs

    /// `key = value` (the key possibly dotted) into `table`.
    private mutating func readKeyValue(into table: TOMLTableBuilder) throws(TOMLSyntaxError) {
        let line = lexer.line
        let key = try lexer.scanKey()
        lexer.skipBlanks()
        guard lexer.current == "=" else {
            throw lexer.error("expected '=' after key '\(display(key))', found \(lexer.describeCurrent())")
        }
        lexer.advance()
        lexer.skipBlanks()
        if lexer.isAtEnd || lexer.current == "\n" || lexer.current == "\r" || lexer.current == "#" {
            throw lexer.error("missing value after '\(display(key)) ='")
        }
        // The tables a dotted key creates, checked before the value is read.
        if key.count > 1 { try checkDepth(table.depth + key.count - 1, line: line) }
        let value = try readValue(depth: table.depth + key.count)

        var target = table
        for (index, part) in key.dropLast().enumerated() {
            // Only for messages, and built only then: a long key would make it quadratic.
            var walked: String { display(Array(key.prefix(index + 1))) }
            switch target[part] {
            case nil:
                let child = TOMLTableBuilder(origin: .dotted, line: line, depth: target.depth + 1)
                target.insert(part, .table(child))
                target = child
            case .table(let child) where child.origin == .dotted || child.origin == .implicit:
                target = child
            case .table(let child):
                throw lexer.error(
                    "cannot add '\(display(key))' with a dotted key: table '\(walked)' has its own header on line \(child.line); write the key there",
                    line: line)
            case .tableArray(let array):
                throw lexer.error("'\(walked)' is an array of tables (line \(array.line)); a dotted key cannot add to it", line: line)
            case .value(let existing):
                throw lexer.error(cannotExtend(walked, existing), line: line)
            }
        }
        let name = key[key.count - 1]
        if let existing = target[name] {
            throw lexer.error("duplicate key '\(display(key))' (first set on line \(existing.line))", line: line)
        }
        target.insert(name, .value(value))
    }

    // MARK: Values

    /// A value `depth` levels deep; arrays and inline tables check it against the limit
    /// before reading what is inside, so `[[[[…` stops there, not at the end of the stack.
    private mutating func readValue(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        let line = lexer.line
        switch lexer.current {
        case "\"":
            try lexer.rejectMultilineString()
            return TOMLValue(.string(try lexer.scanBasicString()), line: line)
        case "'":
            try lexer.rejectMultilineString()
            return TOMLValue(.string(try lexer.scanLiteralString()), line: line)
        case "[":
            return try readArray(depth: depth)
        case "{":
            return try readInlineTable(depth: depth)
        default:
            let run = lexer.scanBareRun()
            if run.isEmpty { throw lexer.error("expected a value, found \(lexer.describeCurrent())") }
            do {
                return TOMLValue(try TOMLScalarLiteral.parse(run), line: line)
            } catch {
                throw lexer.error(error.message, line: line)
            }
        }
    }

    /// `[a, b, c]`, across lines if need be, trailing comma allowed; each element keeps its line.
    private mutating func readArray(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        let line = lexer.line
        try checkDepth(depth, line: line)
        lexer.advance()
        var elements: [TOMLValue] = []
        let unterminated = "unterminated array (opened on line \(line)); expected ']'"
        while true {
            try lexer.skipBlanksCommentsAndNewlines()
            if lexer.current == "]" { break }
            if lexer.isAtEnd { throw lexer.error(unterminated) }
            elements.append(try readValue(depth: depth + 1))
            try lexer.skipBlanksCommentsAndNewlines()
            if lexer.current == "," {
                lexer.advance()
            } else if lexer.current == "]" {
                break
            } else if lexer.isAtEnd {
                throw lexer.error(unterminated)
            } else {
                throw lexer.error("expected ',' or ']' in the array, found \(lexer.describeCurrent())")
            }
        }
        lexer.advance()
        return TOMLValue(.array(elements), line: line)
    }

    /// `{ a = 1, b = "x" }`: on one line, no trailing comma (TOML's rules), and sealed once closed.
    private mutating func readInlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        let line = lexer.line
        try checkDepth(depth, line: line)
        lexer.advance()
        let table = TOMLTableBuilder(origin: .header, line: line, depth: depth)
        lexer.skipBlanks()
        if lexer.current == "}" {
            lexer.advance()
            return TOMLValue(.table(table.build()), line: line)
        }
        while true {
            lexer.skipBlanks()
            if lexer.isAtEnd || lexer.current == "\n" || lexer.current == "\r" {
                throw lexer.error("unterminated inline table (opened on line \(line)); it must close with '}' on the same line")
            }
            try readKeyValue(into: table)
            lexer.skipBlanks()
            if lexer.current == "," {
                lexer.advance()
                lexer.skipBlanks()
                if lexer.current == "}" { throw lexer.error("trailing comma is not allowed in an inline table") }
            } else if lexer.current == "}" {
                lexer.advance()
                return TOMLValue(.table(table.build()), line: line)
            } else if lexer.isAtEnd || lexer.current == "\n" || lexer.current == "\r" {
                throw lexer.error("unterminated inline table (opened on line \(line)); it must close with '}' on the same line")
            } else {
                throw lexer.error("expected ',' or '}' in the inline table, found \(lexer.describeCurrent())")
            }
        }
    }

    // MARK: Limits and messages

    private func checkDepth(_ depth: Int, line: Int) throws(TOMLSyntaxError) {
        guard depth > TOMLParser.maximumDepth else { return }
        throw lexer.error(
            "tables, arrays and inline tables nest more than \(TOMLParser.maximumDepth) deep here; postured's configuration needs 3",
            line: line)
    }

    private func cannotExtend(_ key: String, _ value: TOMLValue) -> String {
        switch value.content {
        case .table: "'\(key)' is an inline table (line \(value.line)) and cannot be extended"
        case .array: "'\(key)' is an array set on line \(value.line); it cannot be extended with a header or dotted key"
        default: "'\(key)' is already set to a value on line \(value.line), it cannot also be a table"
        }
    }

    /// A key path as it would be written: bare parts plain, others quoted.
    private func display(_ path: [String]) -> String {
        path.map { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy(TOMLLexer.isBareKeyScalar) ? part : TOMLValue.quoted(part)
        }.joined(separator: ".")
    }
}
