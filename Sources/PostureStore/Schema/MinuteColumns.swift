/// The `minutes` columns in one order, shared by every statement that reads or writes them.
enum MinuteColumns {
    static let names = [
        "start_unix", "sitting_s", "standing_s", "walking_s", "lying_s", "unknown_s", "slouch_s",
        "pelvic_tilt_mean", "pelvic_tilt_min", "pelvic_tilt_max", "pelvic_obliquity_mean",
        "lumbar_flexion_mean", "lumbar_flexion_min", "lumbar_flexion_max", "angle_samples", "lumbar_samples",
        "steps", "samples", "expected_samples", "overruns", "sensor_faults",
    ]
    static let list = names.joined(separator: ", ")
    static let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")

    static func values(_ start: Int64, _ d: MinuteData) -> [SQLValue] {
        [
            .integer(start), .real(d.sittingSeconds), .real(d.standingSeconds), .real(d.walkingSeconds),
            .real(d.lyingSeconds), .real(d.unknownSeconds), .real(d.slouchSeconds),
            .real(d.pelvicTilt?.mean), .real(d.pelvicTilt?.min), .real(d.pelvicTilt?.max), .real(d.pelvicObliquityMean),
            .real(d.lumbarFlexion?.mean), .real(d.lumbarFlexion?.min), .real(d.lumbarFlexion?.max),
            .int(d.angleSamples), .int(d.lumbarSamples), .int(d.steps), .int(d.samples), .int(d.expectedSamples),
            .int(d.overruns), .int(d.sensorFaults),
        ]
    }

    static func read(_ row: SQLiteStatement) -> DatedMinute {
        var d = MinuteData()
        d.sittingSeconds = row.double(1)
        d.standingSeconds = row.double(2)
        d.walkingSeconds = row.double(3)
        d.lyingSeconds = row.double(4)
        d.unknownSeconds = row.double(5)
        d.slouchSeconds = row.double(6)
        d.pelvicTilt = range(row, 7)
        d.pelvicObliquityMean = row.optionalDouble(10)
        d.lumbarFlexion = range(row, 11)
        d.angleSamples = row.int(14)
        d.lumbarSamples = row.int(15)
        d.steps = row.int(16)
        d.samples = row.int(17)
        d.expectedSamples = row.int(18)
        d.overruns = row.int(19)
        d.sensorFaults = row.int(20)
        return DatedMinute(startUnix: row.int64(0), data: d)
    }

    private static func range(_ row: SQLiteStatement, _ first: Int32) -> AngleRange? {
        guard let mean = row.optionalDouble(first) else { return nil }
        return AngleRange(mean: mean, min: row.optionalDouble(first + 1) ?? mean, max: row.optionalDouble(first + 2) ?? mean)
    }
}
