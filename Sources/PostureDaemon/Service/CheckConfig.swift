public import PostureConfig

/// `postured --check-config FILE`, and the same check when the daemon starts or reloads.
///
/// Every problem is reported, one line each, `FILE:LINE: key.path: what is wrong, what is
/// allowed` (a file that cannot be read at all: `FILE: cannot open: ...`), so that one edit
/// fixes them all. Nothing is printed for a good file (`sshd -t` style), so scripts can test
/// the status alone.
public enum CheckConfig {
    /// Checks the file at `path`; prints its problems to stderr. Returns 0 (`EX_OK`) or 78 (`EX_CONFIG`).
    public static func run(path: String) -> Int32 {
        run(path: path, report: StandardStreams.writeToStandardError)
    }

    /// As `run(path:)`, handing the whole report (problem lines, each ending in a newline) to
    /// `report` in one call.
    public static func run(path: String, report: (String) -> Void) -> Int32 {
        switch load(path: path) {
        case .success:
            return ExitStatus.success
        case .failure(let errors):
            report(render(errors))
            return ExitStatus.config
        }
    }

    /// Loads the configuration for the daemon. `PostureConfiguration.load(path:)` under a name
    /// that says why the daemon uses this: on failure, log `render(errors)` and exit
    /// `ExitStatus.config` (at start), or keep the running configuration (on SIGHUP).
    public static func load(path: String) -> Result<PostureConfiguration, ConfigErrors> {
        PostureConfiguration.load(path: path)
    }

    /// The problems, one line each, each ending in a newline.
    public static func render(_ errors: ConfigErrors) -> String {
        errors.problems.map { $0.description + "\n" }.joined()
    }
}
