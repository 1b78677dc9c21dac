/// Why the sampling loop did not start. Each message says what to do; the daemon prints it
/// and refuses to start (the configuration asked for something it cannot have).
public enum LoopStartError: Error, Equatable, CustomStringConvertible {
    /// `realtime_priority` > 0 but SCHED_FIFO was refused (EPERM).
    case realtimeNotPermitted(priority: Int)
    /// `lock_memory = true` but mlockall was refused.
    case memoryLockFailed(errno: Int32)
    /// The thread could not be created for another reason.
    case threadCreationFailed(errno: Int32)
    /// Settings that cannot work together (no sensors, data-ready without a line, …).
    case invalid(String)

    public var description: String {
        switch self {
        case .realtimeNotPermitted(let priority):
            return "SCHED_FIFO not permitted (realtime_priority = \(priority)): run as root or grant CAP_SYS_NICE "
                + "(AmbientCapabilities=CAP_SYS_NICE) / LimitRTPRIO=\(priority) in the unit, or set realtime_priority = 0"
        case .memoryLockFailed(let errno) where errno == 1:  // EPERM
            return "mlockall not permitted (lock_memory = true): run as root or grant CAP_IPC_LOCK "
                + "(AmbientCapabilities=CAP_IPC_LOCK) with LimitMEMLOCK=infinity, or set lock_memory = false"
        case .memoryLockFailed(let errno) where errno == 12:  // ENOMEM
            return "mlockall failed (lock_memory = true): the locked-memory limit is too small; "
                + "set LimitMEMLOCK=infinity in the unit (ulimit -l), or set lock_memory = false"
        case .memoryLockFailed(let errno):
            return "mlockall failed (lock_memory = true): errno \(errno)"
        case .threadCreationFailed(let errno):
            return "cannot create the sampling thread: errno \(errno)"
        case .invalid(let why):
            return "cannot start the sampling loop: \(why)"
        }
    }
}
