import PostureCore
import PostureHardware
import Synchronization
import XCTest

/// The button thread's life: a line that cannot be opened at start fails the start; one that
/// fails later is reported once, reopened with back-off, and works again.
final class ButtonWatcherTests: XCTestCase {
    func testALineThatCannotBeOpenedFailsTheStart() {
        let missing = GPIOError(kind: .noSuchLine(lineCount: 8), chip: "cp2112_gpio", line: "9")
        XCTAssertThrowsError(try ButtonWatcher(
            timing: .standard, open: { throw missing },
            callbacks: ButtonWatcher.Callbacks(onEvent: { _ in }, onProblem: { _ in }, onRecovered: {}))
        ) { error in
            XCTAssertEqual(error as? GPIOError, missing)
        }
    }

    func testAFailingLineIsReportedOnceAndReopenedWithBackOff() throws {
        let opens = Atomic(0)
        let problems = Mutex<[String]>([])
        let recovered = Atomic(0)
        let stillHeldAtReopen = Atomic(0)
        let watcher = try ButtonWatcher(
            timing: .standard,
            open: {
                // The first line fails on its first wait (unplugged); the next two opens fail
                // (the bridge is gone); the fourth works.
                let n = opens.add(1, ordering: .sequentiallyConsistent).newValue
                // The failed request must be given back first, or reopening finds the line busy.
                stillHeldAtReopen.add(FailingSource.alive.load(ordering: .sequentiallyConsistent), ordering: .sequentiallyConsistent)
                switch n {
                case 1: return FailingSource()
                case 2, 3: throw GPIOError(kind: .noSuchChip(available: []), chip: "cp2112_gpio")
                default: return QuietSource()
                }
            },
            callbacks: ButtonWatcher.Callbacks(
                onEvent: { XCTFail("no edge, so no event: \($0)") },
                onProblem: { error in problems.withLock { $0.append("\(error)") } },
                onRecovered: { recovered.add(1, ordering: .sequentiallyConsistent) }))
        // Retries after 0.5 s and 1 s fail; the one after 2 more s works: about 3.5 s.
        let deadline = Date().addingTimeInterval(10)
        while recovered.load(ordering: .sequentiallyConsistent) == 0, Date() < deadline { usleep(50_000) }
        watcher.stop()
        XCTAssertEqual(recovered.load(ordering: .sequentiallyConsistent), 1)
        XCTAssertEqual(opens.load(ordering: .sequentiallyConsistent), 4)
        XCTAssertEqual(problems.withLock { $0.count }, 1, "reported once, not per retry: \(problems.withLock { $0 })")
        XCTAssertEqual(stillHeldAtReopen.load(ordering: .sequentiallyConsistent), 0, "the failed line was still requested")
    }

    func testStopEndsTheThreadPromptly() throws {
        let watcher = try ButtonWatcher(
            timing: .standard, open: { QuietSource() },
            callbacks: ButtonWatcher.Callbacks(onEvent: { _ in }, onProblem: { _ in }, onRecovered: {}))
        let started = Date()
        watcher.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5, "SIGTERM must finish within a second")
    }
}

/// A line whose wait fails, as a gpiochip's does when its USB bridge is unplugged.
private final class FailingSource: ButtonEdgeSource {
    /// How many exist: a released request is a deinitialised source.
    static let alive = Atomic(0)
    init() { Self.alive.add(1, ordering: .sequentiallyConsistent) }
    deinit { Self.alive.subtract(1, ordering: .sequentiallyConsistent) }
    var kernelDebounced: Bool { true }
    func wait(timeout: Duration?) throws(GPIOError) -> Bool {
        throw GPIOError(kind: .io(errno: 19), chip: "cp2112_gpio", line: "4", detail: "waiting for edges: No such device")
    }
    func readEdges(_ body: (GPIOEdge) -> Void) throws(GPIOError) -> Int { 0 }
}

/// A working line nobody presses.
private final class QuietSource: ButtonEdgeSource {
    var kernelDebounced: Bool { true }
    func wait(timeout: Duration?) throws(GPIOError) -> Bool {
        usleep(UInt32(min(timeout ?? .milliseconds(10), .milliseconds(10)) / .microseconds(1)))
        return false
    }
    func readEdges(_ body: (GPIOEdge) -> Void) throws(GPIOError) -> Int { 0 }
}
