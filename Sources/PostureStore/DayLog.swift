/// The day log: postured's SQLite database in the state directory (see `docs/store.md`).
///
/// Written only by the daemon's supervisor, once a minute (`append`), and read by `posturectl`
/// through a read-only connection, which works while the daemon writes (WAL).
///
/// Not `Sendable`: one thread or actor at a time owns a `DayLog` (its SQLite connection is
/// opened without SQLite's own mutex). The supervisor keeps it; nothing else shares it.
public final class DayLog {
    public enum Mode: Sendable, Equatable {
        /// The daemon: creates the log if missing, migrates it, writes.
        case readWrite
        /// `posturectl`: never creates or changes anything.
        case readOnly
    }

    /// The file's name in the state directory.
    public static let defaultFileName = "daylog.sqlite3"
    /// Where systemd's `StateDirectory=postured` puts it when `$STATE_DIRECTORY` is unset.
    public static let defaultStateDirectory = "/var/lib/postured"
    public static let defaultRetentionDays = 365
    /// `PRAGMA application_id` of a postured day log ("PSTD").
    public static let applicationID = DayLogSchema.applicationID
    public static var schemaVersion: Int { DayLogSchema.currentVersion }

    public let path: String
    public let mode: Mode
    let connection: SQLiteConnection

    private init(path: String, mode: Mode, connection: SQLiteConnection) {
        self.path = path
        self.mode = mode
        self.connection = connection
    }

    /// `stateDirectory/daylog.sqlite3`. The directory must exist: the daemon runs with
    /// systemd's `StateDirectory=`, and creating it here would hide a wrong path (a new,
    /// empty log somewhere nobody looks) instead of reporting it.
    public static func open(stateDirectory: String, mode: Mode) throws(StoreError) -> DayLog {
        try open(path: filePath(inStateDirectory: stateDirectory), mode: mode)
    }

    public static func filePath(inStateDirectory directory: String) -> String {
        directory.hasSuffix("/") ? directory + defaultFileName : directory + "/" + defaultFileName
    }

    /// Opens the log at `path`, refusing (with an error naming the file, and without writing
    /// to it) anything that is not a healthy postured day log:
    /// - not an SQLite database (another file, `SQLITE_NOTADB`);
    /// - another program's database (a different `application_id`, or none and some tables);
    /// - a damaged one (`PRAGMA quick_check` fails);
    /// - one written by a newer schema.
    /// In `.readWrite` mode a missing file is created (its directory must exist) and an older
    /// schema is migrated; in `.readOnly` mode a missing file is `StoreError.Kind.noDayLog`.
    public static func open(path: String, mode: Mode) throws(StoreError) -> DayLog {
        let finding = try DatabaseFileProbe.inspect(path, readOnly: mode == .readOnly)
        if case .database(let id) = finding, id != 0, id != applicationID {
            throw .foreign(path, applicationID: id, detail: "application_id \(hex(id)), postured's is \(hex(applicationID))")
        }
        // An existing file is checked through a read-only connection first, so a file that
        // turns out to be foreign is never opened for writing at all.
        var verified: SQLiteConnection?
        if finding != .missing && finding != .empty {
            let reader = try SQLiteConnection(path: path, access: .readOnly)
            let version = try verify(reader, path: path)
            if mode == .readOnly {
                if version == 0 { throw .noDayLog(path) }  // an empty database: the daemon has not written yet
                if version < DayLogSchema.currentVersion {
                    throw StoreError(
                        .sqlite, path: path, message: "schema version \(version) is older than this posturectl's \(DayLogSchema.currentVersion)",
                        advice: "start the new postured once: it upgrades the day log")
                }
                verified = reader
            }
        } else if mode == .readOnly {
            throw .noDayLog(path)
        }
        if let verified { return DayLog(path: path, mode: .readOnly, connection: verified) }

        let writer = try SQLiteConnection(path: path, access: .readWrite(create: finding == .missing))
        try prepareForWriting(writer, path: path)
        return DayLog(path: path, mode: .readWrite, connection: writer)
    }

