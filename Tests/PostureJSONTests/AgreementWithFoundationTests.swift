import Foundation
import PostureJSON
import XCTest

/// PostureJSON replaced Foundation's JSONEncoder and JSONDecoder in the binary (issue 12). Day
/// logs written before, the control protocol's documented lines and the clients that talk to
/// it must not see a difference: these tests hold it to Foundation's output and acceptance.
final class AgreementWithFoundationTests: XCTestCase {
    struct Inner: Codable, Equatable {
        var a: Double
        var b: String?
        var c: [Int]
        var d: [String: Double]
    }

    struct Outer: Codable, Equatable {
        var zeta: Int
        var alpha: Inner
        var list: [Inner]
        var missing: Int?
        var flag: Bool
        var name: String
        var f: Float
        var u8: UInt8
        var i64: Int64
        var nested: [[String: [Int]]]
        enum CodingKeys: String, CodingKey { case zeta, alpha, list, missing, flag, name = "na_me", f, u8, i64, nested = "Nested" }
    }

    enum Choice: Codable, Equatable {
        case number(Int)
        case named(name: String)
    }

    struct Nothing: Codable, Equatable {}

    /// Writes `null` for an absent optional on purpose (encode, not encodeIfPresent).
    struct ExplicitNull: Encodable {
        var value: Int?
        enum CodingKeys: CodingKey { case value, other }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value, forKey: .value)
            try container.encodeNil(forKey: .other)
        }
    }

    static let awkward = "quote\" back\\ slash/ nl\n tab\t cr\r bs\u{8} ff\u{c} nul\u{0} us\u{1f} del\u{7f} é 😀"
    static let inner = Inner(
        a: 1.5, b: awkward, c: [1, -2, 3],
        d: ["b": 2.0, "a": -0.0, "B": 1e-7, "_x": 1e22, "a10": 0.1, "a9": 123456789.125])

    private func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func assertAgrees<T: Codable & Equatable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let ours = String(decoding: try JSONCoding.encode(value), as: UTF8.self)
        XCTAssertEqual(ours, try foundation(value), file: file, line: line)
        XCTAssertEqual(try JSONCoding.decode(T.self, from: Array(ours.utf8)), value, file: file, line: line)
    }

    func testEncodesAsFoundationDid() throws {
        try assertAgrees(Self.inner)
        try assertAgrees(Outer(
            zeta: .max, alpha: Self.inner, list: [Self.inner, Inner(a: 3, b: nil, c: [], d: [:])], missing: nil, flag: true,
            name: "n", f: 0.1, u8: 255, i64: .min, nested: [["k": [1]], [:]]))
        try assertAgrees([Choice.number(1), .named(name: "q")])
        try assertAgrees(Nothing())
        try assertAgrees([1.0, 2.5, 1e16, 1e-5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 100, 0.30000000000000004, -0.0])
        try assertAgrees(["z": 1, "é": 2, "a": 3, "A": 4, "ab": 5, "a_b": 6, "a10": 7, "a9": 8])
        try assertAgrees("a top-level string")
        try assertAgrees(Int?.none)
        XCTAssertEqual(String(decoding: try JSONCoding.encode(ExplicitNull(value: nil)), as: UTF8.self), try foundation(ExplicitNull(value: nil)))
    }

    func testRefusesNonFiniteNumbers() {
        for value in [Double.nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try JSONCoding.encode([value])) { error in
                guard case EncodingError.invalidValue = error else { return XCTFail("\(error)") }
            }
        }
    }

    /// The same inputs accepted and refused, and the same values read, as JSONDecoder.
    private func assertDecodesAlike<T: Decodable & Equatable>(_ text: String, _ type: T.Type, file: StaticString = #filePath, line: UInt = #line) {
        let theirs = try? JSONDecoder().decode(T.self, from: Data(text.utf8))
        let ours = try? JSONCoding.decode(T.self, from: Array(text.utf8))
        XCTAssertEqual(ours, theirs, "\(T.self) from \(text.debugDescription)", file: file, line: line)
    }

    func testNumbersDecodeAsFoundationDid() {
        let texts = ["1", "1.0", "1e2", "-0", "1.5", "9223372036854775807", "9223372036854775808", "\"1\"", "null",
                     "01", "1.", ".5", "-", "+1", " 7 ", "1e400", "true", "256", "-1"]
        for text in texts {
            assertDecodesAlike(text, Int.self)
            assertDecodesAlike(text, Int?.self)
            assertDecodesAlike(text, UInt8.self)
            assertDecodesAlike(text, Double.self)
            assertDecodesAlike(text, Float.self)
        }
    }

    func testStructureAndStringsDecodeAsFoundationDid() {
        let texts = ["\"a\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"a\tb\"", "\"\\x\"", "\"abc",
                     "\"\\/\"", "\"a\"x", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "[,]", "{,}", "[1,,]", "[ ]",
                     "{\"a\":1 , }", "[1,\n]", "{\"a\":1,,}", "[1]]", "\"\u{7f}\"", "", "  ", "[1] // comment"]
        for text in texts {
            assertDecodesAlike(text, String.self)
            assertDecodesAlike(text, [Int].self)
            assertDecodesAlike(text, [String: Int].self)
        }
        assertDecodesAlike("{\"a\":1,\"a\":2}", [String: Int].self)
        assertDecodesAlike("{\"a\":\"x\",\"a\":2}", [String: Int].self)
        assertDecodesAlike("{\"a\":{\"b\":1,},}", [String: [String: Int]].self)
        assertDecodesAlike("{\"a\":null}", [String: Int?].self)
        assertDecodesAlike("{\"zeta\":1}", Outer?.self)
        XCTAssertThrowsError(try JSONCoding.decode(String.self, from: [0x22, 0xFF, 0x22]), "invalid UTF-8")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSONCoding.decode([Int]?.self, from: Array(deep.utf8)))
    }

    func testErrorsNameTheProblem() {
        XCTAssertThrowsError(try JSONCoding.decode(Outer.self, from: Array("{\"zeta\":1}".utf8))) { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(key.stringValue, "alpha")
        }
        XCTAssertThrowsError(try JSONCoding.decode(Inner.self, from: Array("{\"a\":\"x\",\"c\":[],\"d\":{}}".utf8))) { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(context.codingPath.map(\.stringValue), ["a"])
        }
        XCTAssertThrowsError(try JSONCoding.decode([Int].self, from: Array("[1, x]".utf8))) { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(context.debugDescription.contains("at byte 4"), context.debugDescription)
        }
    }
}
