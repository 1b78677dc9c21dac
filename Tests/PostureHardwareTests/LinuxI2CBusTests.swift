import Foundation
import PostureHardware
import XCTest

final class LinuxI2CBusTests: XCTestCase {
    func testOpeningAMissingBusIsBusNotFoundNamingIt() {
        XCTAssertThrowsError(try LinuxI2CBus(path: "/nonexistent/i2c-9")) { error in
            guard let error = error as? I2CError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .busNotFound)
            XCTAssertEqual(error.bus, "/nonexistent/i2c-9")
            XCTAssertTrue(error.description.contains("/nonexistent/i2c-9"), error.description)
            XCTAssertTrue(error.description.contains("modprobe i2c-dev"), error.description)
            print(error)  // the whole message, as a person would see it
        }
    }

    func testOpeningAFileThatIsNotABusSaysSo() throws {
        let directory = try makeTemporaryDirectory("notabus")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/i2c-0"
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        XCTAssertThrowsError(try LinuxI2CBus(path: path)) { error in
            guard let error = error as? I2CError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .io(errno: ENOTTY))
            XCTAssertTrue(error.description.contains("not an I2C bus"), error.description)
        }
    }

    /// Builds /sys/class/i2c-dev as the kernel lays it out: i2c-N/name with a trailing newline.
    private func fakeSysfs(_ adapters: [Int: String]) throws -> String {
        let root = try makeTemporaryDirectory("sysfs")
        for (number, name) in adapters {
            let directory = "\(root)/i2c-\(number)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try (name + "\n").write(toFile: directory + "/name", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root + "/not-an-adapter", withIntermediateDirectories: true)
        return root
    }

    func testFindsTheAdapterByExactNameOrPrefix() throws {
        let root = try fakeSysfs([1: "bcm2835 (i2c@7e804000)", 3: "CP2112 SMBus Bridge on hidraw0", 10: "i2c-stub"])
        defer { try? FileManager.default.removeItem(atPath: root) }

        XCTAssertEqual(I2CAdapter.all(sysfsRoot: root).map(\.number), [1, 3, 10])
        XCTAssertEqual(try I2CAdapter.find(named: "i2c-stub", sysfsRoot: root),
                       I2CAdapter(number: 10, name: "i2c-stub"))
        let bridge = try I2CAdapter.find(named: "CP2112 SMBus Bridge", sysfsRoot: root)
        XCTAssertEqual(bridge.number, 3)
        XCTAssertEqual(bridge.devicePath, "/dev/i2c-3")
    }

    func testAMissingAdapterListsThoseThatExist() throws {
        let root = try fakeSysfs([1: "bcm2835 (i2c@7e804000)"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertThrowsError(try I2CAdapter.find(named: "CP2112", sysfsRoot: root)) { error in
            guard let error = error as? I2CError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .busNotFound)
            XCTAssertTrue(error.description.contains("no adapter named \"CP2112\""), error.description)
            XCTAssertTrue(error.description.contains("i2c-1 \"bcm2835 (i2c@7e804000)\""), error.description)
        }
    }

    func testAnAmbiguousPrefixIsAnError() throws {
        let root = try fakeSysfs([0: "CP2112 SMBus Bridge on hidraw0", 1: "CP2112 SMBus Bridge on hidraw1"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertThrowsError(try I2CAdapter.find(named: "CP2112", sysfsRoot: root)) { error in
            XCTAssertTrue("\(error)".contains("matches several adapters"), "\(error)")
        }
    }

    func testNoSysfsDirectoryMeansNoAdapters() {
        XCTAssertEqual(I2CAdapter.all(sysfsRoot: "/nonexistent/i2c-dev"), [])
        XCTAssertThrowsError(try LinuxI2CBus(adapterNamed: "x", sysfsRoot: "/nonexistent/i2c-dev")) { error in
            XCTAssertTrue("\(error)".contains("no I2C adapters in /nonexistent/i2c-dev"), "\(error)")
        }
    }

    /// Talks to a real adapter only where one exists; none is needed for the rest of the suite.
    func testRealAdaptersOpenWhenPresent() throws {
        let adapters = I2CAdapter.all()
        guard let first = adapters.first else {
            throw XCTSkip("no /sys/class/i2c-dev adapters on this machine (load i2c-dev / i2c-stub to run this)")
        }
        let bus: LinuxI2CBus
        do {
            bus = try LinuxI2CBus(number: first.number)
        } catch {
            if error.kind == .permissionDenied { throw XCTSkip("\(error)") }
            throw error
        }
        XCTAssertEqual(bus.name, first.devicePath)
    }
}
