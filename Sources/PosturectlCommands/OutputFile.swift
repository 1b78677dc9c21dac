#if canImport(Glibc)
import Glibc
#endif

/// Writing a whole output file (a report page, a chart) so that a reader never sees half of it
/// and a mistake never costs stored data: written next to the target and renamed over it, and
/// refused when the target is the day log or one of SQLite's files beside it.
enum OutputFile {
    static func replace(_ path: String, with text: String, option: String, protecting dayLog: String) throws {
        let target = canonical(path)
        let protected = canonical(dayLog)
        for suffix in ["", "-wal", "-shm", "-journal"] where target == protected + suffix {
            throw CommandFailure("\(option) '\(path)': that is the day log (\(dayLog + suffix)); choose another file")
        }
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(option, path, errno) }
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw failure(option, path, code)
            }
            written += result
        }
        bytes.removeAll()
        guard close(descriptor) == 0, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(option, path, code)
        }
    }

    /// `path` resolved (symbolic links, `..`); as given when it does not exist yet, with its
    /// directory resolved.
    static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(directory.isEmpty ? "/" : directory, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }

    static func failure(_ option: String, _ path: String, _ code: Int32) -> CommandFailure {
        CommandFailure("\(option) '\(path)': cannot write: \(String(cString: strerror(code)))")
    }
}
