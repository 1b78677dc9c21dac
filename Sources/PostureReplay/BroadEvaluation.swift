public import PostureCore

/// One row of a BROAD ground-truth file: `t,qw,qx,qy,qz,movement`.
public struct TruthRow: Sendable {
    public var t: Double
    /// Sensor-to-earth orientation, or nil where optical tracking dropped out.
    public var orientation: Quaternion?
    /// Whether the sample is scored.
    public var movement: Bool
}

/// Reads `*.truth.csv` files and scores an orientation filter the way the BROAD
/// benchmark does: the inclination error, RMS over scored samples.
public enum BroadEvaluation {
    public struct TrialResult: Sendable {
        public var name: String
        /// RMS inclination error over scored samples, degrees.
        public var inclinationErrorDegrees: Double
        public var scoredSamples: Int
    }

    public static func readTruth(path: String) throws -> [TruthRow] {
        let reader = try LineReader(path: path)
        var rows: [TruthRow] = []
        var sawHeader = false
        while let line = try reader.nextLine() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !sawHeader {
                guard line == "t,qw,qx,qy,qz,movement" else {
                    throw IMUCSVError(path: path, line: reader.lineNumber, message: "header is '\(line)'; expected 't,qw,qx,qy,qz,movement'")
                }
                sawHeader = true
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 6, let t = Double(fields[0]), let movement = Int(fields[5]) else {
                throw IMUCSVError(path: path, line: reader.lineNumber, message: "expected 't,qw,qx,qy,qz,movement' with numbers")
            }
            var q: Quaternion?
            if let w = Double(fields[1]), let x = Double(fields[2]), let y = Double(fields[3]), let z = Double(fields[4]) {
                q = Quaternion(w: w, x: x, y: y, z: z).normalized
            }
            rows.append(TruthRow(t: t, orientation: q, movement: movement == 1))
        }
        return rows
    }

    /// Runs a fresh filter over the trial `imuPath` and scores it against `truthPath`.
    public static func evaluate(
        name: String, imuPath: String, truthPath: String, parameters: OrientationFilter.Parameters = .init()
    ) throws -> TrialResult {
        let truth = try readTruth(path: truthPath)
        let reader = try IMUCSVReader(path: imuPath)
        var filter = OrientationFilter(parameters: parameters)
        var index = 0
        var sumSquares = 0.0
        var scored = 0
        while let sample = try reader.next() {
            guard sample.sensor == 0 else { continue }
            filter.update(t: sample.t, accel: sample.accel, gyro: sample.gyro)
            // Truth rows are sampled on the IMU's clock: advance to the matching row.
            while index < truth.count, truth[index].t < sample.t - 1e-6 { index += 1 }
            guard index < truth.count, abs(truth[index].t - sample.t) < 1e-6 else { continue }
            let row = truth[index]
            if row.movement, let q = row.orientation {
                let e = inclinationError(estimated: filter.orientation, truth: q)
                sumSquares += e * e
                scored += 1
            }
        }
        let rms = scored > 0 ? (sumSquares / Double(scored)).squareRoot() : .nan
        return TrialResult(name: name, inclinationErrorDegrees: rms.degrees, scoredSamples: scored)
    }

    /// The trials in `directory` (pairs of `NAME.imu.csv` and `NAME.truth.csv`), sorted.
    public static func trials(in directory: String) -> [(name: String, imu: String, truth: String)] {
        listDirectory(directory)
            .filter { $0.hasSuffix(".imu.csv") }
            .sorted()
            .map { file in
                let name = String(file.dropLast(".imu.csv".count))
                return (name, directory + "/" + file, directory + "/" + name + ".truth.csv")
            }
    }
}
