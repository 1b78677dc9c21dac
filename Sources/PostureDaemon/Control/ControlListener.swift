import Glibc
import Logging
import PostureControl

/// The bound, listening socket, and what is needed to remove it again.
struct ControlListener: Sendable {
    let fd: Int32
    let path: String
    let identity: FileIdentity?
    let authorization: PeerAuthorization

    /// Binds `configuration.path`:
    /// - a live socket there (another process accepts on it) → `socketInUse`, untouched;
    /// - a stale socket (nobody listening, e.g. after a crash) → removed and replaced;
    /// - anything else (file, directory, symlink) → `notASocket`, never removed;
    /// then sets the mode and group before listening, so no client can connect while the
    /// permissions are still the umask's.
    static func bind(_ configuration: ControlServerConfiguration, logger: Logger) throws(ControlServerError) -> ControlListener {
        let path = configuration.path
        guard let address = UnixSocketAddress(path: path) else { throw .pathTooLong(path: path) }
        func failure(_ operation: String, _ error: ControlErrno) -> ControlServerError {
            .system(path: path, operation: operation, message: error.description)
        }

        let kind: ControlPathKind
        do { kind = try ControlSyscall.pathKind(path) } catch { throw failure("lstat", error) }
        switch kind {
        case .missing:
            break
        case .other:
            throw .notASocket(path: path)
        case .socket:
            let live: Bool
            do { live = try isLive(address) } catch { throw failure("probing the existing socket", error) }
            if live { throw .socketInUse(path: path) }
            logger.notice("control socket \(path): removing a stale socket (nobody listens on it)")
            do { try ControlSyscall.unlink(path) } catch { throw failure("removing the stale socket", error) }
        }

        let fd: Int32
        do { fd = try ControlSyscall.unixStreamSocket() } catch { throw failure("socket", error) }
        do {
            try ControlSyscall.bind(fd, to: address)
        } catch {
            ControlSyscall.close(fd)
            // Another daemon bound between our check and our bind.
            if error.rawValue == EADDRINUSE { throw .socketInUse(path: path) }
            throw failure("bind", error)
        }
        let identity = ControlSyscall.fileIdentity(path)
        func abandon(_ error: ControlServerError) -> ControlServerError {
            ControlSyscall.close(fd)
            try? ControlSyscall.unlink(path)
            return error
        }
        do { try ControlSyscall.chmod(path, mode: mode_t(configuration.mode)) } catch { throw abandon(failure("chmod", error)) }

        var groupID: gid_t?
        if let group = configuration.group {
            if let gid = ControlSyscall.groupID(named: group) {
                do {
                    try ControlSyscall.chgrp(path, gid: gid)
                    groupID = gid
                } catch {
                    logger.warning(
                        "control socket \(path): cannot give it to group '\(group)': \(error); only root and this user can use it (status and watch as well as changing state)")
                }
            } else {
                logger.warning(
                    "control socket \(path): group '\(group)' does not exist; only root and this user can use it (status and watch as well as changing state; create the group with 'groupadd --system \(group)')")
            }
        }
        do { try ControlSyscall.listen(fd, backlog: 16) } catch { throw abandon(failure("listen", error)) }
        return ControlListener(
            fd: fd, path: path, identity: identity,
            authorization: PeerAuthorization(ownUID: ControlSyscall.processUID, groupID: groupID))
    }

    /// Whether a process accepts connections at `address`: connect and see. A full backlog
    /// (`EAGAIN`) also means someone listens.
    private static func isLive(_ address: UnixSocketAddress) throws(ControlErrno) -> Bool {
        let probe = try ControlSyscall.unixStreamSocket()
        defer { ControlSyscall.close(probe) }
        do {
            try ControlSyscall.connect(probe, to: address)
            return true
        } catch {
            switch error.rawValue {
            case EAGAIN: return true
            case ECONNREFUSED, ENOENT: return false
            default: throw error
            }
        }
    }

    /// Closes the listener and removes the socket file if it is still ours.
    func close() {
        ControlSyscall.close(fd)
        if let identity, ControlSyscall.fileIdentity(path) == identity {
            try? ControlSyscall.unlink(path)
        }
    }
}
