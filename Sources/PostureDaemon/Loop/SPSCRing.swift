import Synchronization

/// A bounded, lock-free, single-producer/single-consumer queue: how the sampling thread
/// talks to the rest of the daemon without locking or allocating.
///
/// Capacity is a power of two fixed at `init`, where all slots are allocated at once; `push`
/// and `pop` never allocate, never block and never spin. When the ring is full, `push` drops
/// the element (the producer's real-time deadline matters more than one report) and counts it
/// in `dropped`.
///
/// Indices are free-running counters (`head`: elements ever pushed, `tail`: ever popped);
/// a slot is `index & mask`, and `head - tail` is the fill level. On 64-bit counters the
/// wrap-around is centuries away at any rate this daemon runs.
///
/// **Roles.** At any time, at most one thread may call `push` (the producer) and at most one
/// may call `pop`/`drain` (the consumer); the roles may move between threads only with a
/// happens-before edge (a join, an actor hop, a lock). `count`, `dropped` and `capacity` may
/// be read from anywhere.
///
/// **Why `@unchecked Sendable` is sound** under that contract (the compiler cannot see it
/// because the slots are raw memory):
/// 1. Slot ownership. The producer writes only slot `head & mask` and only when
///    `head - tail < capacity`, i.e. a slot the consumer has finished with; the consumer reads
///    only slots in `tail ..< head`, i.e. slots the producer has finished with. No slot is
///    ever accessed by both sides at once.
/// 2. Publication. The producer initialises the slot, then stores `head + 1` with
///    `.releasing`; the consumer loads `head` with `.acquiring` before reading the slot, so
///    it sees the fully written element. Symmetrically, the consumer moves the element out,
///    then stores `tail + 1` with `.releasing`, and the producer loads `tail` with
///    `.acquiring` before reusing the slot, so the move-out happens before the overwrite.
/// 3. Each counter has exactly one writer (`head`: producer, `tail`: consumer), so the
///    writer may read its own counter `.relaxed`.
/// 4. `Element: Sendable`, so handing an element from one thread to the other is itself safe.
/// 5. `deinit` runs when no thread holds a reference any more, so it may touch every slot.
public final class SPSCRing<Element: Sendable>: @unchecked Sendable {
    public let capacity: Int
    private let mask: Int
    private let slots: UnsafeMutablePointer<Element>
    private let head = Atomic<Int>(0)
    private let tail = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)

    /// - Parameter capacity: rounded up to a power of two, at least 2.
    public init(capacity: Int) {
        var c = 2
        while c < capacity { c <<= 1 }
        self.capacity = c
        mask = c - 1
        slots = UnsafeMutablePointer<Element>.allocate(capacity: c)
    }

    deinit {
        var i = tail.load(ordering: .relaxed)
        let end = head.load(ordering: .relaxed)
        while i != end {
            (slots + (i & mask)).deinitialize(count: 1)
            i &+= 1
        }
        slots.deallocate()
    }

    // MARK: producer

    /// Appends `element`; false (and `dropped` incremented) if the ring is full.
    @discardableResult
    public func push(_ element: consuming Element) -> Bool {
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .acquiring)
        guard h &- t < capacity else {
            droppedCount.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        (slots + (h & mask)).initialize(to: element)
        head.store(h &+ 1, ordering: .releasing)
        return true
    }

    // MARK: consumer

    /// Removes the oldest element, or nil if the ring is empty.
    public func pop() -> Element? {
        let t = tail.load(ordering: .relaxed)
        let h = head.load(ordering: .acquiring)
        guard t != h else { return nil }
        let element = (slots + (t & mask)).move()
        tail.store(t &+ 1, ordering: .releasing)
        return element
    }

    /// Pops up to `limit` elements, oldest first, handing each to `body`; returns how many.
    @discardableResult
    public func drain(limit: Int = .max, _ body: (consuming Element) throws -> Void) rethrows -> Int {
        var n = 0
        while n < limit, let element = pop() {
            n += 1
            try body(element)
        }
        return n
    }

    // MARK: anyone

    /// Elements waiting (a snapshot: either side may move it at once).
    public var count: Int {
        let t = tail.load(ordering: .relaxed)
        return max(0, min(capacity, head.load(ordering: .relaxed) &- t))
    }

    public var isEmpty: Bool { count == 0 }

    /// Elements refused because the ring was full, since `init`.
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }
}