    /// Checks identity, integrity and version; returns the schema version (0: an empty database).
    private static func verify(_ connection: SQLiteConnection, path: String) throws(StoreError) -> Int {
        let id = Int32(truncatingIfNeeded: try integerPragma(connection, "application_id"))
        if id == 0 {
            let tables = try strings(connection, "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
            if !tables.isEmpty {
                throw .foreign(path, applicationID: 0, detail: "no application_id; tables \(tables.prefix(5).joined(separator: ", "))")
            }
        } else if id != applicationID {
            throw .foreign(path, applicationID: id, detail: "application_id \(hex(id)), postured's is \(hex(applicationID))")
        }
        let check = try strings(connection, "PRAGMA quick_check")
        guard check == ["ok"] else {
            throw .corrupt(path, detail: "quick_check: " + check.prefix(3).joined(separator: "; "))
        }
        let version = try integerPragma(connection, "user_version")
        if version > DayLogSchema.currentVersion {
            throw StoreError(
                .newerSchema(found: version, supported: DayLogSchema.currentVersion), path: path,
                message: "written by a newer postured (schema \(version); this build knows up to \(DayLogSchema.currentVersion))",
                advice: "upgrade postured and posturectl; the log is left as it is")
        }
        return version
    }

    /// Page cache of the writing connection, KiB.
    static let daemonCacheKiB = 256

    /// Pragmas, creation or migration, and WAL, on the daemon's connection.
    private static func prepareForWriting(_ connection: SQLiteConnection, path: String) throws(StoreError) {
        try connection.execute("PRAGMA foreign_keys = ON")
        // A new log is created in the default rollback-journal mode, so the header (and its
        // application_id) is in the main file before WAL starts: a crash right after creation
        // leaves a file that is recognisably postured's.
        let version = try integerPragma(connection, "user_version")
        if version < DayLogSchema.currentVersion {
            try connection.transaction { () throws(StoreError) in
                if version == 0 { try connection.execute("PRAGMA application_id = \(applicationID)") }
                for step in version..<DayLogSchema.currentVersion { try connection.execute(DayLogSchema.migrations[step]) }
                try connection.execute("PRAGMA user_version = \(DayLogSchema.currentVersion)")
            }
        }
        let journal = try strings(connection, "PRAGMA journal_mode = WAL")
        guard journal == ["wal"] else {
            throw StoreError(
                .sqlite, path: path, message: "could not switch to WAL (journal_mode is \(journal.first ?? "unknown"))",
                advice: "the file system must support shared memory (not a network share)")
        }
        // FULL: every commit (one a minute) is on the card before the next minute starts, so a
        // power cut loses at most the minute in progress. NORMAL syncs the WAL only when it is
        // checkpointed (every ~1000 pages: hours of minutes), and a power cut, or the kernel
        // remounting a failing card read-only, lost all of them (`StorageFaultTests`: 0 of 20
        // minutes left). The price is one fdatasync a minute; the kernel writes the same pages
        // back within 30 s anyway, so the card does no more work.
        try connection.execute("PRAGMA synchronous = FULL")
        // The daemon writes a few rows a minute and reads almost nothing: SQLite's default
        // 2 MiB page cache would only hold memory it has no use for (RSS budget: 20 MB).
        try connection.execute("PRAGMA cache_size = -\(daemonCacheKiB)")
        connection.keepWALFilesOnClose()
    }

    // MARK: Small query helpers

    static func integerPragma(_ connection: SQLiteConnection, _ name: String) throws(StoreError) -> Int {
        var value = 0
        try connection.statement("PRAGMA \(name)").query { row in value = row.int(0) }
        return value
    }

    static func strings(_ connection: SQLiteConnection, _ sql: String) throws(StoreError) -> [String] {
        var values: [String] = []
        try connection.statement(sql).query { row in values.append(row.text(0)) }
        return values
    }

    private static func hex(_ id: Int32) -> String {
        let digits = String(UInt32(bitPattern: id), radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Transactions committed through this `DayLog` (one per `append`, `prune`, `save…`).
    public var committedTransactions: Int { connection.committedTransactions }

    func requireWritable() throws(StoreError) {
        guard mode == .readWrite else {
            throw StoreError(.accessDenied, path: path, message: "opened read-only", advice: "only postured writes the day log")
        }
    }
}

/// One owner at a time (see the type's comment): sharing across isolation domains is a compile error.
@available(*, unavailable)
extension DayLog: Sendable {}
