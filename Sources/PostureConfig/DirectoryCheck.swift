#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the daemon could write into a directory, in the system's own words when not.
/// `access(W_OK)` rather than a trial file: it leaves nothing behind in a directory another
/// program reads (node_exporter would read a stray file), and it sees what the daemon will
/// meet: a read-only mount (EROFS, also systemd's ProtectSystem= for a path missing from
/// ReadWritePaths=) as well as permissions.
enum DirectoryCheck {
    /// Why `path` is no writable directory ("does not exist, ..."), or nil when it is one.
    static func writableProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return "does not exist, expected an existing directory (create it, or set \"\" for off)" }
            return "cannot be looked at: \(TextFile.errorText(code))"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "is not a directory, expected a directory" }
        guard access(path, W_OK | X_OK) == 0 else {
            return "is not writable by the daemon: \(TextFile.errorText(errno)); expected a directory it may write "
                + "(under systemd: ReadWritePaths= in postured.service, and its user or group may write it)"
        }
        return nil
    }
}
