#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small text file line by line (ground truth, goldens). Not for the hot path.
final class LineReader {
    private var lines: [Substring]
    private var next = 0
    private(set) var lineNumber = 0

    init(path: String) throws(IMUCSVError) {
        guard let file = fopen(path, "r") else {
            throw IMUCSVError(path: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
    }

    func nextLine() throws(IMUCSVError) -> String? {
        guard next < lines.count else { return nil }
        defer { next += 1 }
        lineNumber = next + 1
        var line = lines[next]
        if line.hasSuffix("\r") { line = line.dropLast() }
        return String(line)
    }
}

/// The names in `directory`, or none if it cannot be read.
func listDirectory(_ directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
