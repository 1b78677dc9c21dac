public import PostureCore

/// A replay that cannot start or run, naming the window, file or option at fault.
public struct ReplayError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The calibration of a replay and the two poses it was made from (which stretch of each
/// window was still enough to use).
public struct ReplayCalibration: Sendable {
    public var calibration: Calibration
    public var standing: CapturedPose
    public var sitting: CapturedPose
}

/// `posturectl replay`: the daemon's engine over a recording, as fast as it can.
public struct Replay {
    public var inputPath: String
    public var stand: TimeWindow
    public var sit: TimeWindow
    public var engine = EngineConfiguration()
    /// `.undeclared` unless a configuration names the sensors (`--config`).
    public var pelvisPrior = MountingPrior.undeclared
    public var upperLumbarPrior = MountingPrior.undeclared

    public init(inputPath: String, stand: TimeWindow, sit: TimeWindow) {
        self.inputPath = inputPath
        self.stand = stand
        self.sit = sit
    }

    /// The calibration from the two windows (see `calibrateWithPoses`).
    public func calibrate() throws -> Calibration { try calibrateWithPoses().calibration }

    /// The same over any sample stream (`next` returns nil at its end), e.g. a simulated
    /// wearer's samples in-process.
    public func calibrate(next: () throws -> IMUSample?) throws -> Calibration {
        try calibrateWithPoses(next: next).calibration
    }

    /// The calibration from the two windows: a first pass that reads only as far as the
    /// later window ends. PostureCore's rules decide (`PoseCapture`, `Calibration`); errors
    /// name the window (`--sit 31:40.7: …`) and what was wrong.
    public func calibrateWithPoses() throws -> ReplayCalibration {
        let reader = try IMUCSVReader(path: inputPath)
        return try calibrateWithPoses(next: reader.next)
    }

    public func calibrateWithPoses(next: () throws -> IMUSample?) throws -> ReplayCalibration {
        var standing = PoseCapture(pose: .standing)
        var sitting = PoseCapture(pose: .sitting)
        for (capture, window) in [(standing, stand), (sitting, sit)] {
            if let error = capture.lengthError(windowSeconds: window.end - window.start) {
                throw ReplayError("\(flag(capture.pose)): \(error)")
            }
        }
        let lastNeeded = max(stand.end, sit.end)
        var lastTime: Double?
        while let sample = try next() {
            if sample.t > lastNeeded, sample.sensor == SensorIndex.pelvis { break }
            lastTime = max(lastTime ?? sample.t, sample.t)
            if stand.contains(sample.t) { standing.add(sample) }
            if sit.contains(sample.t) { sitting.add(sample) }
        }
        let standPose = try pose(standing, recordingEnd: lastTime)
        let sitPose = try pose(sitting, recordingEnd: lastTime)
        do {
            let calibration = try Calibration(
                standing: standPose, sitting: sitPose, pelvisPrior: pelvisPrior, upperLumbarPrior: upperLumbarPrior)
            return ReplayCalibration(calibration: calibration, standing: standPose, sitting: sitPose)
        } catch {
            throw ReplayError("\(flag(error.pose)): \(error)")
        }
    }

    /// The `--stand A:B` or `--sit C:D` a message names.
    public func flag(_ pose: CalibrationPose) -> String { pose == .standing ? "--stand \(stand)" : "--sit \(sit)" }

    private func pose(_ capture: PoseCapture, recordingEnd: Double?) throws -> CapturedPose {
        switch capture.result() {
        case .success(let pose): return pose
        case .failure(.noSamples(let pose, SensorIndex.pelvis)):
            let window = pose == .standing ? stand : sit
            if let end = recordingEnd, window.start > end {
                throw ReplayError(
                    "\(flag(pose)): \(pose.rawValue) pose: the window starts after the recording ends "
                        + "(last sample at \(jsonNumber(end)) s); no samples of sensor 0 in the window")
            }
            throw ReplayError("\(flag(pose)): \(CalibrationError.noSamples(pose: pose, sensor: SensorIndex.pelvis))")
        case .failure(let error): throw ReplayError("\(flag(error.pose)): \(error)")
        }
    }

    /// Runs the engine over the whole recording, reporting each step to `observe`, and returns
    /// the summary. The file is parsed on a thread of its own, ahead of the engine.
    public func run(calibration: Calibration, observe: (EngineStep) throws -> Void) throws -> DaySummary {
        let reader = PrefetchingSampleReader(path: inputPath)
        return try run(next: reader.next, calibration: calibration, observe: observe)
    }

    /// The engine over any sample stream (`next` returns nil at its end).
    public func run(
        next: () throws -> IMUSample?, calibration: Calibration, observe: (EngineStep) throws -> Void
    ) throws -> DaySummary {
        var engine = PostureEngine(configuration: engine, calibration: calibration)
        while let sample = try next() {
            if let step = engine.process(sample) { try observe(step) }
        }
        return engine.summary()
    }
}
