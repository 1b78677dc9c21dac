#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole text file with plain POSIX calls: the error is then the system's own words
/// ("No such file or directory", "Permission denied"), which is what an administrator needs.
public enum TextFile {
    public struct Failure: Error {
        public var message: String
    }

    /// A configuration file is small; anything larger is a mistake (a wrong path to a log or a device).
    static let maximumBytes = 1 << 20

    public static func contents(of path: String) -> Result<String, Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Failure(message: "cannot open: \(errorText(errno))")) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(message: "cannot read: \(errorText(errno))"))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maximumBytes {
                return .failure(Failure(message: "is larger than \(maximumBytes / 1024) KiB; is this the configuration file?"))
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure(message: "is not valid UTF-8 text"))
        }
        return .success(text)
    }

    /// strerror, for every system call of this module.
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
