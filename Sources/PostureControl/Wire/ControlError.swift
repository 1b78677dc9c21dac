/// A machine-readable error code. A struct rather than an enum so that a client built
/// against an older list still decodes codes added later (and shows their message).
public struct ControlErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    // Framing and decoding of a request.
    /// Not JSON, not an object, or an ill-typed envelope field (`id`).
    public static let malformed = ControlErrorCode("malformed")
    /// A line longer than `ControlProtocol.maxLineBytes`; the connection is closed after it.
    public static let lineTooLong = ControlErrorCode("line_too_long")
    /// `v` missing or not a version this daemon speaks.
    public static let unsupportedVersion = ControlErrorCode("unsupported_version")
    /// No `verb`, or not a string.
    public static let missingVerb = ControlErrorCode("missing_verb")
    /// A verb this daemon does not know; the message suggests the nearest one.
    public static let unknownVerb = ControlErrorCode("unknown_verb")
    /// `args` of the wrong shape, an unknown argument, or a value out of range.
    public static let badArgument = ControlErrorCode("bad_argument")

    // Refusals and failures of a well-formed request.
    /// A state-changing verb from a peer that is neither root, the daemon's user nor in its group.
    public static let permissionDenied = ControlErrorCode("permission_denied")
    /// Another client's calibration is in progress.
    public static let busy = ControlErrorCode("busy")
    /// The daemon cannot do it now (no sensor, not calibrated, shutting down, …).
    public static let unavailable = ControlErrorCode("unavailable")
    /// The daemon tried and failed (the wearer moved during calibration, a bad config on reload, …).
    public static let failed = ControlErrorCode("failed")
    /// Too many clients are connected.
    public static let tooManyClients = ControlErrorCode("too_many_clients")
    /// A bug: the daemon could not encode its own reply.
    public static let `internal` = ControlErrorCode("internal")
}

/// An error as it travels on the wire: `{"code":"unknown_verb","message":"…"}`. Also the
/// typed error that `ControlHandler` methods throw, so a daemon failure reaches the client
/// with its own wording.
public struct ControlError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public var code: ControlErrorCode
    /// One sentence for a human; clients print it as is.
    public var message: String

    public init(_ code: ControlErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code))" }
}
