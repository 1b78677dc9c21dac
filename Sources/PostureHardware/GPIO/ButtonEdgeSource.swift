/// Where the button thread reads its edges from: a `GPIOEdgeLine` requested for both edges,
/// or a scripted fake in tests. Used only by the thread that opened it.
public protocol ButtonEdgeSource: AnyObject {
    /// The kernel already debounces the edges; otherwise the thread does (`EdgeDebouncer`).
    var kernelDebounced: Bool { get }
    /// Waits for edges; true if some are pending, false after `timeout`.
    func wait(timeout: Duration?) throws(GPIOError) -> Bool
    /// Reads the pending edges (logical: rising = pressed) and hands each to `body`.
    @discardableResult
    func readEdges(_ body: (GPIOEdge) -> Void) throws(GPIOError) -> Int
    /// The line's logical level now (true = pressed), or nil where it cannot be read.
    func readPressed() throws(GPIOError) -> Bool?
}

extension ButtonEdgeSource {
    /// A source that cannot tell its level: the button is taken as released at start.
    public func readPressed() throws(GPIOError) -> Bool? { nil }
}
