public import PostureCore

/// Scores the engine's activity on HAPT recordings (real people, a waist IMU, video labels),
/// exactly as `../shared/data/hapt/README.md` says:
/// - calibration windows: the middle 60% of the first labelled `standing` segment (`--stand`)
///   and of the first labelled `sitting` segment (`--sit`);
/// - agreement: for every labelled sitting, standing, walking or lying segment, the share of
///   pelvis samples from 3 s after its start to its end whose activity matches the label.
///   Transitions are not scored.
public enum HAPTEvaluation {
    /// One labelled segment of `NAME.labels.csv`.
    public struct Segment: Sendable, Equatable {
        public var start: Double
        public var end: Double
        /// `standing`, `sitting`, `lying`, `walking` or `transition`.
        public var label: String
    }

    /// Per activity: samples scored and samples that agreed.
    public struct Tally: Sendable, Equatable {
        public var scored: [Activity: Int] = [:]
        public var agreed: [Activity: Int] = [:]

        public init() {}

        public mutating func add(_ other: Tally) {
            scored.merge(other.scored, uniquingKeysWith: +)
            agreed.merge(other.agreed, uniquingKeysWith: +)
        }

        /// Agreement of one activity, or over all of them (`nil`), in [0, 1]; NaN without samples.
        public func agreement(_ activity: Activity? = nil) -> Double {
            let s = activity.map { scored[$0] ?? 0 } ?? scored.values.reduce(0, +)
            let a = activity.map { agreed[$0] ?? 0 } ?? agreed.values.reduce(0, +)
            return s > 0 ? Double(a) / Double(s) : .nan
        }
    }

    public struct RecordingResult: Sendable {
        public var name: String
        public var tally: Tally
    }

    /// Scoring starts this long after a labelled segment begins (the README's rule).
    public static let settlingTime = 3.0
    /// The calibration window is the middle of the segment, leaving this fraction at each end.
    public static let windowMargin = 0.2

    /// The recordings in `directory`: `NAME.csv` with its `NAME.labels.csv`, sorted.
    public static func recordings(in directory: String) -> [(name: String, imu: String, labels: String)] {
        listDirectory(directory)
            .filter { $0.hasSuffix(".labels.csv") }
            .sorted()
            .map { file in
                let name = String(file.dropLast(".labels.csv".count))
                return (name, directory + "/" + name + ".csv", directory + "/" + file)
            }
    }

    public static func readLabels(path: String) throws -> [Segment] {
        let reader = try LineReader(path: path)
        var segments: [Segment] = []
        var sawHeader = false
        while let line = try reader.nextLine() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard sawHeader else {
                guard line == "t_start,t_end,activity" else {
                    throw IMUCSVError(path: path, line: reader.lineNumber, message: "header is '\(line)'; expected 't_start,t_end,activity'")
                }
                sawHeader = true
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let start = Double(fields[0]), let end = Double(fields[1]), start < end else {
                throw IMUCSVError(path: path, line: reader.lineNumber, message: "expected 't_start,t_end,activity' with t_start < t_end")
            }
            segments.append(Segment(start: start, end: end, label: String(fields[2])))
        }
        return segments
    }

    /// The README's calibration windows, or `nil` when the recording has no labelled
    /// standing or sitting segment (then it cannot be calibrated, and is not scored).
    public static func calibrationWindows(_ segments: [Segment]) -> (stand: TimeWindow, sit: TimeWindow)? {
        func middle(of label: String) -> TimeWindow? {
            guard let s = segments.first(where: { $0.label == label }) else { return nil }
            let margin = windowMargin * (s.end - s.start)
            return TimeWindow(start: s.start + margin, end: s.end - margin)
        }
        guard let stand = middle(of: "standing"), let sit = middle(of: "sitting") else { return nil }
        return (stand, sit)
    }

    /// Calibrates from the windows, replays the recording and scores it. `nil` when the
    /// recording has no calibration windows; a calibration refusal is thrown.
    ///
    /// - Parameter sensorError: applied to every sample before the engine sees it, for
    ///   asking how the engine copes with a worse sensor than the one recorded (a scale
    ///   error, a gyroscope offset); the identity by default.
    public static func evaluate(
        name: String, imuPath: String, labelsPath: String,
        sensorError: @escaping (IMUSample) -> IMUSample = { $0 }
    ) throws -> RecordingResult? {
        let segments = try readLabels(path: labelsPath)
        guard let windows = calibrationWindows(segments) else { return nil }
        let replay = Replay(inputPath: imuPath, stand: windows.stand, sit: windows.sit)
        let scored = segments.compactMap { s in Activity(rawValue: s.label).map { (s, $0) } }
        func samples() throws -> () throws -> IMUSample? {
            let reader = try IMUCSVReader(path: imuPath)
            return { try reader.next().map(sensorError) }
        }
        var tally = Tally()
        let calibration = try replay.calibrate(next: try samples())
        _ = try replay.run(next: try samples(), calibration: calibration) { step in
            for (segment, truth) in scored where step.t >= segment.start + settlingTime && step.t <= segment.end {
                tally.scored[truth, default: 0] += 1
                if step.activity == truth { tally.agreed[truth, default: 0] += 1 }
            }
        }
        return RecordingResult(name: name, tally: tally)
    }
}
