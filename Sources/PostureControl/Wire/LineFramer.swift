/// Splits a byte stream into newline-terminated lines, with a maximum line length.
///
/// Both the server (per client) and `posturectl` use it. Memory stays bounded: once a line
/// passes the limit its bytes are not kept, and `nextLine()` reports `.tooLong` once; the
/// server then answers `line_too_long` and closes the connection, since it cannot know
/// where the next request starts.
public struct LineFramer: Sendable {
    public enum Event: Equatable, Sendable {
        /// A complete line, without its newline (a trailing "\r" is removed too).
        case line([UInt8])
        /// A line exceeded `maxLineBytes`.
        case tooLong
    }

    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Bytes at the front of `buffer` already scanned for a newline.
    private var scanned = 0
    private var overflowed = false

    public init(maxLineBytes: Int = ControlProtocol.maxLineBytes) {
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes received but not yet part of a complete line.
    public var pendingByteCount: Int { buffer.count }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard !overflowed else { return }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line, `.tooLong`, or `nil` when more bytes are needed.
    public mutating func nextLine() -> Event? {
        if overflowed { return nil }
        if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
            guard newline <= maxLineBytes else { return overflow() }
            var line = Array(buffer[..<newline])
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            buffer.removeSubrange(...newline)
            scanned = 0
            return .line(line)
        }
        scanned = buffer.count
        return buffer.count > maxLineBytes ? overflow() : nil
    }

    private mutating func overflow() -> Event {
        overflowed = true
        buffer = []
        scanned = 0
        return .tooLong
    }
}
