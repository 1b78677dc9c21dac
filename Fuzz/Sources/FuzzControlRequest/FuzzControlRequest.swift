// libFuzzer target: one control-protocol request line (`ControlRequestDecoder.decode`), what
// the daemon runs on every line a client sends, and the `LineFramer` that cuts those lines.
//
// Beyond "does not trap", each input checks:
// - `nil` (ignored) exactly for blank lines (spaces and tabs only);
// - an accepted request re-encodes (`encodedLine()`) as one line that decodes to the same
//   request, and its arguments are inside the protocol's ranges;
// - a refusal carries one of the decoding error codes and a message, and the daemon's reply
//   to it (`ControlMessage.failure`) is one line that a client (`ReceivedMessage`) reads back
//   with the same id and error; the same for the reply to an accepted request;
// - the framer, fed the input in two pieces, yields exactly the input's lines (a trailing
//   "\r" removed), or `.tooLong` at the first line over its limit, and keeps the rest pending.
import PostureControl

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    checkDecoder(bytes)
    checkFramer(bytes)
    return 0
}

private func fail(_ message: String) -> Never {
    fatalError("FuzzControlRequest property violated: \(message)")
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

private let decodingCodes: Set<ControlErrorCode> = [.malformed, .unsupportedVersion, .missingVerb, .unknownVerb, .badArgument]

private func checkDecoder(_ line: [UInt8]) {
    let blank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    switch ControlRequestDecoder.decode(line) {
    case nil:
        check(blank, "a non-blank line was ignored")
    case .success(let request)?:
        check(!blank, "a blank line was accepted as \(request)")
        checkArguments(request.command)
        var encoded = request.encodedLine()
        check(encoded.popLast() == UInt8(ascii: "\n"), "encodedLine() does not end with a newline")
        check(!encoded.contains(UInt8(ascii: "\n")), "encodedLine() has a newline inside: \(show(encoded))")
        switch ControlRequestDecoder.decode(encoded) {
        case .success(let again)?:
            check(again == request, "\(request) re-encoded as \(show(encoded)) decodes as \(again)")
            check(again.encodedLine() == request.encodedLine(), "encoding \(request) is not stable")
        case let other:
            fail("\(request) re-encoded as \(show(encoded)) does not decode: \(String(describing: other))")
        }
        checkReply(ControlMessage.reply(id: request.id, result: Empty()), id: request.id, error: nil)
    case .failure(let rejection)?:
        check(!blank, "a blank line was refused: \(rejection)")
        check(decodingCodes.contains(rejection.error.code), "refused with code \(rejection.error.code): \(rejection)")
        check(!rejection.error.message.isEmpty, "refused without a message: \(rejection)")
        checkReply(ControlMessage.failure(id: rejection.id, error: rejection.error), id: rejection.id, error: rejection.error)
    }
}

private func checkArguments(_ command: ControlCommand) {
    switch command {
    case .watch(let rate, let count):
        check(ControlProtocol.watchRates.contains(rate), "watch accepted with rate \(rate)")
        if let count { check(count >= 1, "watch accepted with count \(count)") }
    case .snooze(let seconds?):
        check(seconds > 0 && seconds <= ControlProtocol.maxSnoozeSeconds, "snooze accepted with seconds \(seconds)")
    default:
        break
    }
}

/// A line the daemon sends must read back, on the client's side, as what it meant.
private func checkReply(_ reply: [UInt8], id: RequestID?, error: ControlError?) {
    var line = reply
    check(line.popLast() == UInt8(ascii: "\n"), "a reply does not end with a newline")
    check(!line.contains(UInt8(ascii: "\n")), "a reply has a newline inside: \(show(line))")
    let message: ReceivedMessage
    do throws(ControlError) {
        message = try ReceivedMessage(line: line)
    } catch {
        fail("the reply \(show(line)) does not read back: \(error)")
    }
    check(message.id == id, "the reply \(show(line)) reads back with id \(String(describing: message.id)), not \(String(describing: id))")
    check(message.ok == (error == nil), "the reply \(show(line)) reads back with ok = \(message.ok)")
    check(message.error == error, "the reply \(show(line)) reads back with error \(String(describing: message.error))")
    check(message.isFinal, "the reply \(show(line)) reads back as an event")
}

/// The framer with a small limit, so that `.tooLong` is reachable within -max_len.
private func checkFramer(_ bytes: [UInt8]) {
    let limit = 64
    // What it must yield: the complete lines, up to the first one over the limit.
    var expected: [LineFramer.Event] = []
    var rest = bytes[...]
    var overflowed = false
    while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
        var line = Array(rest[..<newline])
        rest = rest[(newline + 1)...]
        guard line.count <= limit else {
            overflowed = true
            break
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        expected.append(.line(line))
    }
    if !overflowed && rest.count > limit { overflowed = true }
    if overflowed { expected.append(.tooLong) }

    var framer = LineFramer(maxLineBytes: limit)
    var events: [LineFramer.Event] = []
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    for piece in [bytes[..<split], bytes[split...]] {
        framer.append(piece)
        while let event = framer.nextLine() { events.append(event) }
    }
    check(events == expected, "framer yields \(events), expected \(expected) (split at \(split))")
    check(overflowed || framer.pendingByteCount == rest.count, "framer keeps \(framer.pendingByteCount) bytes pending, expected \(rest.count)")
    check(framer.nextLine() == nil, "framer yields more after the end")
}

private func show(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(200), as: UTF8.self)
    return "'" + (bytes.count > 200 ? text + "…" : text) + "'"
}
