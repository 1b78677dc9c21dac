internal import PostureJSON
import PostureCore

/// A request the daemon refuses before acting on it; `id` is echoed when it could be read.
public struct RequestRejection: Error, Sendable, Equatable {
    public var id: RequestID?
    public var error: ControlError

    public init(id: RequestID?, error: ControlError) {
        self.id = id
        self.error = error
    }
}

/// Turns one line from a client into a `ControlRequest`, or a structured error naming
/// exactly what is wrong: malformed JSON, a missing or unknown verb (with a suggestion),
/// an unsupported version, a bad argument. Never traps on input.
public enum ControlRequestDecoder {
    /// `nil` for a blank line (ignored, so a human typing into `socat` may press Enter).
    public static func decode(_ line: [UInt8]) -> Result<ControlRequest, RequestRejection>? {
        if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return nil }
        let value: JSONValue
        do {
            value = try JSONCoding.decode(JSONValue.self, from: line)
        } catch {
            return .failure(RequestRejection(id: nil, error: ControlError(
                .malformed, "malformed request: not valid JSON (send one JSON object per line)")))
        }
        guard case .object(let object) = value else {
            return .failure(RequestRejection(id: nil, error: ControlError(
                .malformed, "malformed request: expected a JSON object, got \(value.kindDescription)")))
        }
        return decode(object: object)
    }

    static func decode(object: [String: JSONValue]) -> Result<ControlRequest, RequestRejection> {
        var id: RequestID?
        switch object["id"] {
        case nil, .null?: id = nil
        case .string(let string)?: id = .string(string)
        case .number(let number)? where number == number.rounded() && abs(number) < 9e15: id = .number(Int(number))
        case let other?:
            return .failure(RequestRejection(id: nil, error: ControlError(
                .malformed, "'id' must be an integer or a string, not \(other.kindDescription)")))
        }
        func reject(_ code: ControlErrorCode, _ message: String) -> Result<ControlRequest, RequestRejection> {
            .failure(RequestRejection(id: id, error: ControlError(code, message)))
        }

        switch object["v"] {
        case .number(let v)? where v == Double(ControlProtocol.version):
            break
        case nil:
            return reject(.unsupportedVersion, "missing 'v': every request names the protocol version (\"v\":\(ControlProtocol.version))")
        case .number(let v)?:
            return reject(.unsupportedVersion, "protocol version \(formatNumber(v)) is not supported; this daemon speaks version \(ControlProtocol.version)")
        case let other?:
            return reject(.unsupportedVersion, "'v' must be the number \(ControlProtocol.version), not \(other.kindDescription)")
        }

        guard case .string(let verbName)? = object["verb"] else {
            return reject(.missingVerb, "missing 'verb'; expected one of \(ControlVerb.list)")
        }
        guard let verb = ControlVerb(rawValue: verbName) else {
            let hint = VerbSuggestion.nearest(to: verbName).map { " (did you mean '\($0.rawValue)'?)" } ?? ""
            return reject(.unknownVerb, "unknown verb '\(verbName)'\(hint); expected one of \(ControlVerb.list)")
        }

        let args: [String: JSONValue]
        switch object["args"] {
        case nil, .null?: args = [:]
        case .object(let object)?: args = object
        case let other?: return reject(.badArgument, "'args' must be an object, not \(other.kindDescription)")
        }
        do throws(ControlError) {
            let command = try ArgumentReader(verb: verb, args: args).command()
            return .success(ControlRequest(id: id, command: command))
        } catch {
            return .failure(RequestRejection(id: id, error: error))
        }
    }
}

/// Checks the `args` of one verb: every key known, every value of the right type and range.
private struct ArgumentReader {
    let verb: ControlVerb
    let args: [String: JSONValue]

    func command() throws(ControlError) -> ControlCommand {
        switch verb {
        case .status: try only([]); return .status
        case .calibrate: try only([]); return .calibrate
        case .resume: try only([]); return .resume
        case .reload: try only([]); return .reload
        case .record: try only([]); return .record
        case .watch:
            try only(["rate", "count"])
            let rate = try number("rate") ?? ControlProtocol.defaultWatchRate
            guard rate > 0 else { throw bad("'rate' must be above 0 Hz, got \(formatNumber(rate))") }
            let clamped = min(max(rate, ControlProtocol.watchRates.lowerBound), ControlProtocol.watchRates.upperBound)
            var count: Int?
            if let c = try number("count") {
                guard c >= 1, c == c.rounded(), c < 1e9 else { throw bad("'count' must be a whole number of frames ≥ 1, got \(formatNumber(c))") }
                count = Int(c)
            }
            return .watch(rate: clamped, count: count)
        case .snooze:
            try only(["seconds"])
            let seconds = try number("seconds")
            if let seconds {
                guard seconds > 0, seconds <= ControlProtocol.maxSnoozeSeconds else {
                    throw bad("'seconds' must be above 0 and at most \(Int(ControlProtocol.maxSnoozeSeconds)) (24 h), got \(formatNumber(seconds))")
                }
            }
            return .snooze(seconds: seconds)
        case .testNudge:
            try only(["reason"])
            switch args["reason"] {
            case nil, .null?: return .testNudge(reason: nil)
            case .string(let name)?:
                guard let reason = NudgeReason(rawValue: name) else {
                    throw bad("unknown nudge reason '\(name)'; expected one of \(NudgeReason.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return .testNudge(reason: reason)
            case let other?: throw bad("'reason' must be a string, not \(other.kindDescription)")
            }
        }
    }

    private func only(_ known: [String]) throws(ControlError) {
        for key in args.keys.sorted() where !known.contains(key) {
            let expected = known.isEmpty ? "\(verb.rawValue) takes no arguments" : "expected \(known.joined(separator: ", "))"
            throw bad("unknown argument '\(key)' for \(verb.rawValue); \(expected)")
        }
    }

    private func number(_ key: String) throws(ControlError) -> Double? {
        switch args[key] {
        case nil, .null?: return nil
        case .number(let value)? where value.isFinite: return value
        case let other?: throw bad("'\(key)' must be a number, not \(other.kindDescription)")
        }
    }

    private func bad(_ message: String) -> ControlError { ControlError(.badArgument, "\(verb.rawValue): \(message)") }
}

/// "1" rather than "1.0" for whole numbers in messages.
func formatNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
