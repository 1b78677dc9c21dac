#if canImport(Glibc)
import Glibc
#endif
import PostureStore

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
        // A device or a pipe (/dev/stdout, a FIFO) is written as it is: renaming a new file over
        // it would replace the device itself (as root, /dev/null would become a plain file).
        var status = stat()
        if stat(target, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            guard (status.st_mode & S_IFMT) != S_IFDIR else {
                throw CommandFailure("\(option) '\(path)': is a directory; expected a file name")
            }
            let descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure(option, path, errno) }
            try write(text, to: descriptor, option: option, path: path)
            close(descriptor)
            return
        }
        // Beside the file it replaces (a link's target, not the link), so the rename stays on
        // one file system.
        do { try AtomicFile.replace(target, with: Array(text.utf8)) } catch { throw failure(option, path, error.code) }
    }

    private static func write(_ text: String, to descriptor: Int32, option: String, path: String) throws {
        do { try AtomicFile.writeAll(Array(text.utf8), to: descriptor) } catch { throw failure(option, path, error.code) }
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
