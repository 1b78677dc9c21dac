public import PostureCore

/// A replay that cannot start or run, naming the window, file or option at fault.
public struct ReplayError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `posturectl replay`: the daemon's engine over a recording, as fast as it can.
public struct Replay {
    public var inputPath: String
    public var stand: TimeWindow
    public var sit: TimeWindow
    public var engine = EngineConfiguration()
    public var pelvisMount = SensorMounting.standard
    public var upperLumbarMount = SensorMounting.standard

    public init(inputPath: String, stand: TimeWindow, sit: TimeWindow) {
        self.inputPath = inputPath
        self.stand = stand
        self.sit = sit
    }

    /// The calibration from the two windows: a first pass that reads only as far as the
    /// later window ends. Errors name the window (`--stand 1:11`) and what was wrong.
    public func calibrate() throws -> Calibration {
        let reader = try IMUCSVReader(path: inputPath)
        return try calibrate(next: reader.next)
    }

    /// The calibration from the two windows over any sample stream (`next` returns nil at
    /// its end), e.g. a simulated wearer's samples in-process.
    public func calibrate(next: () throws -> IMUSample?) throws -> Calibration {
        var standing = PoseCapture(pose: .standing)
        var sitting = PoseCapture(pose: .sitting)
        let lastNeeded = max(stand.end, sit.end)
        while let sample = try next() {
            if sample.t > lastNeeded, sample.sensor == SensorIndex.pelvis { break }
            if stand.contains(sample.t) { standing.add(sample) }
            if sit.contains(sample.t) { sitting.add(sample) }
        }
        let standPose: CapturedPose
        let sitPose: CapturedPose
        switch standing.result() {
        case .success(let pose): standPose = pose
        case .failure(let error): throw ReplayError("--stand \(stand): \(error)")
        }
        switch sitting.result() {
        case .success(let pose): sitPose = pose
        case .failure(let error): throw ReplayError("--sit \(sit): \(error)")
        }
        do {
            return try Calibration(
                standing: standPose, sitting: sitPose, pelvisMount: pelvisMount, upperLumbarMount: upperLumbarMount)
        } catch {
            let flag = error.pose == .standing ? "--stand \(stand)" : "--sit \(sit)"
            throw ReplayError("\(flag): \(error)")
        }
    }

    /// Runs the engine over the whole recording, reporting each step to `observe`.
    /// Returns the summary.
    public func run(calibration: Calibration, observe: (EngineStep) throws -> Void) throws -> DaySummary {
        let reader = try IMUCSVReader(path: inputPath)
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
