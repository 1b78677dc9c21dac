import PostureReplay

/// A failure to report as `Error: …` with a non-zero exit (1), or under `--json` as one JSON
/// line on standard output (`CommandErrorReport`).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    /// A machine-readable name for scripts: `not_running`, `permission_denied`, or `failed`.
    var code: String
    /// The daemon's own error line is already on standard output (`--json`): not again.
    var reportedAsJSON: Bool

    init(_ description: String, code: String = "failed", reportedAsJSON: Bool = false) {
        self.description = description
        self.code = code
        self.reportedAsJSON = reportedAsJSON
    }
}

/// Errors under `--json`: `{"ok":false,"error":{"code":…,"message":…},"exit":N}` on standard
/// output, in the shape of the daemon's error replies, so a script reads one stream whatever
/// went wrong. `--help` and `--version` are no errors and print as usual.
enum CommandErrorReport {
    /// Whether the command line asks for JSON (`--json` before any `--`).
    static func wantsJSON(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--json")
    }

    /// `{"ok":false,"error":{"code":"usage","message":"…"},"exit":64}`
    static func jsonLine(code: String, message: String, exitStatus: Int32) -> String {
        #"{"ok":false,"error":{"code":"# + jsonString(code) + #","message":"# + jsonString(message)
            + #"},"exit":\#(exitStatus)}"#
    }
}
