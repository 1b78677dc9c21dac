import PostureConfig
import PostureCore
import XCTest

/// `[button]` (issue 14) and the indicators' cue patterns it plays.
final class ButtonConfigTests: XCTestCase {
    func testNoButtonByDefault() {
        XCTAssertNil(configuration("")?.button)
    }

    func testEveryKeyIsRead() {
        let text = """
            [button]
            chip = "cp2112_gpio"
            line = 4
            active_low = false
            bias = "as-is"
            long_press_s = 1.5
            double_press_window_s = 0.3
            """
        XCTAssertEqual(
            configuration(text)?.button,
            ButtonConfiguration(
                gpio: GPIOLineSpec(chip: "cp2112_gpio", line: .offset(4)), activeLow: false, bias: .asIs,
                longPressSeconds: 1.5, doublePressWindowSeconds: 0.3))
    }

    func testDefaultsSuitAButtonToGround() {
        let button = configuration("[button]\nline = \"GPIO22\"\n")?.button
        XCTAssertEqual(button, ButtonConfiguration(gpio: GPIOLineSpec(line: .name("GPIO22"))))
        XCTAssertEqual(button?.activeLow, true)
        XCTAssertEqual(button?.bias, .pullUp)
        XCTAssertEqual(button?.longPressSeconds, 2)
        XCTAssertEqual(button?.doublePressWindowSeconds, 0.4)
    }

    func testProblemsNameTheKeyAndItsLine() {
        XCTAssertEqual(problems("[button]\nchip = \"auto\"\n"), [
            "postured.toml:1: button.line: missing required key 'line', expected a line offset from 0 to 1023 or a line name such as \"GPIO17\""
        ])
        XCTAssertEqual(problems("[button]\nline = 4\n").first?.hasPrefix("postured.toml:2: button.line: 4 is a line offset, which needs a chip"), true)
        XCTAssertEqual(problems("[button]\nline = \"GPIO22\"\nbias = \"pullup\"\n").first?.contains("did you mean \"pull-up\""), true)
        XCTAssertEqual(problems("[button]\nline = \"GPIO22\"\nlong_press_s = 30\n"), [
            "postured.toml:3: button.long_press_s: 30 is out of range, expected a number from 1 to 5"
        ])
        XCTAssertEqual(problems("[button]\nline = \"GPIO22\"\nlong_pres_s = 3\n").first?.contains("did you mean 'long_press_s'"), true)
    }

    func testTheButtonCannotShareALineWithAnIndicatorOrAnInterrupt() {
        let indicator = """
            [[indicator]]
            chip = "gpiochip0"
            line = 17
            [button]
            chip = "gpiochip0"
            line = 17
            """
        XCTAssertEqual(problems(indicator), [
            "postured.toml:6: button.line: gpiochip0:17 is already driven by indicator[0], expected a different GPIO line"
        ])
        let interrupt = """
            [[sensor]]
            data_ready = "gpiochip0:27"
            [button]
            chip = "gpiochip0"
            line = 27
            """
        XCTAssertEqual(problems(interrupt), [
            "postured.toml:5: button.line: gpiochip0:27 is already sensor[0].data_ready (its interrupt line), expected a different GPIO line"
        ])
        XCTAssertEqual(problems(indicator.replacingOccurrences(of: "line = 17\n[button]", with: "line = 18\n[button]")), [])
    }

    func testEveryCueHasAValidDistinctDefaultAndCanBeConfigured() throws {
        let defaults = IndicatorCue.allCases.compactMap { IndicatorCue.defaultPatterns[$0]?.description }
        XCTAssertEqual(defaults.count, IndicatorCue.allCases.count, "a default cue pattern does not parse")
        let nudges = IndicatorConfiguration.defaultPatterns.values.map(\.description) + [IndicatorConfiguration.defaultGentlePattern.description]
        XCTAssertEqual(Set(defaults + nudges).count, defaults.count + nudges.count, "two patterns are alike: \(defaults + nudges)")

        let text = """
            [[indicator]]
            line = "GPIO17"
            [indicator.patterns]
            stand_tall = "2000on"
            tracking = "50on,50off,50on"
            """
        let indicator = try XCTUnwrap(configuration(text)?.indicators.first)
        XCTAssertEqual(indicator.cuePatterns[.standTall]?.description, "2000on")
        XCTAssertEqual(indicator.cuePatterns[.tracking]?.description, "50on,50off,50on")
        XCTAssertEqual(indicator.cuePatterns[.calibrated], IndicatorCue.defaultPatterns[.calibrated])
        XCTAssertEqual(
            problems("[[indicator]]\nline = \"GPIO17\"\n[indicator.patterns]\nsnoozed = \"100off\"\n").first?
                .hasPrefix("postured.toml:4: indicator[0].patterns.snoozed: "), true)
    }
}
