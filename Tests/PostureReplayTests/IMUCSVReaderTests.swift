import PostureCore
import XCTest

@testable import PostureReplay

final class IMUCSVReaderTests: XCTestCase {
    private let header = "t,sensor,ax,ay,az,gx,gy,gz\n"

    private func read(_ body: String, file: String = "rec.csv") throws -> [IMUSample] {
        let dir = try TemporaryDirectory()
        return try IMUCSVReader(path: try dir.file(file, body)).readAll()
    }

    /// The error reading `body` produces, or a test failure if it reads cleanly.
    private func error(_ body: String) throws -> IMUCSVError {
        do {
            _ = try read(body)
        } catch let e as IMUCSVError {
            return e
        }
        XCTFail("expected an error")
        return IMUCSVError(path: "", line: nil, message: "")
    }

    func testReadsCommentsInterleavedSensorsAndCRLF() throws {
        let body = "# postured imu csv v1\r\n" + header
            + "0.000000,0,9.81,0.02,-0.08,0.001,-0.002,0.000\r\n"
            + "0.000000,1,9.80,0.44,0.01,0.012,-0.010,0.010\n\n"
            + "0.010000,0,1e1,-2.5E-1,+3,0,0,-0.5"  // no final newline
        let samples = try read(body)
        XCTAssertEqual(samples.count, 3)
        XCTAssertEqual(samples[0], IMUSample(t: 0, sensor: 0, accel: Vector3(9.81, 0.02, -0.08), gyro: Vector3(0.001, -0.002, 0)))
        XCTAssertEqual(samples[1].sensor, 1)
        XCTAssertEqual(samples[1].accel.y, 0.44)
        XCTAssertEqual(samples[2].accel, Vector3(10, -0.25, 3))
        XCTAssertEqual(samples[2].gyro.z, -0.5)
    }

    func testMissingFieldNamesLineAndColumn() throws {
        let e = try error(header + "0.0,0,1,2,3,4,5,6\n0.01,0,1,2,3,4,5\n")
        XCTAssertEqual(e.line, 3)
        XCTAssertEqual(e.column, "gz")
        XCTAssertTrue(e.description.contains("rec.csv:3: column 'gz'"), e.description)
    }

    func testNonNumberNaNAndInfinityAreErrors() throws {
        for bad in ["abc", "nan", "NaN", "inf", "-inf", "1e999", "", "1.2.3", "--1"] {
            let e = try error(header + "0.0,0,1,\(bad),3,4,5,6\n")
            XCTAssertEqual(e.line, 2, bad)
            XCTAssertEqual(e.column, "ay", bad)
            XCTAssertTrue(e.message.contains("expected a finite decimal number in m/s²"), e.message)
        }
        let e = try error(header + "0.0,0,1,2,3,4,5,x\n")
        XCTAssertTrue(e.message.contains("rad/s"), e.message)
    }

    func testNonIncreasingTimePerSensor() throws {
        // Sensor 1 may repeat sensor 0's time, but each sensor's own time must increase.
        XCTAssertEqual(try read(header + "1.0,0,0,0,9.8,0,0,0\n1.0,1,0,0,9.8,0,0,0\n").count, 2)
        let e = try error(header + "1.0,0,0,0,9.8,0,0,0\n1.0,1,0,0,9.8,0,0,0\n1.0,0,0,0,9.8,0,0,0\n")
        XCTAssertEqual(e.line, 4)
        XCTAssertEqual(e.column, "t")
        XCTAssertTrue(e.message.contains("does not increase for sensor 0 (line 2"), e.message)
    }

    func testUnknownSensorIndex() throws {
        for bad in ["2", "-1", "0.5", "01", ""] {
            let e = try error(header + "0.0,\(bad),0,0,9.8,0,0,0\n")
            XCTAssertEqual(e.column, "sensor", bad)
            XCTAssertTrue(e.message.contains("expected 0 (pelvis) or 1 (upper lumbar)"), e.message)
        }
    }

    func testHeaderProblems() throws {
        XCTAssertTrue(try error("t,ax,ay\n0,1,2\n").message.contains("expected 't,sensor,ax,ay,az,gx,gy,gz'"))
        XCTAssertTrue(try error("# only a comment\n").message.contains("no header line"))
        XCTAssertTrue(try error(header + "0,0,1,2,3,4,5,6,7\n").message.contains("more than 8 fields"))
        XCTAssertThrowsError(try IMUCSVReader(path: "/nonexistent/rec.csv")) { e in
            XCTAssertTrue("\(e)".contains("/nonexistent/rec.csv: cannot open"), "\(e)")
        }
    }

    func testLinesLongerThanTheBufferAndManyChunks() throws {
        // Enough rows to cross several 1 MiB refills: line counting must stay exact.
        var body = header
        let rows = 60_000
        for i in 0..<rows { body += "\(Double(i) * 0.01),0,0.125,-9.5,0.25,0.001,0.002,0.003\n" }
        body += "\(Double(rows) * 0.01),0,bad,0,0,0,0,0\n"
        let e = try error(body)
        XCTAssertEqual(e.line, rows + 2)
        XCTAssertEqual(e.column, "ax")
    }

    func testDecimalParserMatchesStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let v = Double.random(in: -1e4...1e4, using: &rng)
            for text in [String(v), String(format: "%.6f", v), String(format: "%.3e", v), String(format: "%.17g", v)] {
                let parsed = Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
                XCTAssertEqual(parsed, Double(text), text)
            }
        }
    }
}
