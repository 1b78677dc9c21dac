/// One thing wrong with a configuration file, pointing at the line to fix.
///
/// Prints as `FILE:LINE: key.path: what is wrong, what is allowed`, e.g.
/// `postured.toml:14: policy.slouch_pelvic_tilt_threshold_deg: -3 is out of range, expected a number from 1 to 45`.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var fileName: String
    /// 1-based; `nil` when the problem is with the file as a whole (it cannot be read).
    public var line: Int?
    /// Dotted path of the key (`sensor[1].mount`); `nil` for syntax errors and unreadable files.
    public var keyPath: String?
    public var message: String

    public init(fileName: String, line: Int?, keyPath: String?, message: String) {
        self.fileName = fileName
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var text = fileName
        if let line { text += ":\(line)" }
        if let keyPath { text += ": \(keyPath)" }
        return text + ": " + message
    }
}

/// Every problem found in a configuration file, in file order; reading never stops at the
/// first, so that one edit-and-restart cycle can fix them all.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(_ problems: [ConfigProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension ConfigErrors {
    init(_ syntaxError: TOMLSyntaxError) {
        self.init([
            ConfigProblem(fileName: syntaxError.fileName, line: syntaxError.line, keyPath: nil, message: syntaxError.message)
        ])
    }
}
