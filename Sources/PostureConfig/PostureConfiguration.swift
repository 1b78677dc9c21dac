public import PostureCore

/// Everything `/etc/postured/postured.toml` can set. `PostureConfiguration()` is the daemon's
/// behaviour with an empty file; `config/postured.toml` spells out exactly these defaults.
public struct PostureConfiguration: Sendable, Equatable {
    /// At most this many `[[sensor]]`s: the pelvis and the upper lumbar spine.
    public static let maximumSensors = SensorIndex.count
    public static let maximumIndicators = 8
    /// Where the daemon looks by default.
    public static let defaultPath = "/etc/postured/postured.toml"

    public var sampling: SamplingConfiguration
    /// Index 0 is the pelvis, 1 (optional) the upper lumbar spine.
    public var sensors: [SensorConfiguration]
    /// None by default: nudges are then only logged and counted. Driving a GPIO line nobody
    /// wired could disturb whatever else is connected to it.
    public var indicators: [IndicatorConfiguration]
    public var policy: PolicyConfiguration
    public var store: StoreConfiguration
    public var control: ControlConfiguration
    public var log: LogConfiguration
    public var metrics: MetricsConfiguration
    /// None by default: a button is wired on purpose, and reading a line nobody wired as an
    /// input would take it from whatever else uses it.
    public var button: ButtonConfiguration?
    /// Whether the file had `[[sensor]]` tables, rather than `sensors` being the defaults:
    /// only then does `replay --config` judge calibration poses against the mountings.
    public var namesSensors = false

    public init(
        sampling: SamplingConfiguration = SamplingConfiguration(),
        sensors: [SensorConfiguration] = [SensorConfiguration()],
        indicators: [IndicatorConfiguration] = [],
        policy: PolicyConfiguration = .standard,
        store: StoreConfiguration = StoreConfiguration(),
        control: ControlConfiguration = ControlConfiguration(),
        log: LogConfiguration = LogConfiguration(),
        metrics: MetricsConfiguration = MetricsConfiguration(),
        button: ButtonConfiguration? = nil
    ) {
        self.sampling = sampling
        self.sensors = sensors
        self.indicators = indicators
        self.policy = policy
        self.store = store
        self.control = control
        self.log = log
        self.metrics = metrics
        self.button = button
    }
}

extension PostureConfiguration {
    /// Parses and decodes a configuration text; `fileName` only labels the problems.
    ///
    /// `checkingPlaces`: also look at the directories the daemon would write besides its own
    /// (`DirectoryCheck`). The daemon does (start, reload, `--check-config`); a reader of the
    /// same file elsewhere (`posturectl replay --config` on a laptop) does not.
    public static func parse(
        text: String, fileName: String, checkingPlaces: Bool = false
    ) -> Result<PostureConfiguration, ConfigErrors> {
        let document: TOMLTable
        do throws(TOMLSyntaxError) {
            document = try TOMLParser.parse(text, fileName: fileName)
        } catch {
            return .failure(ConfigErrors(error))
        }
        return decode(document, fileName: fileName, checkingPlaces: checkingPlaces)
    }

    /// Reads, parses and decodes the file at `path`; problems are labelled with `path` as given.
    public static func load(
        path: String = defaultPath, checkingPlaces: Bool = false
    ) -> Result<PostureConfiguration, ConfigErrors> {
        switch TextFile.contents(of: path) {
        case .success(let text):
            return parse(text: text, fileName: path, checkingPlaces: checkingPlaces)
        case .failure(let failure):
            return .failure(ConfigErrors([ConfigProblem(fileName: path, line: nil, keyPath: nil, message: failure.message)]))
        }
    }

    /// Decodes a parsed document, collecting every problem rather than stopping at the first.
    public static func decode(
        _ document: TOMLTable, fileName: String, checkingPlaces: Bool = false
    ) -> Result<PostureConfiguration, ConfigErrors> {
        let log = ProblemLog(fileName: fileName)
        var root = SectionReader(table: document, path: "", log: log)
        let defaults = PostureConfiguration()
        let sensors = root.tableArray("sensor", limit: maximumSensors) { SensorConfiguration(reading: &$0) }
        let indicators = root.tableArray("indicator", limit: maximumIndicators) { IndicatorConfiguration(reading: &$0) }
        var configuration = PostureConfiguration(
            sampling: root.subtable("sampling", default: defaults.sampling) { SamplingConfiguration(reading: &$0) },
            sensors: sensors?.map(\.value) ?? defaults.sensors,
            indicators: indicators?.map(\.value) ?? defaults.indicators,
            policy: root.subtable("policy", default: defaults.policy) { PolicyConfiguration(reading: &$0) },
            store: root.subtable("store", default: defaults.store) { StoreConfiguration(reading: &$0) },
            control: root.subtable("control", default: defaults.control) { ControlConfiguration(reading: &$0) },
            log: root.subtable("log", default: defaults.log) { LogConfiguration(reading: &$0) },
            metrics: root.subtable("metrics", default: defaults.metrics) { MetricsConfiguration(reading: &$0) },
            button: root.subtable("button", default: defaults.button) { ButtonConfiguration(reading: &$0) })
        configuration.namesSensors = sensors.map { !$0.isEmpty } ?? false
        root.reportUnknownKeys()
        if configuration.sensors.isEmpty {
            // `sensor = []`; anything else that left no sensor has been reported already.
            if let value = document["sensor"], case .array(let items) = value.content, items.isEmpty {
                log.report(line: value.line, keyPath: "sensor", "an empty array, expected at least one sensor (the pelvis)")
            }
            configuration.sensors = defaults.sensors
        }
        CrossChecks(
            configuration: configuration, document: document, log: log,
            sensorIndices: sensors?.map(\.index) ?? Array(configuration.sensors.indices),
            indicatorIndices: indicators?.map(\.index) ?? []
        ).run(checkingPlaces: checkingPlaces)
        let problems = log.sortedProblems
        return problems.isEmpty ? .success(configuration) : .failure(ConfigErrors(problems))
    }
}

extension PostureConfiguration {
    /// Equal when they configure the same: `namesSensors` says where the sensors came from,
    /// not what they are, so a file spelling out the defaults equals the defaults.
    public static func == (a: PostureConfiguration, b: PostureConfiguration) -> Bool {
        a.sampling == b.sampling && a.sensors == b.sensors && a.indicators == b.indicators && a.policy == b.policy
            && a.store == b.store && a.control == b.control && a.log == b.log
            && a.metrics == b.metrics && a.button == b.button
    }

    /// Sensor `index`'s configured mounting as a calibration prior (the standard mounting
    /// when the sensor is not configured), with the given knowledge: the daemon's
    /// configuration always declares; a replay's only when it `namesSensors`.
    public func mountingPrior(sensor index: Int, _ knowledge: MountingKnowledge) -> MountingPrior {
        MountingPrior(sensors.indices.contains(index) ? sensors[index].mount : .standard, knowledge)
    }
}
