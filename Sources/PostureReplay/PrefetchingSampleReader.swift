import Dispatch
public import PostureCore
import Synchronization

/// An IMU CSV read a few batches ahead of its consumer, on a thread of its own, so that parsing
/// and the engine run on two cores: in a replay the parse is half the time (BENCHMARKS.md,
/// row 5). The samples, their order and the first error (after the samples before it) are
/// exactly `IMUCSVReader`'s.
public final class PrefetchingSampleReader {
    /// Samples handed over at once: the handover costs a lock and two semaphore operations,
    /// nothing beside the ~400 ns of parsing and engine work per sample.
    static let batchSize = 4096
    /// Batches in flight: 16 384 samples (~1 MB), enough to ride out either side's hiccups.
    static let depth = 4

    let channel = SampleBatchChannel(depth: PrefetchingSampleReader.depth)
    private var batch: [IMUSample] = []
    private var index = 0
    private var finished = false

    /// Starts reading `path`; a file that cannot be opened is the first `next()`'s error.
    public init(path: String) {
        let channel = self.channel
        DispatchQueue(label: "postured.replay.reader").async {
            channel.produce(path: path, batchSize: Self.batchSize)
        }
    }

    /// A consumer that stops early (an error in the engine's observer) frees the reader thread.
    deinit { channel.cancel() }

    public func next() throws(IMUCSVError) -> IMUSample? {
        if index < batch.count {
            index += 1
            return batch[index - 1]
        }
        guard !finished else { return nil }
        switch channel.take() {
        case .samples(let next):
            // Batches are never empty.
            batch = next
            index = 1
            return next[0]
        case .failure(let error):
            finished = true
            throw error
        case .end:
            finished = true
            return nil
        }
    }
}

/// The bounded handover between the reading thread and the consumer.
final class SampleBatchChannel: Sendable {
    enum Item: Sendable {
        case samples([IMUSample])
        case failure(IMUCSVError)
        case end
    }

    private let state = Mutex<(items: [Item], cancelled: Bool)>(([], false))
    /// Counts the items waiting.
    private let filled = DispatchSemaphore(value: 0)
    /// Counts the room left.
    private let room: DispatchSemaphore

    init(depth: Int) {
        // Made at 0 and signalled up: libdispatch traps when a semaphore is released below
        // the value it was made with, which a cancelled channel (items never taken) would be.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<depth { room.signal() }
    }

    /// The reading thread: the file as batches, then `.end`, or the samples before an error
    /// and the error. Stops when the consumer is gone.
    func produce(path: String, batchSize: Int) {
        let reader: IMUCSVReader
        do { reader = try IMUCSVReader(path: path) } catch {
            put(.failure(error))
            return
        }
        var samples: [IMUSample] = []
        samples.reserveCapacity(batchSize)
        while true {
            let sample: IMUSample?
            do { sample = try reader.next() } catch {
                if !samples.isEmpty, !put(.samples(samples)) { return }
                put(.failure(error))
                return
            }
            guard let sample else { break }
            samples.append(sample)
            if samples.count == batchSize {
                guard put(.samples(samples)) else { return }
                samples = []
                samples.reserveCapacity(batchSize)
            }
        }
        if !samples.isEmpty, !put(.samples(samples)) { return }
        put(.end)
    }

    /// Waits for room; false when the consumer has gone.
    @discardableResult
    func put(_ item: Item) -> Bool {
        room.wait()
        let accepted = state.withLock { state in
            guard !state.cancelled else { return false }
            state.items.append(item)
            return true
        }
        if accepted { filled.signal() }
        return accepted
    }

    func take() -> Item {
        filled.wait()
        let item = state.withLock { $0.items.removeFirst() }
        room.signal()
        return item
    }

    /// The consumer is gone: a waiting `put` wakes, and every later one returns false.
    func cancel() {
        state.withLock { $0.cancelled = true }
        room.signal()
    }
}
