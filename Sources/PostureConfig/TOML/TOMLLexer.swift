/// Character-level reading of a TOML document: whitespace, comments, keys, strings and the
/// "bare runs" that hold numbers and booleans. The parser decides what is expected where
/// (a key or a value), because in TOML `1.5` is a float after `=` but a dotted key before it.
struct TOMLLexer {
    private let scalars: [Unicode.Scalar]
    private(set) var index = 0
    /// The 1-based line of the character at `index`.
    private(set) var line = 1
    let fileName: String

    init(text: String, fileName: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }  // editors on other systems add a BOM
        self.scalars = scalars
        self.fileName = fileName
    }

    var isAtEnd: Bool { index >= scalars.count }
    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    mutating func advance() {
        guard let scalar = current else { return }
        if scalar == "\n" { line += 1 }
        index += 1
    }

    func error(_ message: String, line: Int? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(fileName: fileName, line: line ?? self.line, message: message)
    }

    // MARK: Whitespace, comments, line ends

    /// Skips spaces and tabs (not newlines).
    mutating func skipBlanks() {
        while let scalar = current, scalar == " " || scalar == "\t" { advance() }
    }

    /// Skips a `#` comment up to (not including) the line end.
    mutating func skipComment() throws(TOMLSyntaxError) {
        guard current == "#" else { return }
        while let scalar = current, scalar != "\n" {
            if scalar == "\r", peek(1) == "\n" { break }
            if Self.isForbiddenControl(scalar) { throw error("control character U+\(Self.hex(scalar)) in a comment") }
            advance()
        }
    }

    /// Consumes a line end (LF or CRLF); true when there was one.
    mutating func consumeNewline() -> Bool {
        if current == "\n" {
            advance()
            return true
        }
        if current == "\r", peek(1) == "\n" {
            advance()
            advance()
            return true
        }
        return false
    }

    /// Skips blanks, comments and newlines: the filler allowed between array elements.
    mutating func skipBlanksCommentsAndNewlines() throws(TOMLSyntaxError) {
        while true {
            skipBlanks()
            try skipComment()
            if !consumeNewline() { return }
        }
    }

    /// After a statement: only blanks and a comment may remain on the line.
    mutating func expectEndOfLine(after what: String) throws(TOMLSyntaxError) {
        skipBlanks()
        try skipComment()
        if isAtEnd || consumeNewline() { return }
        throw error("unexpected \(describeCurrent()) after \(what); expected the end of the line")
    }

    func describeCurrent() -> String {
        guard let scalar = current else { return "end of file" }
        if scalar == "\r" || scalar == "\n" { return "end of line" }
        return "'\(Character(scalar))'"
    }

    // MARK: Keys

    static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// A key, possibly dotted (`a."b c".d`), with blanks allowed around the dots.
    mutating func scanKey() throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            skipBlanks()
            parts.append(try scanSimpleKey())
            skipBlanks()
            guard current == "." else { return parts }
            advance()
        }
    }

    private mutating func scanSimpleKey() throws(TOMLSyntaxError) -> String {
        switch current {
        case "\"":
            if peek(1) == "\"", peek(2) == "\"" { throw error("a multi-line string cannot be a key") }
            return try scanBasicString()
        case "'":
            if peek(1) == "'", peek(2) == "'" { throw error("a multi-line string cannot be a key") }
            return try scanLiteralString()
        default:
            var key = ""
            while let scalar = current, Self.isBareKeyScalar(scalar) {
                key.unicodeScalars.append(scalar)
                advance()
            }
            if key.isEmpty { throw error("expected a key, found \(describeCurrent())") }
            return key
        }
    }

    // MARK: Strings

    /// Multi-line strings are outside the supported subset: say so rather than misreading them.
    func rejectMultilineString() throws(TOMLSyntaxError) {
        if let quote = current, quote == "\"" || quote == "'", peek(1) == quote, peek(2) == quote {
            throw error("multi-line strings (\"\"\" or ''') are not supported; use a single-line string")
        }
    }

    /// `"…"` with escapes; the lexer is on the opening quote.
    mutating func scanBasicString() throws(TOMLSyntaxError) -> String {
        let startLine = line
        advance()
        var text = ""
        while true {
            guard let scalar = current, scalar != "\n", scalar != "\r" || peek(1) != "\n" else {
                throw error("unterminated string", line: startLine)
            }
            advance()
            switch scalar {
            case "\"": return text
            case "\\": text.unicodeScalars.append(try scanEscape())
            default:
                if Self.isForbiddenControl(scalar) { throw error("control character U+\(Self.hex(scalar)) in a string; use an escape") }
                text.unicodeScalars.append(scalar)
            }
        }
    }

    /// `'…'`, taken verbatim; the lexer is on the opening quote.
    mutating func scanLiteralString() throws(TOMLSyntaxError) -> String {
        let startLine = line
        advance()
        var text = ""
        while true {
            guard let scalar = current, scalar != "\n", scalar != "\r" || peek(1) != "\n" else {
                throw error("unterminated string", line: startLine)
            }
            advance()
            if scalar == "'" { return text }
            if Self.isForbiddenControl(scalar) { throw error("control character U+\(Self.hex(scalar)) in a string") }
            text.unicodeScalars.append(scalar)
        }
    }

    /// The character after a backslash.
    private mutating func scanEscape() throws(TOMLSyntaxError) -> Unicode.Scalar {
        guard let escape = current, escape != "\n" else { throw error("unterminated string") }
        advance()
        switch escape {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u": return try scanUnicodeEscape(digits: 4)
        case "U": return try scanUnicodeEscape(digits: 8)
        default: throw error("invalid escape sequence '\\\(Character(escape))' in a string")
        }
    }

    private mutating func scanUnicodeEscape(digits: Int) throws(TOMLSyntaxError) -> Unicode.Scalar {
        var hexDigits = ""
        for _ in 0..<digits {
            guard let scalar = current, scalar.properties.isASCIIHexDigit else {
                throw error("invalid unicode escape: expected \(digits) hexadecimal digits")
            }
            hexDigits.unicodeScalars.append(scalar)
            advance()
        }
        guard let value = UInt32(hexDigits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw error("invalid unicode escape: U+\(hexDigits) is not a Unicode scalar value")
        }
        return scalar
    }

    // MARK: Bare values

    static func isBareValueScalar(_ scalar: Unicode.Scalar) -> Bool {
        isBareKeyScalar(scalar) || scalar == "+" || scalar == "." || scalar == ":"
    }

    /// The run of characters that can make up a number, boolean or date.
    mutating func scanBareRun() -> String {
        var run = ""
        while let scalar = current, Self.isBareValueScalar(scalar) {
            run.unicodeScalars.append(scalar)
            advance()
        }
        return run
    }

    // MARK: Helpers

    /// TOML forbids control characters other than tab in strings and comments.
    static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    static func hex(_ scalar: Unicode.Scalar) -> String {
        String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
    }
}
