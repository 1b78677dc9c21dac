import Glibc

/// Who connected, from `SO_PEERCRED` (fixed at connect time, so a client cannot change it
/// by passing the fd to another process afterwards).
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "pid \(pid) uid \(uid)" }
}

/// Decides whether a peer may use the state-changing verbs: root, the daemon's own user,
/// or a member of the control group (primary or supplementary). Reading verbs need only
/// the right to connect, which the socket's mode (0660, group) already grants.
struct PeerAuthorization: Sendable {
    /// The daemon's uid.
    let ownUID: uid_t
    /// The control group's gid; `nil` when the group does not exist (then only root and the
    /// daemon's user may change state).
    let groupID: gid_t?

    func allowsStateChanges(_ peer: PeerCredentials) -> Bool {
        if peer.uid == 0 || peer.uid == ownUID { return true }
        guard let groupID else { return false }
        if peer.gid == groupID { return true }
        return Self.supplementaryGroups(of: peer)?.contains(groupID) ?? false
    }

    /// The peer's groups as the kernel has them (`Groups:` of `/proc/PID/status`), which
    /// reflects the process's real credentials even if the group database changed since it
    /// logged in; the group database when /proc is unreadable (hidepid, or the process exited).
    static func supplementaryGroups(of peer: PeerCredentials) -> [gid_t]? {
        // The Uid check guards against the peer having exited and its pid being reused.
        if let status = try? ControlSyscall.readSmallFile("/proc/\(peer.pid)/status"),
            firstField(of: "Uid:", in: status) == peer.uid,
            let groups = parseGroupsLine(status)
        {
            return groups
        }
        return ControlSyscall.groupList(uid: peer.uid)
    }

    /// The first number of a line such as `Uid:\t1000\t1000\t1000\t1000` (the real id).
    static func firstField(of prefix: String, in status: String) -> UInt32? {
        for line in status.split(separator: "\n") where line.hasPrefix(prefix) {
            return line.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { UInt32($0) }
        }
        return nil
    }

    /// The gids of the `Groups:` line, `nil` when there is none.
    static func parseGroupsLine(_ status: String) -> [gid_t]? {
        for line in status.split(separator: "\n") where line.hasPrefix("Groups:") {
            return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
                .compactMap { gid_t($0) }
        }
        return nil
    }
}
