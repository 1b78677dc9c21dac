import Logging
public import PostureConfig
public import PostureCore
public import PostureHardware
import ServiceLifecycle

/// What the button thread tells the supervisor, in order.
public enum ButtonSignal: Sendable, Equatable {
    case event(ButtonEvent)
    case failed(String)
    case recovered
}

/// The `[button]` line on its own thread (`ButtonWatcher`), its signals carried in order
/// through a stream to the supervisor actor, which the thread never waits on.
public enum ButtonRelay {
    /// Asked of the kernel (libgpiod v2's `debounce_period_us`); the daemon debounces over the
    /// same period where the kernel cannot (`EdgeDebouncer.standardPeriodNanoseconds`).
    static let debounceMicroseconds = UInt32(EdgeDebouncer.standardPeriodNanoseconds / 1000)

    public static func timing(_ configuration: ButtonConfiguration) -> ButtonGestures.Timing {
        ButtonGestures.Timing(
            longPressSeconds: configuration.longPressSeconds, doublePressWindowSeconds: configuration.doublePressWindowSeconds)
    }

    /// Requests the configured line for both edges (the chip searched by line name when none is named).
    public static func open(_ configuration: ButtonConfiguration) throws(GPIOError) -> GPIOEdgeLine {
        let line = configuration.gpio.line.description
        let bias: GPIOBias = switch configuration.bias {
        case .pullUp: .pullUp
        case .pullDown: .pullDown
        case .disabled: .disabled
        case .asIs: .asIs
        }
        return try GPIOChip.requesting(chip: configuration.gpio.chip, line: line) { (chip) throws(GPIOError) in
            try chip.requestBothEdges(
                line: line, activeLow: configuration.activeLow, bias: bias, debounceMicroseconds: debounceMicroseconds)
        }
    }

    /// The key a failed first open is the fault of, and whether that is a configuration
    /// problem (exit 78, which systemd does not restart): a line the chip lacks or another
    /// consumer holds is; a chip not there yet (a USB bridge still enumerating at boot), a
    /// permission or an I/O error is a plain failure, which systemd retries.
    public static func blame(_ error: any Error) -> (key: String, isConfiguration: Bool) {
        guard let gpio = error as? GPIOError else { return ("button", false) }
        switch gpio.kind {
        case .noSuchLine, .lineBusy: return ("button.line", true)
        case .noSuchChip, .permissionDenied: return ("button.chip", false)
        case .io: return ("button.line", false)
        }
    }

    /// Starts the thread, which opens its source with `open` before this returns: the first
    /// open's error is thrown here (a missing or taken line refuses the start).
    public static func start(
        timing: ButtonGestures.Timing, open: @escaping @Sendable () throws -> any ButtonEdgeSource
    ) throws -> (watcher: ButtonWatcher, signals: AsyncStream<ButtonSignal>) {
        let (signals, continuation) = AsyncStream<ButtonSignal>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let watcher = try ButtonWatcher(
            timing: timing, open: open,
            callbacks: ButtonWatcher.Callbacks(
                onEvent: { continuation.yield(.event($0)) },
                onProblem: { continuation.yield(.failed("\($0)")) },
                onRecovered: { continuation.yield(.recovered) }))
        return (watcher, signals)
    }

    /// Hands each signal to the supervisor until the stream ends or the task is cancelled.
    public static func forward(_ signals: AsyncStream<ButtonSignal>, to supervisor: Supervisor) async {
        for await signal in signals {
            switch signal {
            case .event(let event): await supervisor.handleButton(event)
            case .failed(let error): await supervisor.buttonFailed(error)
            case .recovered: await supervisor.buttonRecovered()
            }
        }
    }
}

/// The relay as a ServiceLifecycle service: ends with the daemon's graceful shutdown.
struct ButtonService: Service {
    let signals: AsyncStream<ButtonSignal>
    let supervisor: Supervisor

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await ButtonRelay.forward(signals, to: supervisor)
        }
    }
}
