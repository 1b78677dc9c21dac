internal import CSQLite

/// One SQLite connection: the only place in postured that calls `sqlite3_*` connection
/// functions (statements are in `SQLiteStatement`), so every result code is checked once and
/// turned into a `StoreError` naming the file.
///
/// Not `Sendable`: a connection is used by one thread at a time (opened with
/// `SQLITE_OPEN_NOMUTEX`), owned by one `DayLog`.
final class SQLiteConnection {
    enum Access {
        /// Read and write; `create` also creates the file if it is missing.
        case readWrite(create: Bool)
        case readOnly
    }

    let path: String
    private let handle: OpaquePointer
    /// Prepared statements by SQL text, compiled once and reused every minute.
    private var cache: [String: SQLiteStatement] = [:]
    private let commits = CommitCounter()

    /// How long a statement waits for another connection's lock before failing with
    /// `SQLITE_BUSY`: a reader's checkpoint or a second writer should never take this long.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    init(path: String, access: Access) throws(StoreError) {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX
        switch access {
        case .readWrite(let create): flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            // SQLite hands back a handle (to read the message from) even when opening fails.
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw SQLiteConnection.classify(code: code, message: message, path: path)
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        // The hook only counts: returning 0 lets every commit proceed.
        sqlite3_commit_hook(
            handle,
            { context in
                guard let context else { return 0 }
                Unmanaged<CommitCounter>.fromOpaque(context).takeUnretainedValue().count += 1
                return 0
            }, Unmanaged.passUnretained(commits).toOpaque())
    }

    deinit {
        cache.removeAll()  // statements finalize in their deinit, before the close
        sqlite3_commit_hook(handle, nil, nil)
        sqlite3_close_v2(handle)
    }

    /// Transactions committed on this connection so far (each write transaction counts once).
    var committedTransactions: Int { commits.count }

    /// Rows changed by INSERT/UPDATE/DELETE on this connection so far.
    var totalChanges: Int { Int(sqlite3_total_changes(handle)) }

    /// Runs SQL text without results (DDL, PRAGMA setters, BEGIN/COMMIT); may hold several statements.
    func execute(_ sql: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        let message = errorMessage.map { String(cString: $0) }
        sqlite3_free(errorMessage)
        guard code == SQLITE_OK else { throw failure(code, message: message) }
    }

    /// The prepared statement for `sql`, compiled on first use and cached for the connection's life.
    func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let cached = cache[sql] { return cached }
        var compiled: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &compiled, nil)
        guard code == SQLITE_OK, let compiled else { throw failure(code, message: nil) }
        let statement = SQLiteStatement(compiled, connection: self)
        cache[sql] = statement
        return statement
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back whole if it throws.
    /// `BEGIN IMMEDIATE` takes the write lock at once, so a busy database fails here, before any work.
    func transaction<Result>(_ body: () throws(StoreError) -> Result) throws(StoreError) -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // The rollback's own failure (e.g. SQLite already rolled back after SQLITE_FULL) is
            // less useful than the original error, which is what the caller needs to see.
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Keeps the `-wal` and `-shm` files when the last connection closes, so `posturectl` can
    /// open the log read-only even where it may not create files in the state directory.
    func keepWALFilesOnClose() {
        var persist: Int32 = 1
        _ = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
    }

    /// The error for a failed call on this connection, with SQLite's message.
    func failure(_ code: Int32, message: String?) -> StoreError {
        let extended = sqlite3_extended_errcode(handle)
        let text = message ?? String(cString: sqlite3_errmsg(handle))
        // sqlite3_exec reports the primary code; the handle holds the extended one when it matches.
        let reported = (extended & 0xff) == (code & 0xff) ? extended : code
        return Self.classify(code: reported, message: text, path: path)
    }

    /// Maps a result code to the error kind and the advice an administrator can act on.
    static func classify(code: Int32, message: String, path: String) -> StoreError {
        switch code & 0xff {
        case SQLITE_NOTADB:
            return .notADatabase(path, resultCode: code, detail: message)
        case SQLITE_CORRUPT:
            return .corrupt(path, resultCode: code, detail: message)
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            return StoreError(
                .accessDenied, path: path, resultCode: code, message: message,
                advice: "check that the state directory exists and that this user may read (and, for postured, write) it and the daylog files")
        case SQLITE_READONLY:
            return StoreError(
                .accessDenied, path: path, resultCode: code, message: message,
                advice: "the day log or its directory is not writable by this user (postured needs to write it)")
        case SQLITE_FULL:
            return StoreError(
                .sqlite, path: path, resultCode: code, message: message,
                advice: "the disk is full: free space; nothing stored was lost and the minute is retried")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(
                .sqlite, path: path, resultCode: code, message: message,
                advice: "another process held the day log longer than \(busyTimeoutMilliseconds) ms: is a second postured running?")
        case SQLITE_IOERR:
            return StoreError(
                .sqlite, path: path, resultCode: code, message: message,
                advice: "an I/O error: check the storage (dmesg; SD cards wear out)")
        default:
            return StoreError(.sqlite, path: path, resultCode: code, message: message, advice: "")
        }
    }
}

/// Counts commits from SQLite's commit hook. A class so the C callback gets a stable pointer;
/// touched only on the connection's thread, inside SQLite calls made by `SQLiteConnection`.
private final class CommitCounter {
    var count = 0
}
