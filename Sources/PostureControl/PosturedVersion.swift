/// The version of postured and posturectl (`--version`, `status`, the log's `daemon_start`);
/// `make deb` takes the package version from here.
public enum PosturedVersion {
    public static let string = "0.1.0"
}
