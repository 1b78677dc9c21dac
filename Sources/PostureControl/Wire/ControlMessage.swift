internal import PostureJSON

/// The kinds of non-final messages of a streaming verb.
public enum ControlEventKind: String, Sendable, Codable, CaseIterable {
    /// A `WatchFrame` (verb `watch`).
    case frame
    /// A `CalibrationProgress` (verb `calibrate`).
    case progress
    /// An array of `RawSampleFrame` (verb `record`).
    case samples
}

/// Encodes what the daemon sends. Every line is one of
///
///     {"v":1,"id":7,"ok":true,"result":{…}}                 final reply
///     {"v":1,"id":7,"ok":false,"error":{"code":…,"message":…}}  final error
///     {"v":1,"id":7,"ok":true,"event":"frame","data":{…}}     event of a stream
///
/// and ends with a newline.
public enum ControlMessage {
    public static func reply(id: RequestID?, result: some Encodable & Sendable) -> [UInt8] {
        encode(Envelope(id: id, ok: true, result: result))
    }

    public static func failure(id: RequestID?, error: ControlError) -> [UInt8] {
        encode(Envelope<Empty>(id: id, ok: false, error: error))
    }

    public static func event(id: RequestID?, kind: ControlEventKind, data: some Encodable & Sendable) -> [UInt8] {
        encode(Envelope(id: id, ok: true, event: kind, data: data))
    }

    private static func encode<Payload: Encodable>(_ envelope: Envelope<Payload>) -> [UInt8] {
        // Keys sorted: deterministic lines for docs and tests.
        do {
            return try JSONCoding.encode(envelope) + [UInt8(ascii: "\n")]
        } catch {
            // Only a non-finite number can fail here; the message types map those to null,
            // so this is a bug worth reporting rather than a reason to drop the client.
            let fallback = Envelope<Empty>(
                id: envelope.id, ok: false,
                error: ControlError(.internal, "the daemon could not encode its reply: \(error)"))
            return (try? JSONCoding.encode(fallback) + [UInt8(ascii: "\n")])
                ?? Array("{\"v\":1,\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"encoding failed\"}}\n".utf8)
        }
    }
}

/// An empty JSON object, the `result` of verbs with nothing to say.
public struct Empty: Sendable, Equatable, Codable {
    public init() {}
}

private struct Envelope<Payload: Encodable>: Encodable {
    var id: RequestID?
    var ok: Bool
    var event: ControlEventKind?
    var data: Payload?
    var result: Payload?
    var error: ControlError?

    init(id: RequestID?, ok: Bool, event: ControlEventKind? = nil, data: Payload? = nil, result: Payload? = nil,
         error: ControlError? = nil) {
        self.id = id
        self.ok = ok
        self.event = event
        self.data = data
        self.result = result
        self.error = error
    }

    enum CodingKeys: String, CodingKey { case v, id, ok, event, data, result, error }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ControlProtocol.version, forKey: .v)
        try container.encode(id, forKey: .id)  // null when the request's id was unreadable
        try container.encode(ok, forKey: .ok)
        try container.encodeIfPresent(event, forKey: .event)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(error, forKey: .error)
    }
}

/// One line from the daemon, as a client reads it: the envelope now, the payload on demand
/// (its type depends on the verb and the event kind, which only the caller knows).
public struct ReceivedMessage: Sendable {
    public let version: Int
    public let id: RequestID?
    public let ok: Bool
    /// `nil` for the final message of a request.
    public let event: ControlEventKind?
    public let error: ControlError?
    private let bytes: [UInt8]

    public var isFinal: Bool { event == nil }

    public init(line: [UInt8]) throws(ControlError) {
        let header: Header
        do {
            header = try JSONCoding.decode(Header.self, from: line)
        } catch {
            throw ControlError(.malformed, "unreadable message from the daemon: \(Self.preview(line))")
        }
        guard header.v == ControlProtocol.version else {
            throw ControlError(
                .unsupportedVersion,
                "the daemon speaks control protocol version \(header.v); this posturectl speaks \(ControlProtocol.version)")
        }
        version = header.v
        id = header.id
        ok = header.ok
        error = header.error
        bytes = line
        switch header.event {
        case nil: event = nil
        case let name?:
            guard let kind = ControlEventKind(rawValue: name) else {
                throw ControlError(.malformed, "unknown event '\(name)' from the daemon")
            }
            event = kind
        }
    }

    /// The `result` (final reply) or `data` (event), decoded as `T`.
    public func payload<T: Decodable>(_ type: T.Type) throws(ControlError) -> T {
        do {
            let body = try JSONCoding.decode(Body<T>.self, from: bytes)
            guard let value = body.result ?? body.data else {
                throw ControlError(.malformed, "the daemon's reply has no result")
            }
            return value
        } catch let error as ControlError {
            throw error
        } catch {
            throw ControlError(.malformed, "unexpected reply from the daemon (\(error)): \(Self.preview(bytes))")
        }
    }

    private struct Header: Decodable {
        var v: Int
        var id: RequestID?
        var ok: Bool
        var event: String?
        var error: ControlError?
    }

    private struct Body<T: Decodable>: Decodable {
        var result: T?
        var data: T?
    }

    private static func preview(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return line.count > 120 ? text + "…" : text
    }
}
