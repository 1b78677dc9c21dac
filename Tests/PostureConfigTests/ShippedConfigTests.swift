import Foundation
import PostureConfig
import PostureCore
import XCTest

/// `config/postured.toml` documents every option at its default; these tests keep the file
/// and the code from drifting apart.
final class ShippedConfigTests: XCTestCase {
    /// `config/postured.toml` in this checkout, found from this source file's path.
    private var shippedPath: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/postured.toml").path
    }

    func testShippedFileDecodesToTheDefaults() throws {
        switch PostureConfiguration.load(path: shippedPath) {
        case .success(let configuration):
            XCTAssertEqual(configuration, PostureConfiguration())
        case .failure(let errors):
            XCTFail("the shipped file has problems:\n\(errors)")
        }
    }

    /// The examples (lines starting `#` then a non-space: `#[[sensor]]`, `#line = "GPIO17"`)
    /// must be valid too, and the commented indicator must show every default but its line.
    func testShippedExamplesAreValidWhenUncommented() throws {
        let text = try String(contentsOfFile: shippedPath, encoding: .utf8)
        var uncommented = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard line.hasPrefix("#"), let next = line.dropFirst().first, next != " ", next != "#" else { return line }
            uncommented += 1
            return line.dropFirst()
        }
        XCTAssertGreaterThan(uncommented, 10)
        switch PostureConfiguration.parse(text: lines.joined(separator: "\n"), fileName: "postured.toml (examples)") {
        case .success(let configuration):
            var expected = PostureConfiguration()
            expected.sensors[0].dataReady = GPIOLineSpec(chip: "gpiochip0", line: .offset(27))
            expected.sensors.append(SensorConfiguration(address: .fixed(0x69)))
            expected.indicators = [IndicatorConfiguration(gpio: GPIOLineSpec(line: .name("GPIO17")))]
            expected.button = ButtonConfiguration(gpio: GPIOLineSpec(line: .name("GPIO22")))
            XCTAssertEqual(configuration, expected)
        case .failure(let errors):
            XCTFail("the shipped examples have problems:\n\(errors)")
        }
    }

    /// Every key the code reads appears in the shipped file (active or as an example), so a new
    /// option cannot be added without documenting it.
    func testShippedFileNamesEveryKey() throws {
        let text = try String(contentsOfFile: shippedPath, encoding: .utf8)
        let keys = [
            "rate_hz", "pacing", "realtime_priority", "lock_memory",
            "bus", "address", "chip", "mount", "accel_range_g", "gyro_range_dps", "lowpass_hz", "data_ready",
            "kind", "line", "active_low", "reasons", "slouch", "sitting_too_long",
            "state_directory", "retention_days", "socket", "group", "level",
            "bias", "long_press_s", "double_press_window_s",
        ] + IndicatorCue.allCases.map(\.rawValue) + policyKeys
        for key in keys {
            XCTAssertTrue(text.contains("\n\(key) = ") || text.contains("\n#\(key) = "), "\(key) is not in the shipped file")
        }
    }

    private var policyKeys: [String] {
        [
            .slouchPelvicTiltThreshold, .slouchLumbarFlexionThreshold, .slouchHold, .slouchRepeatInterval,
            .slouchRecoveryFraction, .slouchRecoveryGrace, .sittingBreakMinimum, .sittingTooLongAfter,
            .sittingTooLongRepeatInterval, .defaultSnoozeDuration, .quietHours, .dailyNudgeCap,
        ].map { (key: PolicyConfiguration.CodingKeys) in key.rawValue }
    }
}
