internal import CSQLite

/// A value bound to a statement parameter.
enum SQLValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    static func real(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }
    static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
}

/// A prepared statement, cached by its `SQLiteConnection`. The only place that calls the
/// `sqlite3_bind_*`, `sqlite3_step` and `sqlite3_column_*` functions.
///
/// Use: `bind`, then `step()` until it returns false; `run`/`query` do both and reset the
/// statement afterwards so the next use starts clean and no read transaction is left open.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to parameters 1, 2, … in order.
    func bind(_ values: [SQLValue]) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
            case .real(let v): code = v.isFinite ? sqlite3_bind_double(handle, index, v) : sqlite3_bind_null(handle, index)
            case .text(let v): code = sqlite3_bind_text(handle, index, v, -1, csqlite_transient())
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw connection.failure(code, message: nil) }
        }
    }

    /// Advances to the next row: true if there is one, false when done.
    func step() throws(StoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure(code, message: nil)
        }
    }

    /// Clears bindings and rewinds, ending any read the statement held open.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Executes a statement that returns no rows.
    func run(_ values: [SQLValue] = []) throws(StoreError) {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// Executes a query and hands each row to `row`.
    func query(_ values: [SQLValue] = [], row: (SQLiteStatement) throws(StoreError) -> Void) throws(StoreError) {
        defer { reset() }
        try bind(values)
        while try step() { try row(self) }
    }

    // MARK: Columns of the current row (0-based)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(int64(column)) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: bytes)
    }
}
