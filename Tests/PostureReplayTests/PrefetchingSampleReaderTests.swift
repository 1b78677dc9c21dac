import PostureCore
import XCTest

@testable import PostureReplay

/// The reader a replay uses reads ahead on a thread of its own; what it gives is exactly what
/// `IMUCSVReader` gives: the same samples in the same order across batch boundaries, the same
/// first error after the same samples, and a consumer that stops early leaves no thread blocked.
final class PrefetchingSampleReaderTests: XCTestCase {
    /// Kept for the test's length: a directory removes itself when released.
    private var directories: [TemporaryDirectory] = []

    private func recording(rows: Int, badRowAt bad: Int? = nil) throws -> String {
        var text = "t,sensor,ax,ay,az,gx,gy,gz\n"
        for i in 0..<rows {
            let t = Double(i / 2) * 0.01
            text += i == bad ? "\(t),\(i % 2),1,2,oops,0,0,0\n" : "\(t),\(i % 2),0.\(i % 10),0,9.81,0.0\(i % 7),0,0\n"
        }
        let directory = try TemporaryDirectory()
        directories.append(directory)
        return try directory.file("rec.csv", text)
    }

    private func drain(_ next: () throws -> IMUSample?) -> (samples: [IMUSample], error: String?) {
        var samples: [IMUSample] = []
        do {
            while let sample = try next() { samples.append(sample) }
            return (samples, nil)
        } catch {
            return (samples, "\(error)")
        }
    }

    func testTheSamplesAndTheirOrderAreTheReadersAcrossBatchBoundaries() throws {
        // Two and a half batches, and exactly one batch.
        for rows in [PrefetchingSampleReader.batchSize * 5 / 2, PrefetchingSampleReader.batchSize] {
            let path = try recording(rows: rows)
            let direct = try IMUCSVReader(path: path)
            let expected = drain(direct.next)
            let prefetched = PrefetchingSampleReader(path: path)
            let got = drain(prefetched.next)
            XCTAssertNil(got.error)
            XCTAssertEqual(got.samples.count, rows)
            XCTAssertEqual(got.samples, expected.samples, "\(rows) rows")
            XCTAssertNil(try prefetched.next(), "the end stays the end")
        }
    }

    func testTheFirstErrorComesAfterTheSamplesBeforeIt() throws {
        let bad = PrefetchingSampleReader.batchSize + 17
        let path = try recording(rows: PrefetchingSampleReader.batchSize * 2, badRowAt: bad)
        let expected = drain(try IMUCSVReader(path: path).next)
        let got = drain(PrefetchingSampleReader(path: path).next)
        XCTAssertEqual(got.samples.count, bad)
        XCTAssertEqual(got.samples, expected.samples)
        XCTAssertEqual(got.error, expected.error)
        XCTAssertTrue(got.error?.contains("rec.csv:\(bad + 2): column 'az'") ?? false, got.error ?? "no error")
        let missing = drain(PrefetchingSampleReader(path: "/nonexistent/rec.csv").next)
        XCTAssertEqual(missing.samples.count, 0)
        XCTAssertEqual(missing.error, drain { throw try XCTUnwrap(Self.openError("/nonexistent/rec.csv")) }.error)
    }

    static func openError(_ path: String) -> IMUCSVError? {
        do {
            _ = try IMUCSVReader(path: path)
            return nil
        } catch {
            return error
        }
    }

    func testAConsumerThatStopsEarlyFreesTheReadingThread() throws {
        let path = try recording(rows: PrefetchingSampleReader.batchSize * 8)
        // The reading thread holds the channel until it returns: once the stopped reader is
        // gone, the channel must go too (the thread was not left waiting for room).
        weak var channel: SampleBatchChannel?
        do {
            let reader = PrefetchingSampleReader(path: path)
            channel = reader.channel
            _ = try reader.next()
            Thread.sleep(forTimeInterval: 0.2)  // let it fill the channel and wait for room
        }
        let deadline = Date().addingTimeInterval(10)
        while channel != nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertNil(channel, "the reading thread is still waiting after its consumer stopped")
    }
}
