import Glibc

import Synchronization

/// One requested GPIO output line, released on deinit (the kernel also releases it if the
/// process dies, so a crash never leaves the line claimed).
///
/// `Sendable` without `@unchecked`: the C handle lives in a `Mutex`, so `set` from the pattern
/// player's thread and `release`/deinit from another can never use it at the same time.
public final class GPIOLine: OutputLine {
    /// "/dev/gpiochip0 (pinctrl-rp1)" and "GPIO17": for errors.
    public let chip: String
    public let line: String
    /// The shim's request handle as its address bits (0 once released). Pointers are not
    /// `Sendable`; the address is, and the mutex makes every use of it exclusive.
    private let request: Mutex<Int>

    init(request: OpaquePointer, chip: String, line: String) {
        self.request = Mutex(Int(bitPattern: request))
        self.chip = chip
        self.line = line
    }

    deinit {
        release()
    }

    /// Sets the line's logical value.
    public func set(_ on: Bool) throws(GPIOError) {
        try request.withLock { (request) throws(GPIOError) in
            guard let handle = OpaquePointer(bitPattern: request) else {
                throw GPIOError(kind: .io(errno: EBADF), chip: chip, line: line, detail: "the line was already released")
            }
            do throws(Errno) {
                try GPIODShim.setValue(handle, on)
            } catch {
                throw GPIOError(errno: error, chip: chip, line: line, operation: "setting the line \(on ? "on" : "off")")
            }
        }
    }

    /// Gives the line back to the kernel now; later `set` calls throw.
    public func release() {
        request.withLock { request in
            if let handle = OpaquePointer(bitPattern: request) { GPIODShim.release(handle) }
            request = 0
        }
    }
}
