public import PostureHardware
import CPostureShim

/// The edge that paces `data-ready` sampling: a chip's interrupt on a GPIO line.
public protocol DataReadySignal: AnyObject {
    /// Waits up to `timeoutNanoseconds` for edges and consumes every pending one. Returns the
    /// newest edge's CLOCK_MONOTONIC time and how many were pending (more than one means
    /// samples were missed), or `nil` on timeout. Does not allocate.
    func waitForEdges(timeoutNanoseconds: Int64) throws(GPIOError) -> DataReadyEdges?
}

public struct DataReadyEdges: Sendable, Equatable {
    public var newestNanoseconds: Int64
    public var count: Int
}

/// A real interrupt line; timestamps come from the kernel, taken when the interrupt fired.
public final class GPIODataReadySignal: DataReadySignal {
    public let line: GPIOEdgeLine

    public init(line: GPIOEdgeLine) { self.line = line }

    /// Requests `spec` for rising edges. Without a chip, every chip is searched for the line name.
    public convenience init(spec chip: String?, line: String, activeLow: Bool = false) throws(GPIOError) {
        self.init(line: try GPIOChip.requesting(chip: chip, line: line) { (c) throws(GPIOError) in
            try c.requestRisingEdges(line: line, activeLow: activeLow)
        })
    }

    public func waitForEdges(timeoutNanoseconds: Int64) throws(GPIOError) -> DataReadyEdges? {
        guard try line.wait(timeout: .nanoseconds(max(0, timeoutNanoseconds))) else { return nil }
        var newest: Int64 = 0
        let count = try line.readEdges { edge in newest = max(newest, Int64(truncatingIfNeeded: edge.timestampNanoseconds)) }
        return count > 0 ? DataReadyEdges(newestNanoseconds: newest, count: count) : nil
    }
}

/// An emulated interrupt for simulated chips at real speed: an edge every sample period on
/// the monotonic clock (the simulated chip converts on its own schedule, which is close enough
/// for pacing). Set `periodNanoseconds` from the configured rate.
public final class SimulatedDataReadySignal: DataReadySignal {
    public var periodNanoseconds: Int64
    private var next: Int64?
    /// Test hook: edges stop (a broken interrupt line) while this is true.
    public var isSilent = false

    public init(periodNanoseconds: Int64) { self.periodNanoseconds = max(1, periodNanoseconds) }

    public func waitForEdges(timeoutNanoseconds: Int64) throws(GPIOError) -> DataReadyEdges? {
        let now = MonotonicClock.nowNanoseconds()
        if isSilent {
            MonotonicClock.sleep(untilNanoseconds: now + timeoutNanoseconds)
            return nil
        }
        var edge = next ?? (now + periodNanoseconds)
        var count = 1
        // Edges that already passed while the loop was busy count as pending.
        while edge + periodNanoseconds <= now {
            edge += periodNanoseconds
            count += 1
        }
        if edge > now + timeoutNanoseconds {
            MonotonicClock.sleep(untilNanoseconds: now + timeoutNanoseconds)
            return nil
        }
        MonotonicClock.sleep(untilNanoseconds: edge)
        next = edge + periodNanoseconds
        return DataReadyEdges(newestNanoseconds: edge, count: count)
    }
}
