/// Where `posturectl` looks for the day log: `--state-dir`, else `$STATE_DIRECTORY` (systemd
/// may set several, colon-separated: the first is postured's), else `/var/lib/postured`.
public enum StateDirectory {
    public static func resolve(flag: String?) -> String {
        resolve(flag: flag, environment: POSIX.environment("STATE_DIRECTORY"))
    }

    public static func resolve(flag: String?, environment: String?) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let environment, let first = environment.split(separator: ":").first, !first.isEmpty { return String(first) }
        return DayLog.defaultStateDirectory
    }
}
