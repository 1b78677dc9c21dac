import Dispatch
import Logging
import PostureConfig
import PostureControl
import PostureCore
import PostureHardware
import PostureSim
import PostureStore
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// `postured` from options to exit status: load and check everything first (the daemon
/// never starts half-configured), then run the sampling loop, the supervisor and the
/// control server until SIGTERM.
public enum DaemonCore {
    public static func run(_ options: DaemonOptions) async -> Int32 {
        let logLevel = LogLevelSwitch(.info)
        LoggingSystem.bootstrap(
            JournalLogHandler.factory(level: logLevel, format: options.foreground ? .terminal : .detect()),
            metadataProvider: nil)
        let logger = Logger(label: "postured")

        // 1. Configuration.
        let configuration: PostureConfiguration
        switch CheckConfig.load(path: options.configPath) {
        case .success(let loaded): configuration = loaded
        case .failure(let errors):
            logger.error("refusing to start: the configuration has problems\n\(CheckConfig.render(errors))")
            return ExitStatus.config
        }
        logLevel.set(configuration.log.level)
        let configurationText = try? TextFile.contents(of: options.configPath).get()

        // 2. The day log: refuse a foreign or corrupt file rather than touch it.
        let stateDirectory = options.stateDirectory(configured: configuration.store.stateDirectory)
        let dayLog: DayLog
        do {
            dayLog = try DayLog.open(stateDirectory: stateDirectory, mode: .readWrite)
        } catch {
            logger.error("refusing to start: \(error)")
            return ExitStatus.failure
        }

        // 3. Calibration: the last one stored, or the configured mountings at face value.
        let mounts = configuration.sensors.map(\.mount)
        let stored = (try? dayLog.latestCalibration()) ?? nil
        let sensorCount = options.simulate.map { Scenario.named($0, seed: options.seed)?.sensorCount ?? 1 } ?? configuration.sensors.count
        guard
            let calibration = stored
                ?? Calibration.assumed(
                    sensorCount: sensorCount, pelvisMount: mounts.first ?? .standard,
                    upperLumbarMount: mounts.count > 1 ? mounts[1] : .standard)
        else {
            logger.error("refusing to start: the configured sensor mountings do not make a calibration")
            return ExitStatus.config
        }
        if stored == nil {
            logger.warning(options.simulate == nil
                ? "not calibrated: angles use the configured mounting as is; run 'posturectl calibrate'"
                : "not calibrated yet: calibrating from the scenario's standing and sitting poses")
        }

        // 4. Sensors and the sampling loop.
        var loopConfiguration = LoopConfiguration(sampling: configuration.sampling)
        let sources: SourceSet
        do {
            if let scenario = options.simulate {
                sources = try SourceFactory.simulated(
                    scenarioNamed: scenario, seed: options.seed, speed: options.speed, loop: loopConfiguration)
            } else {
                sources = try SourceFactory.hardware(configuration: configuration)
            }
        } catch {
            logger.error("refusing to start: \(error)")
            return ExitStatus.config
        }
        if let scenario = sources.scenario {
            do {
                loopConfiguration.simulation = LoopConfiguration.Simulation(
                    endTime: scenario.duration,
                    calibration: stored == nil ? try ScenarioCalibration.capture(scenario, loop: loopConfiguration) : nil)
            } catch {
                logger.error("refusing to start: the scenario's poses make no calibration: \(error)")
                return ExitStatus.failure
            }
        }
        var engineConfiguration = EngineConfiguration()
        engineConfiguration.policy = configuration.policy
        let engine = PostureEngine(configuration: engineConfiguration, calibration: calibration)
        let loop: SamplingLoop
        do {
            loop = try SamplingLoop.start(configuration: loopConfiguration, engine: engine, sources: sources)
        } catch {
            logger.error("refusing to start: \(error)")
            return ExitStatus.failure
        }
        for sensor in loop.startup {
            if let error = sensor.error {
                logger.warning("sensor not answering yet; retrying", metadata: ["sensor": "\(sensor.index)", "error": "\(error)"])
            } else {
                logger.info("sensor", metadata: [
                    "sensor": "\(sensor.index)", "chip": "\(sensor.description)",
                    "config": "\(sensor.configurationSummary ?? "")",
                ])
            }
        }

        // 5. Indicators: every configured line, or nothing starts.
        let indicators: Indicators
        do {
            indicators = try Indicators.open(configuration.indicators, logger: logger)
        } catch {
            loop.stop()
            logger.error("refusing to start: \(error)")
            return ExitStatus.failure
        }

        // 5b. The button, if configured: a line that is missing or taken refuses the start,
        // naming the key, like any other configuration problem.
        var button: (watcher: ButtonWatcher, signals: AsyncStream<ButtonSignal>)?
        if let configured = configuration.button {
            do {
                button = try ButtonRelay.start(timing: ButtonRelay.timing(configured)) {
                    let line = try ButtonRelay.open(configured)
                    logger.info("button", metadata: [
                        "line": "\(line.chip) line \(line.line)",
                        "debounce": "\(line.kernelDebounced ? "by the kernel" : "by the daemon")",
                    ])
                    return line
                }
            } catch {
                loop.stop()
                indicators.stop()
                let (key, isConfiguration) = ButtonRelay.blame(error)
                logger.error("refusing to start: \(options.configPath): \(key): \(error)")
                return isConfiguration ? ExitStatus.config : ExitStatus.failure
            }
        }
        defer { button?.watcher.stop() }

        // 6. systemd, the supervisor and the control socket.
        let notifier: SystemdNotifier
        do {
            notifier = try SystemdNotifier.fromProcessEnvironment()
        } catch {
            loop.stop()
            indicators.stop()
            logger.error("refusing to start: \(error)")
            return ExitStatus.failure
        }
        let socketPath = options.controlSocketPath(configured: configuration.control.socketPath)
        let simulatedDayStart = options.simulate.map { _ in ClockTrust.todayAt(hour: 9, now: ClockTrust.now().realtime) }
        let supervisor = Supervisor(
            settings: Supervisor.Settings(
                configPath: options.configPath, socketPath: socketPath, simulatedDayStart: simulatedDayStart,
                nudgesToTerminal: options.simulate != nil && configuration.indicators.isEmpty,
                scenarioCalibration: loopConfiguration.simulation?.calibration,
                scenarioDuration: sources.scenario?.duration),
            loop: loop, notifier: notifier, logger: logger, logLevel: logLevel, configuration: configuration,
            configurationText: configurationText, dayLog: dayLog, indicators: indicators,
            calibration: calibration, calibrated: stored != nil)
        let server = ControlServer(
            configuration: ControlServerConfiguration(path: socketPath, group: configuration.control.group),
            handler: DaemonControl(supervisor: supervisor), logger: logger)
        do {
            try server.bind()
        } catch {
            loop.stop()
            indicators.stop()
            logger.error("refusing to start: \(error)")
            return ExitStatus.failure
        }
        let reloads = ReloadSignal(supervisor: supervisor, logger: logger)

        logger.notice("started", metadata: [
            "version": "\(PosturedVersion.string)", "config": "\(options.configPath)", "socket": "\(socketPath)",
            "state_directory": "\(stateDirectory)",
            "mode": "\(options.simulate.map { "simulated \($0) at \(options.speed)x" } ?? "hardware")",
        ])
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    // The supervisor returns at the end of a simulated day: then stop everything.
                    .init(service: SupervisorService(supervisor: supervisor), successTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: server),
                ] + (button.map { [.init(service: ButtonService(signals: $0.signals, supervisor: supervisor))] } ?? []),
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("stopped on error: \(error)")
            return ExitStatus.failure
        }
        withExtendedLifetime(reloads) {}
        return ExitStatus.success
    }
}

/// Runs the supervisor as a ServiceLifecycle service: its loop ends on graceful shutdown.
struct SupervisorService: Service {
    let supervisor: Supervisor

    func run() async throws {
        await supervisor.run(isShuttingDown: { Task.isShuttingDownGracefully })
    }
}

/// SIGHUP → reload, as every Unix daemon does. Dispatch's signal source, because
/// ServiceLifecycle handles only shutdown signals.
final class ReloadSignal {
    private let source: any DispatchSourceSignal

    init(supervisor: Supervisor, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            Task {
                do {
                    _ = try await supervisor.reload()
                } catch {
                    logger.error("SIGHUP reload refused: \(error)")
                }
            }
        }
        source.resume()
    }

    deinit { source.cancel() }
}
