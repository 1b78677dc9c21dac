import PostureControl
import PostureCore
import XCTest

final class MessageRoundTripTests: XCTestCase {
    static let status = StatusReport(
        daemonVersion: "0.1.0", uptimeSeconds: 3600.5,
        sensors: [
            SensorStatus(index: 0, chip: "MPU-6050", bus: "/dev/i2c-1", address: 0x68, health: SensorHealth(state: .ok)),
            SensorStatus(index: 1, chip: "LSM6DS3", bus: "/dev/i2c-1", address: 0x6A,
                         health: SensorHealth(state: .faulted, code: "nack", message: "no ACK at 0x6a", faults: 3)),
        ],
        sampling: SamplingStatus(rateHz: 100, overruns: 2, droppedReports: 0), calibrated: true, activity: .sitting,
        angles: AngleReading(pelvicTilt: -17.5, pelvicObliquity: 1.25, lumbarFlexion: nil), slouching: false,
        boutSeconds: 754, snoozeRemainingSeconds: nil, nudgesToday: NudgeCounts(),
        lastNudge: LastNudge(reason: .slouch, agoSeconds: 120), store: StoreStatus(path: "/var/lib/postured/daylog.sqlite3", lastWriteAgoSeconds: 31),
        clockTrusted: true)

    private func roundTrip<T: Codable & Equatable & Sendable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        var bytes = ControlMessage.reply(id: .number(9), result: value)
        XCTAssertEqual(bytes.removeLast(), UInt8(ascii: "\n"), file: file, line: line)
        XCTAssertFalse(bytes.contains(UInt8(ascii: "\n")), "one line", file: file, line: line)
        let message = try ReceivedMessage(line: bytes)
        XCTAssertTrue(message.ok, file: file, line: line)
        XCTAssertTrue(message.isFinal, file: file, line: line)
        XCTAssertEqual(message.id, .number(9), file: file, line: line)
        XCTAssertEqual(try message.payload(T.self), value, file: file, line: line)
    }

    func testRepliesRoundTrip() throws {
        try roundTrip(Self.status)
        try roundTrip(CalibrationReport(
            sitting: AngleReading(pelvicTilt: -18, pelvicObliquity: 0.5, lumbarFlexion: 12),
            sensors: [SensorCalibrationSummary(index: 0, lateralAxis: .measured, standToSitDegrees: 18.2, correctionFromPriorDegrees: 21)],
            savedTo: "/var/lib/postured/calibration.json"))
        try roundTrip(SnoozeResult(remainingSeconds: 1800))
        try roundTrip(ResumeResult(wasSnoozed: true))
        try roundTrip(TestNudgeResult(reason: .sittingTooLong, indicators: ["gpiochip0:17 buzzer"]))
        try roundTrip(ReloadResult(path: "/etc/postured/postured.toml", changed: ["policy.slouch"], warnings: []))
        try roundTrip(WatchSummary(frames: 10, rateHz: 50))
        try roundTrip(Empty())
    }

    func testEventsRoundTrip() throws {
        let frame = WatchFrame(
            t: 12.5, angles: AngleReading(pelvicTilt: -20, pelvicObliquity: 0, lumbarFlexion: 14), activity: .sitting,
            slouching: true, boutSeconds: 60, snoozeRemainingSeconds: 30, calibrated: true)
        let progress = CalibrationProgress(phase: .sitting, state: .capturing, remainingSeconds: 2.5, progress: 0.5, message: "Sit upright")
        let samples = [RawSampleFrame(IMUSample(t: 1, sensor: 1, accel: Vector3(0.1, 9.8, 0), gyro: Vector3(0, 0.01, 0)))]
        for (kind, line) in [
            (ControlEventKind.frame, ControlMessage.event(id: .string("w"), kind: .frame, data: frame)),
            (.progress, ControlMessage.event(id: .string("w"), kind: .progress, data: progress)),
            (.samples, ControlMessage.event(id: .string("w"), kind: .samples, data: samples)),
        ] {
            let message = try ReceivedMessage(line: Array(line.dropLast()))
            XCTAssertEqual(message.event, kind)
            XCTAssertFalse(message.isFinal)
            switch kind {
            case .frame: XCTAssertEqual(try message.payload(WatchFrame.self), frame)
            case .progress: XCTAssertEqual(try message.payload(CalibrationProgress.self), progress)
            case .samples: XCTAssertEqual(try message.payload([RawSampleFrame].self).compactMap(\.sample), samples.compactMap(\.sample))
            }
        }
    }

    func testWireShape() {
        let text = String(decoding: ControlMessage.failure(
            id: nil, error: ControlError(.unknownVerb, "unknown verb 'statu'")), as: UTF8.self)
        XCTAssertEqual(text, #"{"error":{"code":"unknown_verb","message":"unknown verb 'statu'"},"id":null,"ok":false,"v":1}"# + "\n")
        let angles = String(decoding: ControlMessage.reply(
            id: .number(1), result: AngleReading(pelvicTilt: .nan, pelvicObliquity: 1, lumbarFlexion: nil)), as: UTF8.self)
        XCTAssertTrue(angles.contains(#""pelvic_tilt":null"#), angles)
        XCTAssertTrue(angles.contains(#""lumbar_flexion":null"#), "null, never left out: \(angles)")
    }

    func testErrorsDecodeWithUnknownCodes() throws {
        let line = Array(#"{"v":1,"id":2,"ok":false,"error":{"code":"from_the_future","message":"later"}}"#.utf8)
        let message = try ReceivedMessage(line: line)
        XCTAssertFalse(message.ok)
        XCTAssertEqual(message.error, ControlError(ControlErrorCode("from_the_future"), "later"))
    }

    func testClientRejectsOtherVersionsAndGarbage() {
        XCTAssertThrowsError(try ReceivedMessage(line: Array(#"{"v":2,"ok":true,"result":{}}"#.utf8))) {
            XCTAssertEqual(($0 as? ControlError)?.code, .unsupportedVersion)
        }
        XCTAssertThrowsError(try ReceivedMessage(line: Array("garbage".utf8))) {
            XCTAssertEqual(($0 as? ControlError)?.code, .malformed)
        }
    }
}
