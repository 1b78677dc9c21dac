public import Logging
public import PostureConfig
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler writing one line per message to stderr, as systemd's journal wants it.
///
/// Under journald (stderr is the stream named by `$JOURNAL_STREAM`) each line starts with
/// the sd-daemon priority prefix and carries no timestamp (the journal adds its own):
///
///     <4>loop: sensor 0 faulted code=nack retry_s=0.5
///
/// At a terminal (the demo, `--foreground`) it gets a local wall-clock timestamp and the
/// level's name instead:
///
///     2025-06-02T09:14:03.512+0200 warning loop: sensor 0 faulted code=nack retry_s=0.5
///
/// Metadata (handler, provider, then message, later keys winning) is appended sorted by key
/// as `key=value`, the value quoted when it holds spaces, quotes, '=' or nothing. Control
/// characters in the message and values are escaped (`\n`), so a message is always exactly
/// one line: journald would otherwise log its second line as a separate entry at the
/// default priority. Each line is handed to the sink whole, and the standard sink writes it
/// with one `write(2)`, so lines from concurrent threads never interleave.
public struct JournalLogHandler: LogHandler {
    public enum Format: Sendable, Equatable {
        /// `<N>` priority prefix, no timestamp.
        case journal
        /// Timestamp and level name.
        case terminal

