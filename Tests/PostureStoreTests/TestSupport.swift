#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PostureCore
@testable import PostureStore
import XCTest

/// A fresh directory under /tmp, removed (one level deep) when the test object goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/postured-store-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = made.map { String(cString: $0) } ?? "/tmp/postured-store-test-fallback"
    }

    deinit {
        for name in Self.entries(path) { unlink(path + "/" + name) }
        rmdir(path)
    }

    var logPath: String { path + "/" + DayLog.defaultFileName }

    func file(_ name: String) -> String { path + "/" + name }

    static func entries(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

enum Files {
    static func store(_ bytes: [UInt8], to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(descriptor >= 0, "cannot create \(path)")
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    /// Overwrites `bytes.count` bytes at `offset`, leaving the rest of the file as it was.
    static func patch(_ path: String, at offset: Int, with bytes: [UInt8]) {
        let descriptor = open(path, O_WRONLY)
        precondition(descriptor >= 0)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        close(descriptor)
    }

    static func read(_ path: String) -> [UInt8]? {
        guard case .success(let bytes) = POSIX.readPrefix(path, count: 64 << 20) else { return nil }
        return bytes
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func remove(_ path: String) { unlink(path) }
}

enum Fixtures {
    /// 2024-05-01 00:00:00 UTC.
    static let dayStart: Int64 = 1_714_521_600
    static let day = LocalDate(year: 2024, month: 5, day: 1)

    static func minute(
        _ start: Int64, sitting: Double = 60, standing: Double = 0, slouch: Double = 0,
        tilt: Double? = -18, flexion: Double? = nil, samples: Int = 3000, steps: Int = 0
    ) -> DatedMinute {
        var d = MinuteData()
        d.sittingSeconds = sitting
        d.standingSeconds = standing
        d.slouchSeconds = slouch
        if let tilt {
            d.pelvicTilt = AngleRange(mean: tilt, min: tilt - 2, max: tilt + 2)
            d.pelvicObliquityMean = 1
            d.angleSamples = samples
        }
        if let flexion {
            d.lumbarFlexion = AngleRange(mean: flexion, min: flexion - 1, max: flexion + 1)
            d.lumbarSamples = samples
        }
        d.samples = samples
        d.expectedSamples = 3000
        d.steps = steps
        return DatedMinute(startUnix: start, data: d)
    }

    static func calibration() throws -> Calibration {
        let standing = CapturedPose(
            pose: .standing, pelvis: SensorPose(up: Vector3(1, 0, 0), sampleCount: 100, gyroRMS: 0.01, accelStd: 0.02, meanAccelNorm: 9.81),
            upperLumbar: nil)
        let tilt = 20.0 * .pi / 180
        let sitting = CapturedPose(
            pose: .sitting,
            pelvis: SensorPose(up: Vector3(cos(tilt), 0, sin(tilt)), sampleCount: 100, gyroRMS: 0.01, accelStd: 0.02, meanAccelNorm: 9.81),
            upperLumbar: nil)
        return try Calibration(standing: standing, sitting: sitting)
    }
}

/// Asserts that `body` throws a `StoreError` of `kind`, and returns it.
@discardableResult
func assertStoreError<T>(
    _ kind: StoreError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () throws(StoreError) -> T
) -> StoreError? {
    do {
        _ = try body()
        XCTFail("expected \(kind), nothing thrown", file: file, line: line)
        return nil
    } catch {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        return error
    }
}
