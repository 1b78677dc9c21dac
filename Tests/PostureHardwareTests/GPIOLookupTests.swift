import Foundation
import PostureHardware
import XCTest

/// Finding chips and lines, and what the errors say. No GPIO hardware is needed: a chip that
/// does not exist is the interesting case, and fake /dev directories stand in for the rest.
final class GPIOLookupTests: XCTestCase {
    func testAMissingChipPathListsWhatExists() throws {
        let dev = try makeTemporaryDirectory("dev-empty")
        defer { try? FileManager.default.removeItem(atPath: dev) }
        XCTAssertThrowsError(try GPIOChip("gpiochip7", devDirectory: dev)) { error in
            guard let error = error as? GPIOError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .noSuchChip(available: []))
            XCTAssertTrue(error.description.hasPrefix("GPIO chip \"gpiochip7\": not found"), error.description)
            XCTAssertTrue(error.description.contains("no GPIO chips exist"), error.description)
            XCTAssertTrue(error.description.contains("opening \(dev)/gpiochip7"), error.description)
        }
    }

    func testAMissingLabelListsTheChipsFound() throws {
        // An entry named like a chip that is not one (a plain file) still shows up in the
        // list, with an unknown label: the user sees that something is there.
        let dev = try makeTemporaryDirectory("dev-fake")
        defer { try? FileManager.default.removeItem(atPath: dev) }
        _ = FileManager.default.createFile(atPath: dev + "/gpiochip0", contents: Data())
        _ = FileManager.default.createFile(atPath: dev + "/ttyS0", contents: Data())

        XCTAssertThrowsError(try GPIOChip("pinctrl-rp1", devDirectory: dev)) { error in
            guard let error = error as? GPIOError else { return XCTFail("\(error)") }
            let expected = GPIOChipInfo(path: dev + "/gpiochip0", name: "gpiochip0", label: "?", lineCount: 0)
            XCTAssertEqual(error.kind, .noSuchChip(available: [expected]))
            XCTAssertTrue(error.description.contains("chips present: \(dev)/gpiochip0 \"?\""), error.description)
            XCTAssertTrue(error.description.contains("looking for the label"), error.description)
        }
    }

    func testNumbersAndNamesAreLookedUpAsDeviceNodes() throws {
        XCTAssertThrowsError(try GPIOChip("3", devDirectory: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".contains("opening /nonexistent/gpiochip3"), "\(error)")
        }
        XCTAssertThrowsError(try GPIOChip("/nonexistent/gpiochip4")) { error in
            XCTAssertTrue("\(error)".contains("opening /nonexistent/gpiochip4"), "\(error)")
        }
    }

    func testAvailableChipsAreSortedNumerically() throws {
        let dev = try makeTemporaryDirectory("dev-sort")
        defer { try? FileManager.default.removeItem(atPath: dev) }
        for name in ["gpiochip10", "gpiochip2", "gpiochip0"] {
            _ = FileManager.default.createFile(atPath: "\(dev)/\(name)", contents: Data())
        }
        XCTAssertEqual(GPIOChip.available(devDirectory: dev).map(\.name), ["gpiochip0", "gpiochip2", "gpiochip10"])
    }

    func testErrorMessagesSayWhatToDo() {
        let chips = [
            GPIOChipInfo(path: "/dev/gpiochip0", name: "gpiochip0", label: "pinctrl-rp1", lineCount: 54),
            GPIOChipInfo(path: "/dev/gpiochip1", name: "gpiochip1", label: "cp2112_gpio", lineCount: 8),
        ]
        let missing = GPIOError(kind: .noSuchChip(available: chips), chip: "\"pinctrl-bcm2835\"")
        XCTAssertEqual(missing.description, "GPIO chip \"pinctrl-bcm2835\": not found; chips present: "
            + "/dev/gpiochip0 \"pinctrl-rp1\" (54 lines), /dev/gpiochip1 \"cp2112_gpio\" (8 lines)")

        let chip = "/dev/gpiochip0 (pinctrl-rp1)"
        let noLine = GPIOError(kind: .noSuchLine(lineCount: 54), chip: chip, line: "GPIO99")
        XCTAssertTrue(noLine.description.hasPrefix("GPIO chip /dev/gpiochip0 (pinctrl-rp1) line GPIO99: no such line"))
        XCTAssertTrue(noLine.description.contains("0...53"), noLine.description)

        let busy = GPIOError(kind: .lineBusy(consumer: "gpio-leds"), chip: chip, line: "GPIO17")
        XCTAssertTrue(busy.description.contains("already in use by \"gpio-leds\""), busy.description)
        let unnamed = GPIOError(kind: .lineBusy(consumer: ""), chip: chip, line: "17")
        XCTAssertTrue(unnamed.description.contains("does not name"), unnamed.description)

        let denied = GPIOError(kind: .permissionDenied, chip: chip)
        XCTAssertTrue(denied.description.contains("usermod -aG gpio"), denied.description)
    }

    /// Only where real chips exist (a Pi, or the virtual board): open each and read a line's use.
    func testRealChipsOpenWhenPresent() throws {
        let chips = GPIOChip.available().filter { $0.label != "?" }
        guard let first = chips.first else {
            throw XCTSkip("no openable /dev/gpiochip* on this machine; the virtual board test covers real chips")
        }
        let chip = try GPIOChip(first.path)
        XCTAssertEqual(try GPIOChip(first.label).info.path, first.path)
        XCTAssertEqual(chip.info, first)
        _ = try chip.consumer(ofLine: "0")
        XCTAssertThrowsError(try chip.lineOffset(String(first.lineCount))) { error in
            XCTAssertEqual((error as? GPIOError)?.kind, .noSuchLine(lineCount: first.lineCount))
        }
    }
}