        /// `.journal` when stderr is the journal stream named by `$JOURNAL_STREAM`
        /// ("DEVICE:INODE" of the stream; compared with `fstat(2)` of stderr as sd-daemon(3)
        /// recommends, since a child with redirected stderr may inherit the variable).
        public static func detect(
            environment: [String: String] = ProcessEnvironment.current(), descriptor: Int32 = 2
        ) -> Format {
            guard let stream = environment["JOURNAL_STREAM"] else { return .terminal }
            let parts = stream.split(separator: ":")
            guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .terminal }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return .terminal }
            return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode ? .journal : .terminal
        }
    }

    /// Where finished lines go; each call gets one whole line ending in "\n".
    public struct Sink: Sendable {
        public var write: @Sendable (String) -> Void

        public init(write: @escaping @Sendable (String) -> Void) {
            self.write = write
        }

        /// stderr, one `write(2)` per line.
        public static let standardError = Sink { StandardStreams.writeToStandardError($0) }
    }

    public let label: String
    public let format: Format
    public let sink: Sink
    /// Makes the terminal timestamp; injectable for tests.
    public let timestamp: @Sendable () -> String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The level shared by every handler made by one `factory` (so SIGHUP can change
    /// `[log] level` for loggers that already exist), until `logLevel` is set on this
    /// handler's logger, which then keeps its own (swift-log's value semantics).
    private let sharedLevel: LogLevelSwitch
    private var ownLevel: Logger.Level?

    public var logLevel: Logger.Level {
        get { ownLevel ?? sharedLevel.level }
        set { ownLevel = newValue }
    }

    public init(
        label: String,
        level: LogLevelSwitch,
        format: Format,
        sink: Sink = .standardError,
        timestamp: @escaping @Sendable () -> String = JournalLogHandler.wallClockTimestamp,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.sharedLevel = level
        self.format = format
        self.sink = sink
        self.timestamp = timestamp
        self.metadataProvider = metadataProvider
    }

    /// For `LoggingSystem.bootstrap`, once, first thing in `main`:
    ///
    /// ```swift
    /// let logLevel = LogLevelSwitch(.info)
    /// LoggingSystem.bootstrap(JournalLogHandler.factory(level: logLevel,
    ///     format: options.foreground ? .terminal : .detect()))
    /// // after loading the configuration, and on every reload:
    /// logLevel.set(configuration.log.level)
    /// ```
    public static func factory(
        level: LogLevelSwitch, format: Format, sink: Sink = .standardError
    ) -> @Sendable (String, Logger.MetadataProvider?) -> any LogHandler {
        { label, provider in
            JournalLogHandler(label: label, level: level, format: format, sink: sink, metadataProvider: provider)
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = .string(String(describing: error))
        }
        sink.write(line(level: event.level, message: event.message.description, metadata: merged))
    }

    /// The whole text for one message, each line ending in "\n". A message of several lines
    /// (a configuration's problems, one a line) is several lines here, each with the message's
    /// own prefix and the later ones indented, so nothing in a message can pass for a line of
    /// another priority or source; metadata follows the first line, escaped to stay on it.
    func line(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var prefix: String
        switch format {
        case .journal:
            prefix = "<\(Self.priority(level))>"
        case .terminal:
            prefix = timestamp() + " " + level.rawValue + " "
        }
        if !label.isEmpty {
            prefix += label + ": "
        }
        let lines = message.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        var text = prefix
        Self.appendEscaped(String(lines[0]), to: &text)
        appendMetadata(metadata, to: &text)
        for continuation in lines.dropFirst() where !continuation.isEmpty {
            text += prefix + "  "
            Self.appendEscaped(String(continuation), to: &text)
            text += "\n"
        }
        return text
    }

    private func appendMetadata(_ metadata: Logger.Metadata, to text: inout String) {
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            text += " "
            Self.appendEscaped(key, to: &text)
            text += "="
            Self.appendValue(Self.render(value), to: &text)
        }
        text += "\n"
    }

    /// The syslog priority (sd-daemon(3) `SD_ERR` ...) of a swift-log level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    private static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let items): "[" + items.map(render).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.keys.sorted().map { "\($0)=\(entries[$0].map(render) ?? "")" }.joined(separator: ",") + "}"
        }
    }

    private static func appendValue(_ value: String, to text: inout String) {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" }
        guard needsQuotes else {
            appendEscaped(value, to: &text)
            return
        }
        text += "\""
        appendEscaped(escapingBackslashesAndQuotes(value), to: &text)
        text += "\""
    }

    /// `\` and `"` preceded by a backslash. By hand rather than `replacing(_:with:)`, which is
    /// _StringProcessing's (the regex engine) and would be the daemon's only use of it.
    private static func escapingBackslashesAndQuotes(_ value: String) -> String {
        // By scalar: a quote followed by a combining mark is one Character that equals no quote.
        var escaped = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if scalar == "\\" || scalar == "\"" { escaped.append("\\") }
            escaped.append(scalar)
        }
        return String(escaped)
    }

    /// Control characters as escapes: `\n`, `\r`, `\t`, else `\u{1b}`. Never a line break.
    private static func appendEscaped(_ string: String, to text: inout String) {
        guard string.unicodeScalars.contains(where: isControl) else {
            text += string
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where isControl(scalar): text += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: text.unicodeScalars.append(scalar)
            }
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// Local wall-clock time, `2025-06-02T09:14:03.512+0200`. Only for people reading a
    /// terminal: before the clock is synchronised (a Pi has no RTC) it may be far off.
    @Sendable public static func wallClockTimestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "?" }
        var buffer = [CChar](repeating: 0, count: 40)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        var zone = [CChar](repeating: 0, count: 8)
        let zoneCount = strftime(&zone, zone.count, "%z", &parts)
        let base = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let offset = String(decoding: zone[..<zoneCount].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let milliseconds = Int(now.tv_nsec) / 1_000_000
        let fraction = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return base + "." + fraction + offset
    }
}

/// The log level of every handler one `JournalLogHandler.factory` makes: set it after the
/// configuration is loaded and again on each reload. An atomic, so any thread may read it.
public final class LogLevelSwitch: Sendable {
    private let raw: Atomic<Int>

    public init(_ level: Logger.Level = .info) {
        raw = Atomic(Self.levels.firstIndex(of: level) ?? 0)
    }

    public var level: Logger.Level {
        let index = raw.load(ordering: .relaxed)
        return Self.levels.indices.contains(index) ? Self.levels[index] : .info
    }

    public func set(_ level: Logger.Level) {
        raw.store(Self.levels.firstIndex(of: level) ?? 0, ordering: .relaxed)
    }

    /// `[log] level` of the configuration.
    public func set(_ level: LogConfiguration.Level) {
        set(Logger.Level(level))
    }

    private static let levels = Logger.Level.allCases
}

extension Logger.Level {
    /// The swift-log level of a configured `[log] level`.
    public init(_ level: LogConfiguration.Level) {
        switch level {
        case .error: self = .error
        case .warning: self = .warning
        case .notice: self = .notice
        case .info: self = .info
        case .debug: self = .debug
        }
    }
}
