import PostureControl
import PostureCore
import XCTest

final class RequestDecodingTests: XCTestCase {
    private func decode(_ text: String) -> Result<ControlRequest, RequestRejection>? {
        ControlRequestDecoder.decode(Array(text.utf8))
    }

    private func rejection(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> RequestRejection? {
        switch decode(text) {
        case .failure(let rejection)?: return rejection
        case .success(let request)?: XCTFail("accepted \(request)", file: file, line: line)
        case nil: XCTFail("ignored", file: file, line: line)
        }
        return nil
    }

    func testEveryCommandRoundTrips() throws {
        let commands: [ControlCommand] = [
            .status, .watch(rate: 10, count: nil), .watch(rate: 50, count: 3), .calibrate, .snooze(seconds: nil),
            .snooze(seconds: 1800), .resume, .testNudge(reason: nil), .testNudge(reason: .sittingTooLong), .reload, .record,
        ]
        for (index, command) in commands.enumerated() {
            for id in [RequestID.number(index), .string("req-\(index)"), nil] {
                let request = ControlRequest(id: id, command: command)
                var line = request.encodedLine()
                XCTAssertEqual(line.removeLast(), UInt8(ascii: "\n"))
                XCTAssertFalse(line.contains(UInt8(ascii: "\n")))
                XCTAssertEqual(try XCTUnwrap(ControlRequestDecoder.decode(line)).get(), request)
            }
        }
    }

    func testHandWrittenRequestsDecode() throws {
        XCTAssertEqual(try decode(#"{"v":1,"id":7,"verb":"status"}"#)?.get(), ControlRequest(id: .number(7), command: .status))
        XCTAssertEqual(
            try decode(#"{"v":1,"id":"a","verb":"snooze","args":{"seconds":90}}"#)?.get(),
            ControlRequest(id: .string("a"), command: .snooze(seconds: 90)))
        XCTAssertEqual(try decode(#"{"v":1,"verb":"watch"}"#)?.get().command, .watch(rate: ControlProtocol.defaultWatchRate, count: nil))
        XCTAssertEqual(try decode("{\"v\":1,\"verb\":\"resume\",\"extra\":true}\r")?.get().command, .resume, "unknown envelope keys are ignored")
    }

    func testWatchRateIsClamped() throws {
        XCTAssertEqual(try decode(#"{"v":1,"verb":"watch","args":{"rate":1000}}"#)?.get().command, .watch(rate: 50, count: nil))
        XCTAssertEqual(try decode(#"{"v":1,"verb":"watch","args":{"rate":0.2}}"#)?.get().command, .watch(rate: 1, count: nil))
    }

    func testBlankLinesAreIgnored() {
        XCTAssertNil(decode(""))
        XCTAssertNil(decode("   \t"))
    }

    func testMalformedJSON() {
        let r = rejection(#"{"v":1,"verb":"status""#)
        XCTAssertEqual(r?.error.code, .malformed)
        XCTAssertNil(r?.id)
        XCTAssertEqual(rejection("status")?.error.code, .malformed)
        XCTAssertEqual(rejection("[1,2]")?.error.message, "malformed request: expected a JSON object, got an array")
        XCTAssertEqual(rejection(#"{"v":1,"id":true,"verb":"status"}"#)?.error.code, .malformed)
    }

    func testVersionIsRequiredAndChecked() {
        let missing = rejection(#"{"id":3,"verb":"status"}"#)
        XCTAssertEqual(missing?.error.code, .unsupportedVersion)
        XCTAssertEqual(missing?.id, .number(3), "the id is echoed even when the request is refused")
        let wrong = rejection(#"{"v":2,"id":3,"verb":"status"}"#)
        XCTAssertEqual(wrong?.error.code, .unsupportedVersion)
        XCTAssertEqual(wrong?.error.message, "protocol version 2 is not supported; this daemon speaks version 1")
        XCTAssertEqual(rejection(#"{"v":"1","verb":"status"}"#)?.error.code, .unsupportedVersion)
    }

    func testMissingVerb() {
        XCTAssertEqual(rejection(#"{"v":1,"id":1}"#)?.error.code, .missingVerb)
        XCTAssertEqual(rejection(#"{"v":1,"id":1,"verb":5}"#)?.error.code, .missingVerb)
    }

    func testUnknownVerbSuggestsTheNearest() {
        let r = rejection(#"{"v":1,"id":4,"verb":"statu"}"#)
        XCTAssertEqual(r?.error.code, .unknownVerb)
        XCTAssertEqual(r?.id, .number(4))
        XCTAssertEqual(
            r?.error.message,
            "unknown verb 'statu' (did you mean 'status'?); expected one of status, watch, calibrate, snooze, resume, test-nudge, reload, record")
        XCTAssertTrue(rejection(#"{"v":1,"verb":"testnudge"}"#)?.error.message.contains("'test-nudge'") == true)
        XCTAssertFalse(rejection(#"{"v":1,"verb":"frobnicate"}"#)?.error.message.contains("did you mean") ?? true)
    }

    func testBadArguments() {
        let cases = [
            #"{"v":1,"verb":"snooze","args":{"seconds":-5}}"#: "must be above 0",
            #"{"v":1,"verb":"snooze","args":{"seconds":100000}}"#: "at most 86400",
            #"{"v":1,"verb":"snooze","args":{"seconds":"30m"}}"#: "'seconds' must be a number, not a string",
            #"{"v":1,"verb":"snooze","args":{"secs":60}}"#: "unknown argument 'secs' for snooze; expected seconds",
            #"{"v":1,"verb":"status","args":{"x":1}}"#: "status takes no arguments",
            #"{"v":1,"verb":"status","args":[1]}"#: "'args' must be an object, not an array",
            #"{"v":1,"verb":"watch","args":{"rate":0}}"#: "'rate' must be above 0 Hz",
            #"{"v":1,"verb":"watch","args":{"count":1.5}}"#: "'count' must be a whole number",
            #"{"v":1,"verb":"test-nudge","args":{"reason":"boredom"}}"#: "unknown nudge reason 'boredom'; expected one of slouch, sitting_too_long",
        ]
        for (text, expected) in cases {
            let r = rejection(text)
            XCTAssertEqual(r?.error.code, .badArgument, text)
            XCTAssertTrue(r?.error.message.contains(expected) == true, "\(text): \(r?.error.message ?? "-")")
        }
    }

    func testStateChangingVerbs() {
        XCTAssertEqual(ControlVerb.allCases.filter(\.changesState), [.calibrate, .snooze, .resume, .testNudge, .reload])
    }
}
