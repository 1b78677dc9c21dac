import CPostureShim

/// One edge, timestamped by the kernel when the interrupt fired.
public struct GPIOEdge: Sendable, Equatable {
    /// `CLOCK_MONOTONIC` nanoseconds: the same clock as the daemon's sample times.
    public var timestampNanoseconds: UInt64
    public var rising: Bool

    public init(timestampNanoseconds: UInt64, rising: Bool) {
        self.timestampNanoseconds = timestampNanoseconds
        self.rising = rising
    }
}

/// A GPIO input requested for edge events: a sensor's data-ready interrupt (rising edges,
/// owned by the sampling thread, like the I2C bus) or a button (both edges, owned by the
/// button thread). Released on deinit.
public final class GPIOEdgeLine: ButtonEdgeSource {
    public let chip: String
    public let line: String
    /// The kernel debounces the edges (libgpiod v2's `debounce_period_us` took effect).
    public let kernelDebounced: Bool
    private let request: OpaquePointer

    init(request: OpaquePointer, chip: String, line: String, kernelDebounced: Bool = false) {
        self.request = request
        self.chip = chip
        self.line = line
        self.kernelDebounced = kernelDebounced
    }

    deinit {
        GPIODShim.release(request)
    }

    /// Waits for edges; true if some are pending, false after `timeout` (nil waits forever).
    public func wait(timeout: Duration?) throws(GPIOError) -> Bool {
        do {
            return try GPIODShim.waitEdges(request, timeout: timeout)
        } catch {
            throw GPIOError(errno: error, chip: chip, line: line, operation: "waiting for edges")
        }
    }

    /// The line's level now, logical (true = pressed, active-low applied by the kernel).
    public func readPressed() throws(GPIOError) -> Bool? {
        do {
            return try GPIODShim.getValue(request)
        } catch {
            throw GPIOError(errno: error, chip: chip, line: line, operation: "reading the level")
        }
    }

    /// Reads the pending edges (blocking if none) and hands each to `body`, without allocating.
    /// Returns how many were read.
    @discardableResult
    public func readEdges(_ body: (GPIOEdge) -> Void) throws(GPIOError) -> Int {
        try withUnsafeTemporaryAllocation(of: posture_gpio_edge.self, capacity: Int(POSTURE_GPIO_MAX_EDGES_PER_READ)) {
            (events) throws(GPIOError) -> Int in
            let count: Int
            do throws(Errno) {
                count = try GPIODShim.readEdges(request, into: events)
            } catch {
                throw GPIOError(errno: error, chip: chip, line: line, operation: "reading edge events")
            }
            for event in events[..<count] {
                body(GPIOEdge(timestampNanoseconds: event.timestamp_ns, rising: event.rising != 0))
            }
            return count
        }
    }
}
