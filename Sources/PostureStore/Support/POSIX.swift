#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the store needs, with the system's own words for errors.
enum POSIX {
    enum FileType { case missing, directory, regular, other }

    /// What is at `path` (following symlinks), or the errno text if it cannot be looked at.
    static func fileType(_ path: String) -> Result<FileType, SystemFailure> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .success(.missing) : .failure(SystemFailure(code: code))
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .success(.directory)
        case S_IFREG: return .success(.regular)
        default: return .success(.other)
        }
    }

    /// Up to `count` bytes from the start of the file, read without modifying anything.
    static func readPrefix(_ path: String, count: Int) -> Result<[UInt8], SystemFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(SystemFailure(code: errno)) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SystemFailure(code: errno))
            }
            if n == 0 { break }
            filled += n
        }
        return .success(Array(bytes[0..<filled]))
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The directory part of a path ("." for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }
}

/// A failed system call: errno and its text.
struct SystemFailure: Error {
    var code: Int32

    var isPermissionDenied: Bool { code == EACCES || code == EPERM }

    var message: String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
