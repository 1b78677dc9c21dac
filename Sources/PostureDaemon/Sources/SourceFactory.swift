public import PostureConfig
public import PostureHardware
public import PostureSim

/// The sensors and time base for one run of the loop: real hardware from the configuration,
/// or a simulated wearer for demo mode and tests. Handed to `SamplingLoop.start` whole.
public struct SourceSet {
    public var sources: [any SensorSource]
    public var timeBase: LoopTimeBase
    /// The scenario being simulated (its duration tells a demo when to stop), `nil` on hardware.
    public var scenario: Scenario?

    public init(sources: [any SensorSource], timeBase: LoopTimeBase, scenario: Scenario? = nil) {
        self.sources = sources
        self.timeBase = timeBase
        self.scenario = scenario
    }
}

public enum SourceFactoryError: Error, Equatable, CustomStringConvertible {
    case unknownScenario(String)
    case noSensors

    public var description: String {
        switch self {
        case .unknownScenario(let name):
            let names = Scenario.allNames + Scenario.allNames.filter { $0 != "one-sensor" }.map { $0 + "-one-sensor" }
            return "unknown scenario \"\(name)\"; choose one of: " + names.joined(separator: ", ")
        case .noSensors:
            return "no [[sensor]] configured: at least the pelvis sensor (sensor 0) is needed"
        }
    }
}

public enum SourceFactory {
    /// Where the simulated chips sit: an MPU-6050 for the pelvis and an LSM6DS3 for the upper
    /// lumbar spine, two different families on one bus, as a real build might mix them.
    public static let simulatedAddresses: [UInt8] = [0x68, 0x6A]
    public static let simulatedBusName = "simulated i2c-1"

    /// What the loop asks of each chip.
    public static func settings(for sensor: SensorConfiguration, loop: LoopConfiguration) -> IMUSettings {
        IMUSettings(
            rateHz: Double(loop.rateHz), accelRangeG: Double(sensor.accelRangeG), gyroRangeDPS: Double(sensor.gyroRangeDPS),
            lowPassHz: sensor.lowPassHz, fifoWatermarkFrames: loop.pacing == .fifo ? loop.fifoWatermarkFrames : nil)
    }

    /// Real sensors from `[[sensor]]`. Nothing is opened yet (`SamplingLoop.start` does it).
    /// Auto-addressed sensors on one bus skip the addresses other sensors there are fixed to,
    /// and take the first, second… chip found in address order.
    public static func hardware(sensors: [SensorConfiguration], loop: LoopConfiguration) throws(SourceFactoryError) -> SourceSet {
        guard !sensors.isEmpty else { throw .noSensors }
        var sources: [any SensorSource] = []
        for (i, sensor) in sensors.prefix(2).enumerated() {
            let sameBus = sensors.prefix(2).enumerated().filter { $0.offset != i && $0.element.bus == sensor.bus }
            let excluded = sameBus.compactMap { other -> UInt8? in
                if case .fixed(let a) = other.element.address { return a }
                return nil
            }
            let rank = sameBus.filter { $0.offset < i && $0.element.address == .auto }.count
            sources.append(HardwareSensorSource(
                index: i, sensor: sensor, settings: settings(for: sensor, loop: loop), excludedAddresses: excluded, autoRank: rank))
        }
        return SourceSet(sources: sources, timeBase: .monotonic)
    }

    public static func hardware(configuration: PostureConfiguration) throws(SourceFactoryError) -> SourceSet {
        try hardware(sensors: configuration.sensors, loop: LoopConfiguration(sampling: configuration.sampling))
    }

    /// `--simulate NAME [--speed S]`: the scenario's wearer on simulated chips.
    public static func simulated(
        scenarioNamed name: String, seed: UInt64 = 1, speed: Double = 1, loop: LoopConfiguration,
        wearer: WearerConfig = WearerConfig()
    ) throws(SourceFactoryError) -> SourceSet {
        guard let scenario = Scenario.named(name, seed: seed) else { throw .unknownScenario(name) }
        return simulated(scenario: scenario, speed: speed, loop: loop, wearer: wearer)
    }

    public static func simulated(
        scenario: Scenario, speed: Double = 1, loop: LoopConfiguration, wearer config: WearerConfig = WearerConfig()
    ) -> SourceSet {
        let wearer = scenario.makeWearer(config: config)
        let clock = VirtualClock(speed: speed)
        let bus = SimulatedI2CBus(name: simulatedBusName, clock: { clock.now })
        bus.attach(SimulatedMPU6xxx(.mpu6050, motion: WearerMotion(wearer, sensor: 0)), at: simulatedAddresses[0])
        let settings = settings(for: SensorConfiguration(), loop: loop)
        let emulateEdges = loop.pacing == .dataReady
        var sources: [any SensorSource] = [
            SimulatedSensorSource(index: 0, bus: bus, address: simulatedAddresses[0], settings: settings, emulatesDataReady: emulateEdges)
        ]
        if scenario.sensorCount > 1 {
            bus.attach(SimulatedLSM6DS(.lsm6ds3, motion: WearerMotion(wearer, sensor: 1)), at: simulatedAddresses[1])
            sources.append(SimulatedSensorSource(index: 1, bus: bus, address: simulatedAddresses[1], settings: settings))
        }
        return SourceSet(sources: sources, timeBase: .virtual(clock), scenario: scenario)
    }
}
