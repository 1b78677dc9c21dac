/// Rules that involve more than one key, run once every section has been decoded. Each
/// problem is reported at the key the user most likely has to change.
struct CrossChecks {
    let configuration: PostureConfiguration
    let document: TOMLTable
    let log: ProblemLog
    /// The `[[sensor]]` / `[[indicator]]` position in the file of each decoded element: an
    /// element that failed to decode is missing from the configuration but not from the file.
    let sensorIndices: [Int]
    let indicatorIndices: [Int]

    func run(checkingPlaces: Bool = false) {
        if checkingPlaces { checkMetricsDirectory() }
        checkDataReadyPacing()
        for (sensor, index) in zip(configuration.sensors, sensorIndices) {
            checkLowPass(sensor, index: index)
            checkGyroRange(sensor, index: index)
        }
        checkSensorAddresses()
        checkIndicatorLines()
        checkButtonLine()
    }

    /// A textfile directory that is missing or not writable would only fail each minute
    /// unseen: refused at start, where the administrator is looking.
    private func checkMetricsDirectory() {
        let directory = configuration.metrics.textfileDirectory
        guard !directory.isEmpty, let problem = DirectoryCheck.writableProblem(directory) else { return }
        report(["metrics", "textfile_directory"], "\(TOMLValue.quoted(directory)) \(problem)")
    }

    /// Data-ready pacing waits on every sensor's interrupt line.
    private func checkDataReadyPacing() {
        guard configuration.sampling.pacing == .dataReady else { return }
        for (sensor, index) in zip(configuration.sensors, sensorIndices) where sensor.dataReady == nil {
            report(
                ["sampling", "pacing"],
                "\"data-ready\" needs the interrupt line of sensor[\(index)], which sets no data_ready; "
                    + "expected data_ready = \"CHIP:LINE\" in every [[sensor]], or pacing = \"timer\" or \"fifo\"")
        }
    }

    /// A cut-off above the Nyquist frequency lets vibration alias into the posture band.
    private func checkLowPass(_ sensor: SensorConfiguration, index: Int) {
        let nyquist = Double(configuration.sampling.rateHz) / 2
        guard sensor.lowPassHz > nyquist else { return }
        let path: [any KeyPathComponent] = line(of: ["sensor", index, "lowpass_hz"]) != nil
            ? ["sensor", index, "lowpass_hz"] : ["sampling", "rate_hz"]
        report(
            path,
            "sensor[\(index)].lowpass_hz (\(format(sensor.lowPassHz)) Hz) is more than half of sampling.rate_hz "
                + "(\(configuration.sampling.rateHz) Hz), expected a cut-off of at most \(format(nyquist)) Hz")
    }

    private func checkGyroRange(_ sensor: SensorConfiguration, index: Int) {
        guard sensor.gyroRangeDPS == 125, sensor.chip != .auto, !sensor.chip.offersGyro125 else { return }
        report(
            ["sensor", index, "gyro_range_dps"],
            "125 °/s is not available on the \(sensor.chip.rawValue), expected one of 250, 500, 1000 or 2000 °/s")
    }

    /// Two sensors cannot answer at one address on one bus.
    private func checkSensorAddresses() {
        let sensors = Array(zip(configuration.sensors, sensorIndices))
        for second in sensors.indices.dropFirst() {
            for first in sensors.indices where first < second {
                let (a, b) = (sensors[first].0, sensors[second].0)
                guard a.bus.canonical == b.bus.canonical, case .fixed(let address) = b.address, a.address == b.address else { continue }
                report(
                    ["sensor", sensors[second].1, "address"],
                    "sensor[\(sensors[first].1)] already uses address 0x\(String(address, radix: 16)) on the same bus, "
                        + "expected the other address the chip straps to (e.g. 0x68 and 0x69)")
            }
        }
    }

    /// One line cannot drive two indicators (the second request would fail with EBUSY).
    private func checkIndicatorLines() {
        let indicators = Array(zip(configuration.indicators, indicatorIndices))
        for second in indicators.indices.dropFirst() {
            for first in indicators.indices where first < second && indicators[first].0.gpio == indicators[second].0.gpio {
                report(
                    ["indicator", indicators[second].1, "line"],
                    "\(indicators[second].0.gpio) is already driven by indicator[\(indicators[first].1)], expected a different GPIO line")
            }
        }
        // A sensor's interrupt line is an input the chip drives: an indicator requested on
        // it as an output would fight the chip's pin, or fail with EBUSY after it.
        for (indicator, indicatorIndex) in indicators {
            for (sensor, sensorIndex) in zip(configuration.sensors, sensorIndices) where sensor.dataReady == indicator.gpio {
                report(
                    ["indicator", indicatorIndex, "line"],
                    "\(indicator.gpio) is already sensor[\(sensorIndex)].data_ready (its interrupt line), expected a different GPIO line")
            }
        }
    }

    /// The button's input cannot be an indicator's output or a sensor's interrupt line: the
    /// second request would fail with EBUSY, or worse, the daemon would read its own nudges.
    private func checkButtonLine() {
        guard let button = configuration.button else { return }
        if let index = zip(configuration.indicators, indicatorIndices).first(where: { $0.0.gpio == button.gpio })?.1 {
            report(["button", "line"], "\(button.gpio) is already driven by indicator[\(index)], expected a different GPIO line")
        }
        for (sensor, index) in zip(configuration.sensors, sensorIndices) where sensor.dataReady == button.gpio {
            report(
                ["button", "line"],
                "\(button.gpio) is already sensor[\(index)].data_ready (its interrupt line), expected a different GPIO line")
        }
    }

    // MARK: Locating keys

    private func report(_ path: [any KeyPathComponent], _ message: String) {
        let keyPath = path.enumerated().map { index, component in
            index == 0 || component is Int ? component.rendered : "." + component.rendered
        }.joined()
        log.report(line: line(of: path) ?? enclosingLine(of: path), keyPath: keyPath, message)
    }

    /// The line of the value at `path`, if the file sets it.
    private func line(of path: [any KeyPathComponent]) -> Int? {
        var current = TOMLValue(.table(document), line: document.line)
        for component in path {
            guard let next = component.step(into: current) else { return nil }
            current = next
        }
        return current.line
    }

    /// For a key the file leaves at its default: the line of the nearest enclosing table that exists.
    private func enclosingLine(of path: [any KeyPathComponent]) -> Int? {
        var prefix = path
        while !prefix.isEmpty {
            prefix.removeLast()
            if !prefix.isEmpty, let line = line(of: prefix) { return line }
        }
        return nil
    }
}

/// A step in a key path: a key (`"sensor"`) or an array index (`1`).
protocol KeyPathComponent {
    var rendered: String { get }
    func step(into value: TOMLValue) -> TOMLValue?
}

extension String: KeyPathComponent {
    var rendered: String { self }

    func step(into value: TOMLValue) -> TOMLValue? {
        guard case .table(let table) = value.content else { return nil }
        return table[self]
    }
}

extension Int: KeyPathComponent {
    var rendered: String { "[\(self)]" }

    func step(into value: TOMLValue) -> TOMLValue? {
        guard case .array(let elements) = value.content, elements.indices.contains(self) else { return nil }
        return elements[self]
    }
}
