import PostureConfig
import XCTest

/// `[metrics] textfile_directory`: off by default, an absolute path or "", and the
/// directory itself looked at only when the daemon loads the file (`checkingPlaces`).
final class MetricsSectionTests: XCTestCase {
    func testOffByDefault() {
        XCTAssertEqual(configuration("")?.metrics, MetricsConfiguration())
        XCTAssertEqual(configuration("[metrics]\ntextfile_directory = \"\"\n")?.metrics.isEnabled, false)
    }

    func testAnAbsolutePathTurnsItOn() {
        let metrics = configuration("[metrics]\ntextfile_directory = \"/var/lib/prometheus/node-exporter\"\n")?.metrics
        XCTAssertEqual(metrics?.textfileDirectory, "/var/lib/prometheus/node-exporter")
        XCTAssertEqual(metrics?.isEnabled, true)
    }

    func testWrongValuesNameTheKeyAndWhatIsAllowed() {
        XCTAssertEqual(problems("[metrics]\ntextfile_directory = \"node-exporter\"\n"), [
            "postured.toml:2: metrics.textfile_directory: \"node-exporter\" is not an absolute path, expected an absolute path to node_exporter's textfile directory",
        ])
        let wrongType = problems("[metrics]\ntextfile_directory = 3\n")
        XCTAssertEqual(wrongType.count, 1)
        XCTAssertTrue(wrongType.first?.contains("metrics.textfile_directory: 3 is an integer, expected an absolute path to node_exporter's textfile directory, or \"\" for off") ?? false, "\(wrongType)")
        XCTAssertTrue(problems("[metrics]\ntextfile_dir = \"/x\"\n").first?.contains("did you mean 'textfile_directory'") ?? false,
                      "\(problems("[metrics]\ntextfile_dir = \"/x\"\n"))")
    }

    /// `posturectl replay --config` reads the daemon's file on another machine: only the
    /// daemon's own load looks at the directory.
    func testTheDirectoryIsLookedAtOnlyWhenAsked() {
        let text = "[metrics]\ntextfile_directory = \"/nonexistent/postured-metrics\"\n"
        XCTAssertNotNil(configuration(text))
        guard case .failure(let errors) = PostureConfiguration.parse(text: text, fileName: "postured.toml", checkingPlaces: true) else {
            return XCTFail("a missing directory was accepted")
        }
        XCTAssertEqual(errors.problems.map(\.description), [
            "postured.toml:2: metrics.textfile_directory: \"/nonexistent/postured-metrics\" does not exist, expected an existing directory (create it, or set \"\" for off)",
        ])
        let existing = "[metrics]\ntextfile_directory = \"/tmp\"\n"
        guard case .success = PostureConfiguration.parse(text: existing, fileName: "postured.toml", checkingPlaces: true) else {
            return XCTFail("the temporary directory was refused")
        }
    }
}
