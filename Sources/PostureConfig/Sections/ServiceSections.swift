/// `[store]`: the day log.
public struct StoreConfiguration: Sendable, Equatable {
    public static let retentionRange = 1...3650

    /// Where the SQLite day log lives; created with the daemon's user as owner.
    public var stateDirectory: String
    /// Days of history kept; older days are deleted at the start of each day.
    public var retentionDays: Int

    public init(stateDirectory: String = "/var/lib/postured", retentionDays: Int = 365) {
        self.stateDirectory = stateDirectory
        self.retentionDays = retentionDays
    }

    init(reading reader: inout SectionReader) {
        let defaults = StoreConfiguration()
        self.init(
            stateDirectory: reader.read("state_directory", .absolutePath("a directory"), default: defaults.stateDirectory),
            retentionDays: reader.read("retention_days", .integer(in: Self.retentionRange), default: defaults.retentionDays))
    }
}

/// `[control]`: the Unix socket `posturectl` talks to.
public struct ControlConfiguration: Sendable, Equatable {
    public var socketPath: String
    /// Members of this group may use the socket (mode 0660).
    public var group: String

    public init(socketPath: String = "/run/postured/control.sock", group: String = "postured") {
        self.socketPath = socketPath
        self.group = group
    }

    init(reading reader: inout SectionReader) {
        let defaults = ControlConfiguration()
        self.init(
            socketPath: reader.read("socket", .socketPath("a Unix socket"), default: defaults.socketPath),
            group: reader.read("group", .groupName, default: defaults.group))
    }
}

/// `[log]`.
public struct LogConfiguration: Sendable, Equatable {
    /// syslog's severities, the ones a daemon uses; each includes those above it.
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case error, warning, notice, info, debug

        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    public var level: Level

    public init(level: Level = .info) {
        self.level = level
    }

    init(reading reader: inout SectionReader) {
        self.init(level: reader.read("level", .choice, default: LogConfiguration().level))
    }
}

extension ValueRule where Output == String {
    /// A POSIX-portable group name (what `groupadd` accepts by default).
    static var groupName: ValueRule<String> {
        let expected = "a group name (lower-case letters, digits, '_' or '-', starting with a letter or '_', at most 32)"
        return string(expected).checked { name, value in
            let scalars = Array(name.unicodeScalars)
            let valid = scalars.count <= 32
                && scalars.enumerated().allSatisfy { index, scalar in
                    ("a"..."z").contains(scalar) || scalar == "_" || (index > 0 && (("0"..."9").contains(scalar) || scalar == "-"))
                }
            return valid ? nil : "\(value.rendered) is not a valid group name, expected \(expected)"
        }
    }
}
