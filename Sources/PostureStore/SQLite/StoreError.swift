/// Why the day log could not be opened, read or written: the file, what went wrong (SQLite's
/// own result code and words where SQLite said it), and what the administrator can do.
///
/// Every failure keeps what is already stored: nothing in this module deletes, truncates,
/// overwrites or "repairs" a file it did not create, and a failed write is rolled back whole.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The state directory is missing (or not a directory).
        case stateDirectoryMissing
        /// The state directory or the database cannot be read or written (permissions).
        case accessDenied
        /// Read-only open of a log that does not exist yet.
        case noDayLog
        /// The file is not an SQLite database (`SQLITE_NOTADB`, or a bad header).
        case notADatabase
        /// An SQLite database of another program (its `application_id`, or unknown tables).
        case foreignDatabase(applicationID: Int32)
        /// `PRAGMA quick_check` failed, or SQLite reported `SQLITE_CORRUPT`.
        case corrupt
        /// Written by a newer postured whose schema this build does not know.
        case newerSchema(found: Int, supported: Int)
        /// A stored value could not be decoded (e.g. a calibration written by a newer version).
        case undecodable
        /// Any other SQLite failure (disk full, I/O error, busy beyond the timeout, …).
        case sqlite
    }

    public var kind: Kind
    /// The database file (or the directory, for directory problems).
    public var path: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var resultCode: Int32?
    /// What went wrong, in SQLite's or the system's words where they said it.
    public var message: String
    /// What to do about it.
    public var advice: String

    public init(_ kind: Kind, path: String, resultCode: Int32? = nil, message: String, advice: String) {
        self.kind = kind
        self.path = path
        self.resultCode = resultCode
        self.message = message
        self.advice = advice
    }

    public var description: String {
        var text = "\(path): \(message)"
        if let resultCode { text += " (SQLite result code \(resultCode))" }
        if !advice.isEmpty { text += ". \(advice)" }
        return text
    }
}

extension StoreError {
    static func noDayLog(_ path: String) -> StoreError {
        StoreError(
            .noDayLog, path: path, message: "no day log at \(path)",
            advice: "Is postured running? Or pass --state-dir (or set STATE_DIRECTORY) to where it keeps daylog.sqlite3")
    }

    static func stateDirectoryMissing(_ directory: String, detail: String) -> StoreError {
        StoreError(
            .stateDirectoryMissing, path: directory, message: "state directory \(detail)",
            advice: "postured does not create it: run it under systemd with StateDirectory=postured, "
                + "or create the directory (owned by the daemon's user), or set STATE_DIRECTORY")
    }

    static func notADatabase(_ path: String, resultCode: Int32? = nil, detail: String) -> StoreError {
        StoreError(
            .notADatabase, path: path, resultCode: resultCode, message: "is not an SQLite database (\(detail))",
            advice: "postured leaves it untouched; move it aside (or point STATE_DIRECTORY elsewhere) "
                + "and postured starts a new day log")
    }

    static func foreign(_ path: String, applicationID: Int32, detail: String) -> StoreError {
        StoreError(
            .foreignDatabase(applicationID: applicationID), path: path,
            message: "is another program's SQLite database (\(detail))",
            advice: "postured leaves it untouched; move it aside or choose another state directory")
    }

    static func corrupt(_ path: String, resultCode: Int32? = nil, detail: String) -> StoreError {
        StoreError(
            .corrupt, path: path, resultCode: resultCode, message: "the day log is damaged (\(detail))",
            advice: "postured leaves it untouched; stop postured, copy the file aside, try `sqlite3 FILE .recover`, "
                + "then move the damaged file away so a new log can start")
    }
}
