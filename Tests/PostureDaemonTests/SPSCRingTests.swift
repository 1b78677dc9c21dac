import Foundation
@testable import PostureDaemon
import XCTest

final class SPSCRingTests: XCTestCase {
    func testCapacityIsAPowerOfTwoAndOrderIsFIFO() {
        let ring = SPSCRing<Int>(capacity: 5)
        XCTAssertEqual(ring.capacity, 8)
        for i in 0..<8 { XCTAssertTrue(ring.push(i)) }
        XCTAssertFalse(ring.push(8), "full")
        XCTAssertEqual(ring.dropped, 1)
        XCTAssertEqual(ring.count, 8)
        var out: [Int] = []
        ring.drain { out.append($0) }
        XCTAssertEqual(out, Array(0..<8))
        XCTAssertNil(ring.pop())
        // Wrap around many times.
        for i in 0..<1000 {
            XCTAssertTrue(ring.push(i))
            XCTAssertEqual(ring.pop(), i)
        }
    }

    func testElementsLeftInTheRingAreReleased() {
        final class Token: Sendable {  // no stored state; the counter is touched by this test's thread only
            nonisolated(unsafe) static var alive = 0
            init() { Token.alive += 1 }
            deinit { Token.alive -= 1 }
        }
        do {
            let ring = SPSCRing<Token>(capacity: 4)
            for _ in 0..<6 { ring.push(Token()) }  // 2 dropped, released at once
            XCTAssertEqual(Token.alive, 4)
            _ = ring.pop()
            XCTAssertEqual(Token.alive, 3)
        }
        XCTAssertEqual(Token.alive, 0)
    }

    /// The producer retries when full, so nothing may be lost and order must hold.
    func testTwoThreadStressKeepsOrderWithoutLoss() {
        let ring = SPSCRing<Int>(capacity: 64)
        let total = 300_000
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for i in 0..<total {
                while !ring.push(i) { sched_yield() }
            }
            done.signal()
        }
        var expected = 0
        var outOfOrder = 0
        while expected < total {
            if let v = ring.pop() {
                if v != expected { outOfOrder += 1 }
                expected = v + 1
            } else {
                sched_yield()
            }
        }
        done.wait()
        XCTAssertEqual(outOfOrder, 0)
        XCTAssertNil(ring.pop())
    }

    /// A producer that never waits: what arrives is in order, and arrivals + drops = pushes.
    func testTwoThreadStressCountsDropsWhenFull() {
        let ring = SPSCRing<Int>(capacity: 16)
        let total = 200_000
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for i in 0..<total { ring.push(i) }
            finished.signal()
        }
        var received = 0
        var last = -1
        var ordered = true
        var producerDone = false
        while true {
            if let v = ring.pop() {
                if v <= last { ordered = false }
                last = v
                received += 1
                if received % 7 == 0 { usleep(0) }  // a slower consumer, so the ring fills
            } else if producerDone {
                break
            } else if finished.wait(timeout: .now()) == .success {
                producerDone = true
            }
        }
        XCTAssertTrue(ordered)
        XCTAssertEqual(received + ring.dropped, total)
    }

    func testLoopReportIsPlainData() {
        // Pushing a report must copy bytes only: no retain, release or allocation.
        XCTAssertTrue(_isPOD(LoopReport.self))
        XCTAssertTrue(_isPOD(SensorStatusPair.self))
    }
}
