import PostureControl
import PostureCore
import Synchronization

/// One client's requests, run as tasks. Lives as long as the connection's input: the poll
/// thread feeds decoded, authorised requests into `requests`; each runs as a child task, so
/// a `watch` stream and a `snooze` on the same connection proceed side by side. Cancelling
/// the session (client gone, server stopping) cancels every request it runs.
struct ControlSession: Sendable {
    /// Requests running at once on one connection. Beyond it, requests are refused with
    /// `busy`: one connection must not be able to start thousands of 50 Hz streams.
    static let maxInFlight = 16

    let client: Int
    let handler: any ControlHandler
    let outbox: ControlOutbox
    let calibrationGate: CalibrationGate

    func run(_ requests: AsyncStream<ControlRequest>) async {
        let inFlight = InFlightCounter()
        await withDiscardingTaskGroup { group in
            for await request in requests {
                guard inFlight.tryEnter(limit: Self.maxInFlight) else {
                    outbox.send(client, ControlMessage.failure(id: request.id, error: ControlError(
                        .busy, "too many requests in flight on this connection (at most \(Self.maxInFlight))")))
                    continue
                }
                group.addTask {
                    await perform(request)
                    inFlight.leave()
                }
            }
        }
        outbox.sessionEnded(client)
    }

    private func perform(_ request: ControlRequest) async {
        let id = request.id
        switch request.command {
        case .status:
            reply(id, await handler.status())
        case .watch(let rate, let count):
            await watch(id: id, rate: rate, count: count)
        case .calibrate:
            await calibrate(id: id)
        case .snooze(let seconds):
            await finish(id) { () async throws(ControlError) in try await handler.snooze(seconds: seconds) }
        case .resume:
            await finish(id) { () async throws(ControlError) in try await handler.resume() }
        case .testNudge(let reason):
            await finish(id) { () async throws(ControlError) in try await handler.testNudge(reason: reason) }
        case .reload:
            await finish(id) { () async throws(ControlError) in try await handler.reload() }
        case .record:
            await record(id: id)
        }
    }

    /// Frames at `rate` on deadlines of a monotonic clock, so the rate does not drift with
    /// the handler's latency. After a stall the schedule restarts from now rather than
    /// sending a burst of stale frames. A frame is sent once: when the supervisor has taken
    /// no new report since the last one (a rate above how often it drains them, a lost
    /// sensor), that deadline sends nothing rather than the same frame again.
    private func watch(id: RequestID?, rate: Double, count: Int?) async {
        let clock = ContinuousClock()
        let interval = Duration.nanoseconds(Int64((1e9 / rate).rounded()))
        var deadline = clock.now
        var sent = 0
        var lastSentTime: Double?
        while !Task.isCancelled {
            if let frame = await handler.latestFrame(), frame.t != lastSentTime {
                guard outbox.send(client, ControlMessage.event(id: id, kind: .frame, data: frame)) else { return }
                lastSentTime = frame.t
                sent += 1
                if let count, sent >= count {
                    reply(id, WatchSummary(frames: sent, rateHz: rate))
                    return
                }
            }
            deadline = deadline.advanced(by: interval)
            if deadline < clock.now { deadline = clock.now.advanced(by: interval) }
            do { try await Task.sleep(until: deadline, clock: clock) } catch { return }
        }
    }

    private func calibrate(id: RequestID?) async {
        guard calibrationGate.tryEnter(client: client) else {
            fail(id, ControlError(.busy, "a calibration is already in progress on another connection"))
            return
        }
        defer { calibrationGate.leave() }
        let client = client, outbox = outbox
        await finish(id) { () async throws(ControlError) in
            try await handler.calibrate { progress in
                outbox.send(client, ControlMessage.event(id: id, kind: .progress, data: progress))
            }
        }
    }

    /// Batches of raw samples as they come; ends when the client goes away (the handler's
    /// stream is then terminated) or when the daemon ends the stream.
    /// A client whose unread output passes this fraction of the outbox limit is told the
    /// recording stopped, and why, before it would be cut off mid-line.
    static let recordBacklogFraction = 0.5
    /// Frames per `samples` event: a sped-up simulation drains thousands of samples at once,
    /// one line of which outgrew the outbox before the client could read a byte of it.
    static let recordFramesPerEvent = 200

    private func record(id: RequestID?) async {
        let stream: AsyncThrowingStream<[IMUSample], any Error>
        do {
            stream = try await handler.rawSamples()
        } catch {
            fail(id, error)
            return
        }
        var sent = 0
        do {
            for try await batch in stream {
                let frames = batch.map(RawSampleFrame.init).filter(\.isFinite)
                for start in stride(from: 0, to: frames.count, by: Self.recordFramesPerEvent) {
                    let backlog = outbox.backlog(client)
                    if Double(backlog) > Self.recordBacklogFraction * Double(outbox.limit) {
                        fail(id, ControlError(.unavailable, "recording stopped after \(sent) samples: the client read "
                            + "too slowly (\(backlog) bytes unread); record at a lower --speed, or to a faster disk"))
                        return
                    }
                    let chunk = Array(frames[start..<min(frames.count, start + Self.recordFramesPerEvent)])
                    guard outbox.send(client, ControlMessage.event(id: id, kind: .samples, data: chunk)) else { return }
                    sent += chunk.count
                }
            }
        } catch let error as ControlError {
            fail(id, error)
            return
        } catch {
            fail(id, ControlError(.failed, "recording stopped: \(error)"))
            return
        }
        if !Task.isCancelled { reply(id, Empty()) }
    }

    private func finish<Result: Encodable & Sendable>(
        _ id: RequestID?, _ body: () async throws(ControlError) -> Result
    ) async {
        do {
            reply(id, try await body())
        } catch {
            fail(id, error)
        }
    }

    private func reply(_ id: RequestID?, _ result: some Encodable & Sendable) {
        outbox.send(client, ControlMessage.reply(id: id, result: result))
    }

    private func fail(_ id: RequestID?, _ error: ControlError) {
        outbox.send(client, ControlMessage.failure(id: id, error: error))
    }
}

/// One calibration at a time, whichever client asks: two guided captures at once would give
/// the wearer contradictory prompts and race to apply their results.
final class CalibrationGate: Sendable {
    private let owner = Mutex<Int?>(nil)

    func tryEnter(client: Int) -> Bool {
        owner.withLock { owner in
            guard owner == nil else { return false }
            owner = client
            return true
        }
    }

    func leave() {
        owner.withLock { $0 = nil }
    }
}

/// Requests running on one connection (shared by the session loop and its child tasks).
private final class InFlightCounter: Sendable {
    private let count = Mutex(0)

    func tryEnter(limit: Int) -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        count.withLock { $0 -= 1 }
    }
}
