import PostureConfig
import PostureCore
import XCTest

/// `[policy] feedback` and fading feedback's keys (issue 14), and the indicators' gentle pattern.
final class FeedbackConfigTests: XCTestCase {
    func testDefaultIsConstantFeedback() {
        XCTAssertEqual(configuration("")?.policy.feedback, FeedbackSettings.standard)
        XCTAssertEqual(FeedbackSettings.standard.mode, .constant)
    }

    func testEveryKeyIsRead() {
        let text = """
            [policy]
            feedback = "fading"
            escalation_s = 30
            fading_correction_window_s = 20
            fading_step_up_rate = 0.9
            fading_step_down_rate = 0.4
            fading_history_days = 5
            fading_max_level = 2
            """
        XCTAssertEqual(
            configuration(text)?.policy.feedback,
            FeedbackSettings(
                mode: .fading, escalationDelay: 30, correctionWindow: 20, stepUpRate: 0.9, stepDownRate: 0.4,
                historyDays: 5, maxLevel: 2))
    }

    func testOutOfRangeNamesTheKeyAndItsLine() {
        XCTAssertEqual(problems("[policy]\nescalation_s = 1\n"), [
            "postured.toml:2: policy.escalation_s: 1 is out of range, expected a number from 5 to 300"
        ])
        XCTAssertEqual(problems("[policy]\nfading_max_level = 9\n"), [
            "postured.toml:2: policy.fading_max_level: 9 is out of range, expected an integer from 1 to 5"
        ])
        XCTAssertEqual(problems("[policy]\nfeedback = \"fade\"\n").first?.hasPrefix("postured.toml:2: policy.feedback: "), true)
    }

    func testStepDownRateMustLeaveABandBelowStepUpRate() {
        XCTAssertEqual(problems("[policy]\nfading_step_up_rate = 0.6\nfading_step_down_rate = 0.6\n"), [
            "postured.toml:3: policy.fading_step_down_rate: fading_step_down_rate (0.6) must be below "
                + "fading_step_up_rate (0.6), leaving a band where the level holds"
        ])
        // Only the step-up rate set, below the default step-down rate: that key is named.
        XCTAssertEqual(problems("[policy]\nfading_step_up_rate = 0.5\n").first?.hasPrefix(
            "postured.toml:2: policy.fading_step_up_rate: "), true)
    }

    func testGentlePatternDefaultsToOneShortPulseAndCanBeSet() {
        let base = "[[indicator]]\nchip = \"gpiochip0\"\nline = 17\n"
        XCTAssertEqual(configuration(base)?.indicators.first?.gentlePattern.description, "100on")
        XCTAssertEqual(
            configuration(base + "[indicator.patterns]\ngentle = \"60on\"\n")?.indicators.first?.gentlePattern.description,
            "60on")
        let indicator = configuration(base)?.indicators.first
        XCTAssertEqual(indicator?.pattern(for: .slouch, intensity: .gentle)?.description, "100on")
        XCTAssertEqual(indicator?.pattern(for: .slouch, intensity: .full)?.description, "150on,150off,150on")
    }
}
