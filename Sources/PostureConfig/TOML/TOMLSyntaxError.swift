/// A document that is not (the supported subset of) TOML, at the line where reading stopped.
///
/// Parsing stops at the first syntax error: after one, the reader can no longer tell which
/// line belongs to which table, and guessed follow-up errors would mislead more than help.
public struct TOMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var fileName: String
    public var line: Int
    public var message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: what is wrong`, the form editors and compilers use.
    public var description: String { "\(fileName):\(line): \(message)" }
}
