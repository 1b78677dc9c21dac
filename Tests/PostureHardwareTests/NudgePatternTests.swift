import PostureHardware
import XCTest

final class NudgePatternTests: XCTestCase {
    private func steps(_ pattern: NudgePattern) -> [String] { pattern.steps.map { "\($0.on ? "on" : "off") \($0.duration)" } }

    func testParsesStepsWithOrWithoutUnitsAndSpaces() throws {
        let plain = try NudgePattern(parsing: "150on,150off,150on")
        XCTAssertEqual(plain.steps, [.init(on: true, milliseconds: 150), .init(on: false, milliseconds: 150),
                                     .init(on: true, milliseconds: 150)])
        XCTAssertEqual(try NudgePattern(parsing: " 150ms ON, 150 ms off ,150on "), plain)
        XCTAssertEqual(plain.description, "150on,150off,150on")
        XCTAssertEqual(plain.totalDuration, .milliseconds(450))
    }

    func testRepeatsExpand() throws {
        let pattern = try NudgePattern(parsing: "3x(600on,300off),100on")
        XCTAssertEqual(pattern.description, "600on,300off,600on,300off,600on,300off,100on")
        XCTAssertEqual(try NudgePattern(parsing: pattern.description), pattern, "description parses back")
    }

    func testBuiltInPatternsPerReason() {
        XCTAssertEqual(NudgePattern.slouch.description, "150on,150off,150on,150off")
        XCTAssertEqual(NudgePattern.sittingTooLong.description, "600on,300off,600on,300off,600on,300off")
        XCTAssertEqual(NudgePattern.test.description, "800on,300off,150on,150off,150on,150off")
        XCTAssertEqual(NudgePattern.builtIn(forReason: "slouch"), .slouch)
        XCTAssertEqual(NudgePattern.builtIn(forReason: "sitting_too_long"), .sittingTooLong)
        XCTAssertEqual(NudgePattern.builtIn(forReason: "test"), .test)
        XCTAssertNil(NudgePattern.builtIn(forReason: "hydrate"))
    }

    /// Each bad string fails with the offending piece and a problem a person can act on.
    func testBadStringsSayWhatIsWrongAndWhere() {
        let cases: [(String, String?, String)] = [
            ("", nil, "the pattern is empty"),
            ("150", "150", "expected \"on\" or \"off\" after the duration"),
            ("150on,150of", "150of", "expected \"on\" or \"off\""),
            ("on", "on", "missing the duration"),
            ("1.5son", "1.5son", "whole number of milliseconds"),
            ("-5on", "-5on", "each step lasts 1 to 10000 ms"),
            ("0on", "0on", "each step lasts 1 to 10000 ms"),
            ("20000on", "20000on", "each step lasts 1 to 10000 ms"),
            ("150on,,150off", nil, "an empty step"),
            ("150on,", nil, "an empty step"),
            ("500off", nil, "never turns the indicator on"),
            ("3x(150on,150off", nil, "never closed"),
            ("3x((150on))", nil, "nested parentheses"),
            ("3(150on)", "3(150on)", "COUNTx(steps)"),
            ("30x(150on)", "30x(150on)", "repeat 1 to 20 times"),
            ("20x(4000on)", nil, "lasts 80000 ms; at most 30000 ms"),
            ("20x(1on,1off,1on,1off)", nil, "80 steps; at most 64"),
        ]
        for (text, item, problem) in cases {
            XCTAssertThrowsError(try NudgePattern(parsing: text), "\"\(text)\"") { error in
                guard let error = error as? NudgePatternError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.text, text)
                XCTAssertEqual(error.item, item, "\"\(text)\": \(error)")
                XCTAssertTrue(error.problem.contains(problem), "\"\(text)\": \(error.problem)")
                XCTAssertTrue(error.description.contains("Write steps like \"150on,150off,150on\""), error.description)
            }
        }
    }

    func testStepsAreValidatedToo() {
        XCTAssertThrowsError(try NudgePattern(steps: [.init(on: false, milliseconds: 100)]))
        XCTAssertNoThrow(try NudgePattern(steps: [.init(on: true, milliseconds: 100)]))
    }
}
