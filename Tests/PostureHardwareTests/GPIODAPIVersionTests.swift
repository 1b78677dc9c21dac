import CPostureShim
import Foundation
import XCTest

/// Which libgpiod the package was built against. scripts/build-gpiod-v2 sets
/// POSTURED_EXPECT_GPIOD_API=2 and builds against Debian 13's libgpiod 2.x; the normal build
/// uses the system's v1 (Debian 12). A header/library mix-up shows here first.
final class GPIODAPIVersionTests: XCTestCase {
    func testTheShimReportsAKnownAPIVersion() {
        XCTAssertTrue([1, 2].contains(posture_gpiod_api_version()))
    }

    func testTheShimWasBuiltAgainstTheExpectedLibgpiod() throws {
        guard let expected = ProcessInfo.processInfo.environment["POSTURED_EXPECT_GPIOD_API"] else {
            throw XCTSkip("POSTURED_EXPECT_GPIOD_API is not set (scripts/build-gpiod-v2 sets it to 2; set 1 to check the v1 build)")
        }
        XCTAssertEqual(Int32(expected), posture_gpiod_api_version(),
                       "built against libgpiod API \(posture_gpiod_api_version()), expected \(expected)")
    }
}
