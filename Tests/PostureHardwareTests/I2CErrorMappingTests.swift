import Glibc
@testable import PostureHardware
import XCTest

final class I2CErrorMappingTests: XCTestCase {
    private func mapped(_ code: Int32, address: UInt8? = 0x68) -> I2CError {
        I2CError(errno: Errno(code), bus: "/dev/i2c-1", address: address, operation: "reading 6 byte(s) from register 0x3b")
    }

    func testPermissionErrorsSayToJoinTheI2CGroup() {
        for code in [EACCES, EPERM] {
            let error = mapped(code, address: nil)
            XCTAssertEqual(error.kind, .permissionDenied)
            XCTAssertTrue(error.description.contains("'i2c' group"), error.description)
            XCTAssertTrue(error.description.contains("usermod -aG i2c"), error.description)
        }
    }

    func testMissingAcknowledgeNamesBusAndAddress() {
        for code in [ENXIO, EREMOTEIO] {
            let error = mapped(code)
            XCTAssertEqual(error.kind, .noAcknowledge)
            XCTAssertTrue(error.description.hasPrefix("/dev/i2c-1 address 0x68: no device answered"), error.description)
            XCTAssertTrue(error.description.contains("register 0x3b"), error.description)
        }
    }

    func testTimeoutAndMissingBus() {
        XCTAssertEqual(mapped(ETIMEDOUT).kind, .timeout)
        XCTAssertEqual(mapped(ENOENT, address: nil).kind, .busNotFound)
        XCTAssertEqual(mapped(ENODEV, address: nil).kind, .busNotFound, "an unplugged USB adapter")
    }

    func testOtherErrorsKeepTheirErrnoAndSymbol() {
        let error = mapped(EIO)
        XCTAssertEqual(error.kind, .io(errno: EIO))
        XCTAssertTrue(error.description.contains("(EIO)"), error.description)
    }

    func testBusyAddressExplainsTheKernelDriver() {
        let error = mapped(EBUSY)
        XCTAssertEqual(error.kind, .io(errno: EBUSY))
        XCTAssertTrue(error.description.contains("kernel driver owns this address"), error.description)
    }

    func testTimeoutRetriesAreBounded() {
        XCTAssertEqual(LinuxI2CBus.timeoutRetries, 2)
    }
}
