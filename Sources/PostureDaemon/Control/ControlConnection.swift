import PostureControl

/// One client as the poll thread sees it: its fd, who it is, its partial input line and
/// its bounded output buffer. Confined to the poll thread (not Sendable).
final class ControlConnection {
    let id: Int
    let fd: Int32
    let peer: PeerCredentials?
    /// Whether `peer` may use the state-changing verbs (decided once, at accept).
    let mayChangeState: Bool
    var framer: LineFramer
    /// Bytes not yet written, from `outputStart` on. Kept in one array (not a list of lines)
    /// so partial writes need no bookkeeping; compacted when half consumed.
    private var output: [UInt8] = []
    private var outputStart = 0
    /// The client shut down its sending side (or overflowed a line): read no more.
    var inputClosed = false
    /// Close as soon as the output is written (after a `line_too_long` reply).
    var closeAfterFlush = false
    /// The session task ended: nothing more will be produced for this client.
    var sessionEnded = false
    /// When bytes last moved either way (read from it, or written to it).
    var lastProgress = ContinuousClock.now
    /// A guided calibration is running for it: it waits in silence between prompts.
    var isCalibrating = false

    init(id: Int, fd: Int32, peer: PeerCredentials?, mayChangeState: Bool, maxLineBytes: Int) {
        self.id = id
        self.fd = fd
        self.peer = peer
        self.mayChangeState = mayChangeState
        framer = LineFramer(maxLineBytes: maxLineBytes)
    }

    var pendingOutputBytes: Int { output.count - outputStart }
    var hasOutput: Bool { pendingOutputBytes > 0 }

    /// Queues bytes; `false` (nothing queued) if that would pass `limit`.
    func enqueue(_ bytes: [UInt8], limit: Int) -> Bool {
        guard pendingOutputBytes + bytes.count <= limit else { return false }
        output.append(contentsOf: bytes)
        return true
    }

    /// Writes as much as the socket takes now. Throws when the peer is gone.
    func flush() throws(ControlErrno) {
        while outputStart < output.count {
            guard let written = try ControlSyscall.send(fd, output[outputStart...]) else { break }
            outputStart += written
            if written > 0 { lastProgress = ContinuousClock.now }
        }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputStart = 0
        } else if outputStart > output.count / 2 {
            output.removeFirst(outputStart)
            outputStart = 0
        }
    }

    var description: String { peer.map { "client \(id) (\($0))" } ?? "client \(id)" }
}
