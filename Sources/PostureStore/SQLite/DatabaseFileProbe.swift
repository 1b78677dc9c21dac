/// Looks at the day log's file with plain reads before SQLite opens it, so a foreign file is
/// refused without SQLite ever opening it for writing (SQLite would, for example, roll back a
/// hot journal it found beside someone else's database).
enum DatabaseFileProbe {
    enum Finding: Equatable {
        /// No file: a new day log may be created (read-write mode only).
        case missing
        /// A zero-length file: SQLite treats it as an empty database, so nothing can be lost.
        case empty
        /// An SQLite database; `applicationID` as its header says (0 = never set).
        case database(applicationID: Int32)
    }

    /// The 100-byte database header starts with this string and a NUL (SQLite file format §1.3).
    static let magic = Array("SQLite format 3".utf8) + [0]
    static let headerSize = 100
    static let applicationIDOffset = 68

    static func inspect(_ path: String, readOnly: Bool) throws(StoreError) -> Finding {
        let directory = POSIX.directory(of: path)
        switch POSIX.fileType(directory) {
        case .success(.directory): break
        case .success(.missing): throw readOnly ? .noDayLog(path) : .stateDirectoryMissing(directory, detail: "\(directory) does not exist")
        case .success: throw .stateDirectoryMissing(directory, detail: "\(directory) is not a directory")
        case .failure(let failure): throw accessFailure(directory, failure)
        }
        switch POSIX.fileType(path) {
        case .success(.missing): if readOnly { throw .noDayLog(path) } else { return .missing }
        case .success(.regular): break
        case .success: throw .notADatabase(path, detail: "not a regular file")
        case .failure(let failure): throw accessFailure(path, failure)
        }
        let header: [UInt8]
        switch POSIX.readPrefix(path, count: headerSize) {
        case .success(let bytes): header = bytes
        case .failure(let failure): throw accessFailure(path, failure)
        }
        if header.isEmpty { return .empty }
        guard header.count == headerSize, Array(header[0..<magic.count]) == magic else {
            throw .notADatabase(path, detail: "its first bytes are not the SQLite header")
        }
        let id = header[applicationIDOffset..<applicationIDOffset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return .database(applicationID: Int32(bitPattern: id))
    }

    private static func accessFailure(_ path: String, _ failure: SystemFailure) -> StoreError {
        StoreError(
            .accessDenied, path: path, message: "cannot read: \(failure.message)",
            advice: failure.isPermissionDenied
                ? "run as the daemon's user, or as a member of its group (the state directory must be readable)"
                : "")
    }
}
