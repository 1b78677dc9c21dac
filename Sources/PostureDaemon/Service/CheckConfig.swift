public import PostureConfig

/// `postured --check-config FILE`, and the same check when the daemon starts or reloads.
///
/// Every problem is reported, one line each, `FILE:LINE: key.path: what is wrong, what is
/// allowed` (a file that cannot be read at all: `FILE: cannot open: ...`), so that one edit
/// fixes them all. A good file gets one line on standard output, `FILE: no problems (2
/// sensors, 3 indicators)`, as every posturectl command says what it did; scripts test the
/// status.
public enum CheckConfig {
    /// Checks the file at `path`; prints its problems to stderr, or the all-clear to stdout.
    /// Returns 0 (`EX_OK`) or 78 (`EX_CONFIG`).
    public static func run(path: String) -> Int32 {
        run(path: path, fine: StandardStreams.writeToStandardOutput, report: StandardStreams.writeToStandardError)
    }

    /// As `run(path:)`, handing the whole report (problem lines, each ending in a newline) to
    /// `report` in one call, and the all-clear line to `fine`.
    public static func run(path: String, fine: (String) -> Void = { _ in }, report: (String) -> Void) -> Int32 {
        switch load(path: path) {
        case .success(let configuration):
            fine("\(path): no problems (\(counted(configuration.sensors.count, "sensor")), \(counted(configuration.indicators.count, "indicator")))\n")
            return ExitStatus.success
        case .failure(let errors):
            report(render(errors))
            return ExitStatus.config
        }
    }

    /// Loads the configuration for the daemon. `PostureConfiguration.load(path:)` under a name
    /// that says why the daemon uses this: on failure, log `render(errors)` and exit
    /// `ExitStatus.config` (at start), or keep the running configuration (on SIGHUP). The
    /// daemon checks the places it will write too (`[metrics] textfile_directory`).
    public static func load(path: String) -> Result<PostureConfiguration, ConfigErrors> {
        PostureConfiguration.load(path: path, checkingPlaces: true)
    }

    private static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The problems, one line each, each ending in a newline.
    public static func render(_ errors: ConfigErrors) -> String {
        errors.problems.map { $0.description + "\n" }.joined()
    }
}
