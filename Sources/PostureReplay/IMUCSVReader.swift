public import PostureCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams `IMUSample`s out of an IMU CSV v1 file (see the architecture note).
///
/// Reads in fixed 1 MiB chunks, so a two-hour recording never sits in memory, and
/// validates as it goes: every error names the file, the line and the column.
public final class IMUCSVReader {
    public static let header = "t,sensor,ax,ay,az,gx,gy,gz"
    public static let columns = ["t", "sensor", "ax", "ay", "az", "gx", "gy", "gz"]
    private static let chunkSize = 1 << 20

    public let path: String
    /// Comment lines seen so far (without the leading '#'), e.g. the source of a recording.
    public private(set) var comments: [String] = []
    /// The 1-based number of the last line read.
    public private(set) var lineNumber = 0

    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var sawHeader = false
    private var lastT: [Double] = Array(repeating: -.infinity, count: SensorIndex.count)
    private var lastTLine: [Int] = Array(repeating: 0, count: SensorIndex.count)

    /// Opens `path` ("-" for standard input).
    public init(path: String) throws(IMUCSVError) {
        self.path = path
        if path == "-" {
            fd = 0
        } else {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else {
                let reason = String(cString: strerror(errno))
                throw IMUCSVError(path: path, line: nil, message: "cannot open: \(reason)")
            }
            fd = opened
        }
        capacity = Self.chunkSize
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        if fd > 0 { close(fd) }
        buffer.deallocate()
    }

    /// The next sample, or `nil` at the end of the file.
    public func next() throws(IMUCSVError) -> IMUSample? {
        while true {
            guard let (lineStart, lineEnd) = try nextLine() else {
                if !sawHeader {
                    throw IMUCSVError(path: path, line: nil, message: "no header line; expected '\(Self.header)'")
                }
                return nil
            }
            var stop = lineEnd
            if stop > lineStart, buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            if stop == lineStart { continue }  // blank line
            if buffer[lineStart] == UInt8(ascii: "#") {
                comments.append(String(decoding: UnsafeBufferPointer(start: buffer + lineStart + 1, count: stop - lineStart - 1), as: UTF8.self).trimmingLeadingSpace())
                continue
            }
            if !sawHeader {
                let text = String(decoding: UnsafeBufferPointer(start: buffer + lineStart, count: stop - lineStart), as: UTF8.self)
                guard text.filter({ $0 != " " }) == Self.header else {
                    throw IMUCSVError(path: path, line: lineNumber, message: "header is '\(text)'; expected '\(Self.header)'")
                }
                sawHeader = true
                continue
            }
            return try parseRow(from: lineStart, to: stop)
        }
    }

    /// Reads every remaining sample (tests and small files).
    public func readAll() throws(IMUCSVError) -> [IMUSample] {
        var samples: [IMUSample] = []
        while let s = try next() { samples.append(s) }
        return samples
    }

    // MARK: - Parsing

    private func parseRow(from lineStart: Int, to stop: Int) throws(IMUCSVError) -> IMUSample {
        var values = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        var field = 0
        var fieldStart = lineStart
        var i = lineStart
        while i <= stop {
            if i == stop || buffer[i] == UInt8(ascii: ",") {
                guard field < 8 else {
                    throw IMUCSVError(path: path, line: lineNumber, message: "more than 8 fields; expected '\(Self.header)'")
                }
                let value = try parseField(field, from: fieldStart, to: i)
                withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: value, toByteOffset: field * 8, as: Double.self) }
                field += 1
                fieldStart = i + 1
            }
            i += 1
        }
        guard field == 8 else {
            throw IMUCSVError(
                path: path, line: lineNumber, column: Self.columns[field],
                message: "missing; the row has \(field) of 8 fields '\(Self.header)'")
        }
        let sensor = Int(values.1)
        let t = values.0
        guard t > lastT[sensor] else {
            throw IMUCSVError(
                path: path, line: lineNumber, column: "t",
                message: "time \(t) does not increase for sensor \(sensor) (line \(lastTLine[sensor]) had \(lastT[sensor]))")
        }
        lastT[sensor] = t
        lastTLine[sensor] = lineNumber
        return IMUSample(
            t: t, sensor: sensor,
            accel: Vector3(values.2, values.3, values.4),
            gyro: Vector3(values.5, values.6, values.7))
    }

    private func parseField(_ field: Int, from a: Int, to b: Int) throws(IMUCSVError) -> Double {
        var a = a
        var b = b
        while a < b, buffer[a] == UInt8(ascii: " ") { a += 1 }
        while b > a, buffer[b - 1] == UInt8(ascii: " ") { b -= 1 }
        let bytes = UnsafeBufferPointer(start: buffer + a, count: b - a)
        if field == 1 {
            // The sensor index: a small non-negative integer naming a known sensor.
            if bytes.count == 1, bytes[0] &- 48 < UInt8(SensorIndex.count) { return Double(bytes[0] &- 48) }
            let text = String(decoding: bytes, as: UTF8.self)
            throw IMUCSVError(
                path: path, line: lineNumber, column: "sensor",
                message: "unknown sensor index '\(text)'; expected 0 (pelvis) or 1 (upper lumbar)")
        }
        if let v = DecimalParser.parse(bytes) { return v }
        let text = String(decoding: bytes, as: UTF8.self)
        let what = text.isEmpty ? "empty" : "'\(text)' is not a finite number"
        let unit = field == 0 ? "seconds" : (field < 5 ? "m/s²" : "rad/s")
        throw IMUCSVError(
            path: path, line: lineNumber, column: Self.columns[field],
            message: "\(what); expected a finite decimal number in \(unit)")
    }

    // MARK: - Buffering

    /// The next line's byte range in `buffer` (without the newline), refilling as needed.
    private func nextLine() throws(IMUCSVError) -> (Int, Int)? {
        var scan = start
        while true {
            if let nl = findNewline(from: scan) {
                let line = (start, nl)
                start = nl + 1
                lineNumber += 1
                return line
            }
            if atEOF {
                guard start < end else { return nil }
                let line = (start, end)  // last line without a newline
                start = end
                lineNumber += 1
                return line
            }
            scan = end - start  // resume the search after what was already scanned
            try refill()
            scan += start
        }
    }

    private func findNewline(from index: Int) -> Int? {
        var i = index
        while i < end {
            if buffer[i] == UInt8(ascii: "\n") { return i }
            i += 1
        }
        return nil
    }

    /// Moves the unread tail to the front and reads more; grows the buffer for a very long line.
    private func refill() throws(IMUCSVError) {
        let pending = end - start
        if start > 0 {
            (buffer).update(from: buffer + start, count: pending)
            start = 0
            end = pending
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw IMUCSVError(path: path, line: lineNumber + 1, message: "read failed: \(reason)")
            }
            if n == 0 { atEOF = true }
            end += n
            return
        }
    }
}

extension String {
    fileprivate func trimmingLeadingSpace() -> String {
        String(drop(while: { $0 == " " }))
    }
}
