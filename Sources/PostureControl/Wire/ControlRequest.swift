internal import PostureJSON
public import PostureCore

/// What a client asks, with its arguments checked.
public enum ControlCommand: Sendable, Equatable {
    case status
    /// `rate` in Hz, already clamped to `ControlProtocol.watchRates`; `count` frames then a
    /// final reply, or unlimited when `nil`.
    case watch(rate: Double, count: Int?)
    case calibrate
    /// `nil`: the daemon's configured default duration.
    case snooze(seconds: Double?)
    case resume
    /// `nil`: the daemon picks (the slouch pattern).
    case testNudge(reason: NudgeReason?)
    case reload
    case record

    public var verb: ControlVerb {
        switch self {
        case .status: .status
        case .watch: .watch
        case .calibrate: .calibrate
        case .snooze: .snooze
        case .resume: .resume
        case .testNudge: .testNudge
        case .reload: .reload
        case .record: .record
        }
    }

    /// The `args` object as sent on the wire.
    var arguments: [String: JSONValue] {
        switch self {
        case .status, .calibrate, .resume, .reload, .record:
            return [:]
        case .watch(let rate, let count):
            var args: [String: JSONValue] = ["rate": .number(rate)]
            if let count { args["count"] = .number(Double(count)) }
            return args
        case .snooze(let seconds):
            return seconds.map { ["seconds": .number($0)] } ?? [:]
        case .testNudge(let reason):
            return reason.map { ["reason": .string($0.rawValue)] } ?? [:]
        }
    }
}

/// A decoded request: the client's id (echoed back) and the command.
public struct ControlRequest: Sendable, Equatable {
    public var id: RequestID?
    public var command: ControlCommand

    public init(id: RequestID?, command: ControlCommand) {
        self.id = id
        self.command = command
    }

    /// The request as one line for the socket, newline included.
    public func encodedLine() -> [UInt8] {
        var object: [String: JSONValue] = [
            "v": .number(Double(ControlProtocol.version)),
            "verb": .string(command.verb.rawValue),
        ]
        switch id {
        case .number(let number)?: object["id"] = .number(Double(number))
        case .string(let string)?: object["id"] = .string(string)
        case nil: break
        }
        let args = command.arguments
        if !args.isEmpty { object["args"] = .object(args) }
        // A dictionary of finite numbers and strings always encodes; the fallback is unreachable
        // in practice and still yields a line the daemon answers with a clear error.
        let bytes = (try? JSONCoding.encode(JSONValue.object(object))) ?? Array("{}".utf8)
        return bytes + [UInt8(ascii: "\n")]
    }
}
