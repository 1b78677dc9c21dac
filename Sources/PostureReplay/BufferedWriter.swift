#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PostureCore

/// A problem writing an output file, naming it.
public struct OutputError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// Writes text to a file (or standard output) through a 256 KiB buffer, with a
/// deterministic fixed-decimal number formatter: outputs are golden-tested, so the
/// same value must print the same way on every machine.
public final class BufferedWriter {
    private static let capacity = 1 << 18
    public let path: String
    private let fd: Int32
    private var bytes: [UInt8] = []
    private let ownsDescriptor: Bool

    /// Creates (truncates) `path`; "-" writes to standard output.
    public init(path: String) throws(OutputError) {
        self.path = path
        if path == "-" {
            fd = 1
            ownsDescriptor = false
        } else {
            let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard opened >= 0 else {
                throw OutputError(path: path, message: "cannot create: \(String(cString: strerror(errno)))")
            }
            fd = opened
            ownsDescriptor = true
        }
        bytes.reserveCapacity(Self.capacity)
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(fd) }
    }

    public func write(_ text: String) throws(OutputError) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= Self.capacity { try flush() }
    }

    public func writeByte(_ byte: UInt8) { bytes.append(byte) }

    /// Appends `value` rounded to `decimals` places, without trailing-zero trimming
    /// (CSV columns stay aligned in width and golden files stay byte-stable).
    public func writeFixed(_ value: Double, decimals: Int) {
        bytes.appendFixed(value, decimals: decimals)
    }

    public func endLine() throws(OutputError) {
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= Self.capacity { try flush() }
    }

    public func flush() throws(OutputError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                bytes.removeAll(keepingCapacity: true)
                throw OutputError(path: path, message: "write failed: \(reason)")
            }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

private let powersOfTen: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

extension Array where Element == UInt8 {
    /// Appends `value` with exactly `decimals` fractional digits (0...9), rounding half
    /// away from zero; "-0.000" prints as "0.000". Values too large for a 64-bit
    /// fixed-point mantissa fall back to Swift's shortest representation.
    mutating func appendFixed(_ value: Double, decimals: Int) {
        let scale = powersOfTen[decimals]
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e18 else {
            append(contentsOf: String(describing: value).utf8)
            return
        }
        var units = UInt64(scaled)
        if value < 0, units != 0 { append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        Swift.withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(units % 10) + 48
                units /= 10
                count += 1
            } while units > 0 || count <= decimals
        }
        Swift.withUnsafeBytes(of: &digits) { d in
            for k in stride(from: count - 1, through: 0, by: -1) {
                append(d[k])
                if k == decimals, decimals > 0 { append(UInt8(ascii: ".")) }
            }
        }
    }
}

/// Formats a number for JSON output: rounded to `decimals` places, trailing zeros
/// trimmed, never "-0" (JSON lines are golden-tested).
public func jsonNumber(_ value: Double, decimals: Int = 3) -> String {
    guard value.isFinite else { return "null" }
    var bytes: [UInt8] = []
    bytes.appendFixed(value, decimals: decimals)
    if decimals > 0 {
        while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Quotes a string for JSON.
public func jsonString(_ s: String) -> String { JSONText.quoted(s) }
