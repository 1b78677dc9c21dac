import PostureConfig
import XCTest

final class TOMLParserTests: XCTestCase {
    func testScalarValues() throws {
        let table = try XCTUnwrap(parseTOML(#"""
            basic = "tab\there \"quoted\" back\\slash \u00E9 \U0001F600"
            literal = 'C:\no\escapes'
            empty = ""
            integer = 42
            negative = -17
            positive = +5
            grouped = 1_000_000
            hex = 0x68
            octal = 0o17
            binary = 0b1010
            float = 3.25
            exponent = -1.5e-3
            capital = 2E2
            infinity = -inf
            yes = true
            no = false
            """#))
        XCTAssertEqual(table.value(at: "basic"), .string("tab\there \"quoted\" back\\slash é 😀"))
        XCTAssertEqual(table.value(at: "literal"), .string(#"C:\no\escapes"#))
        XCTAssertEqual(table.value(at: "empty"), .string(""))
        XCTAssertEqual(table.value(at: "integer"), .integer(42))
        XCTAssertEqual(table.value(at: "negative"), .integer(-17))
        XCTAssertEqual(table.value(at: "positive"), .integer(5))
        XCTAssertEqual(table.value(at: "grouped"), .integer(1_000_000))
        XCTAssertEqual(table.value(at: "hex"), .integer(0x68))
        XCTAssertEqual(table.value(at: "octal"), .integer(15))
        XCTAssertEqual(table.value(at: "binary"), .integer(10))
        XCTAssertEqual(table.value(at: "float"), .float(3.25))
        XCTAssertEqual(table.value(at: "exponent"), .float(-1.5e-3))
        XCTAssertEqual(table.value(at: "capital"), .float(200))
        XCTAssertEqual(table.value(at: "infinity"), .float(-.infinity))
        XCTAssertEqual(table.value(at: "yes"), .boolean(true))
        XCTAssertEqual(table.value(at: "no"), .boolean(false))
        guard case .float(let nan) = try XCTUnwrap(parseTOML("n = nan")).value(at: "n") else { return XCTFail("nan") }
        XCTAssertTrue(nan.isNaN)
    }

    func testEveryValueRemembersItsLine() throws {
        let table = try XCTUnwrap(parseTOML("""
            # comment on line 1

            [sampling]
            rate_hz = 100
            quiet = [
              "22:00-07:00",

              "12:00-13:00",
            ]
            """))
        let sampling = try XCTUnwrap(table["sampling"])
        XCTAssertEqual(sampling.line, 3)
        guard case .table(let section) = sampling.content else { return XCTFail("not a table") }
        XCTAssertEqual(section["rate_hz"]?.line, 4)
        XCTAssertEqual(section["quiet"]?.line, 5)
        guard case .array(let elements) = section["quiet"]?.content else { return XCTFail("not an array") }
        XCTAssertEqual(elements.map(\.line), [6, 8])
    }

    func testTablesSubTablesAndKeys() throws {
        let table = try XCTUnwrap(parseTOML("""
            top = 1
            [a]
            x = 1
            "quoted key" = 2
            'literal key' = 3
            dotted.inner = 4
            [a.b]
            y = "deep"
            [ c . "d e" ]
            z = true
            """))
        XCTAssertEqual(table.keys, ["top", "a", "c"])
        XCTAssertEqual(table.value(at: "a.x"), .integer(1))
        XCTAssertEqual(table.value(at: "a.quoted key"), .integer(2))
        XCTAssertEqual(table.value(at: "a.literal key"), .integer(3))
        XCTAssertEqual(table.value(at: "a.dotted.inner"), .integer(4))
        XCTAssertEqual(table.value(at: "a.b.y"), .string("deep"))
        XCTAssertEqual(table.value(at: "c.d e.z"), .boolean(true))
    }

    func testSuperTableMayBeDefinedAfterItsChild() throws {
        let table = try XCTUnwrap(parseTOML("[a.b]\nx = 1\n[a]\ny = 2\n"))
        XCTAssertEqual(table.value(at: "a.b.x"), .integer(1))
        XCTAssertEqual(table.value(at: "a.y"), .integer(2))
    }

    func testArraysOfTablesAndTheirSubTables() throws {
        let table = try XCTUnwrap(parseTOML("""
            [[sensor]]
            bus = 1
            [[sensor]]
            bus = 2
            [sensor.extra]
            note = "belongs to the second sensor"
            """))
        guard case .array(let sensors) = table["sensor"]?.content else { return XCTFail("not an array") }
        XCTAssertEqual(sensors.map(\.line), [1, 3])
        guard case .table(let first) = sensors[0].content, case .table(let second) = sensors[1].content else {
            return XCTFail("elements are not tables")
        }
        XCTAssertEqual(first.value(at: "bus"), .integer(1))
        XCTAssertNil(first["extra"])
        XCTAssertEqual(second.value(at: "extra.note"), .string("belongs to the second sensor"))
    }

    func testArraysMultiLineNestedWithTrailingComma() throws {
        let table = try XCTUnwrap(parseTOML("""
            a = [ 1, 2, 3 ]
            b = [
              "x",  # a comment inside
              "y",
            ]
            c = [[1, 2], ["mixed", 3.5]]
            d = []
            """))
        XCTAssertEqual(table.value(at: "a"), .array([TOMLValue(.integer(1), line: 1), TOMLValue(.integer(2), line: 1), TOMLValue(.integer(3), line: 1)]))
        guard case .array(let b) = table.value(at: "b") else { return XCTFail("b") }
        XCTAssertEqual(b.map(\.content), [.string("x"), .string("y")])
        guard case .array(let c) = table.value(at: "c") else { return XCTFail("c") }
        XCTAssertEqual(c.count, 2)
        XCTAssertEqual(table.value(at: "d"), .array([]))
    }

    func testInlineTables() throws {
        let table = try XCTUnwrap(parseTOML(#"point = { a = 1, b = "x", nested.deep = true }"# + "\nempty = {}\n"))
        guard case .table(let point) = table.value(at: "point") else { return XCTFail("not a table") }
        XCTAssertEqual(point.keys, ["a", "b", "nested"])
        XCTAssertEqual(point.value(at: "b"), .string("x"))
        XCTAssertEqual(point.value(at: "nested.deep"), .boolean(true))
        guard case .table(let empty) = table.value(at: "empty") else { return XCTFail("not a table") }
        XCTAssertTrue(empty.isEmpty)
    }

    func testCommentsBlankLinesCRLFAndByteOrderMark() throws {
        let table = try XCTUnwrap(parseTOML("\u{FEFF}# header\r\n\r\n  key = 1   # trailing\r\n\t[t] # after header\r\nk = 'v'\r\n"))
        XCTAssertEqual(table.value(at: "key"), .integer(1))
        XCTAssertEqual(table.value(at: "t.k"), .string("v"))
        XCTAssertEqual(table["t"]?.line, 4)
    }

    func testSyntaxErrorsNameTheirLine() {
        let cases: [(String, String)] = [
            ("a = 1\nb = \"open\n", "test.toml:2: unterminated string"),
            ("a = 'open", "test.toml:1: unterminated string"),
            ("[s]\nrate_hz = 1\n\nrate_hz = 2\n", "test.toml:4: duplicate key 'rate_hz' (first set on line 2)"),
            ("x.y = 1\nx.y = 2\n", "test.toml:2: duplicate key 'x.y' (first set on line 1)"),
            ("\nrate_hz 100\n", "test.toml:2: expected '=' after key 'rate_hz', found '1'"),
            ("key =\n", "test.toml:1: missing value after 'key ='"),
            ("key = # nothing\n", "test.toml:1: missing value after 'key ='"),
            ("pacing = timer\n", "test.toml:1: 'timer' is not a value; strings must be quoted, e.g. \"timer\""),
            ("a = 1 2\n", "test.toml:1: unexpected '2' after the value; expected the end of the line"),
            ("[a]\n[a]\n", "test.toml:2: duplicate table [a] (first defined on line 1)"),
            ("[a\n", "test.toml:1: expected ']' to close the header '[a'"),
            ("[[a]\n", "test.toml:1: expected ']]' to close the header '[[a'"),
            ("[a] x = 1\n", "test.toml:1: unexpected 'x' after the table header; expected the end of the line"),
            ("[]\n", "test.toml:1: expected a key, found ']'"),
            ("a = [1, 2\n\nb = 3\n", "test.toml:3: expected ',' or ']' in the array, found 'b'"),
            ("a = [1,\n", "test.toml:2: unterminated array (opened on line 1); expected ']'"),
            ("a = { x = 1, }\n", "test.toml:1: trailing comma is not allowed in an inline table"),
            ("a = { x = 1\n}\n", "test.toml:1: unterminated inline table (opened on line 1); it must close with '}' on the same line"),
            ("a = { x = 1 y = 2 }\n", "test.toml:1: expected ',' or '}' in the inline table, found 'y'"),
            ("a = { x = 1, x = 2 }\n", "test.toml:1: duplicate key 'x' (first set on line 1)"),
            ("a = {x = 1}\n[a]\n", "test.toml:2: [a] conflicts with key 'a' set on line 1"),
            ("a = {x = 1}\n[a.b]\n", "test.toml:2: 'a' is an inline table (line 1) and cannot be extended"),
            ("a = [1]\n[[a]]\n", "test.toml:2: [[a]] conflicts with key 'a' set on line 1"),
            ("[a]\n[[a]]\n", "test.toml:2: [[a]] conflicts with table [a] defined on line 1"),
            ("[[a]]\n[a]\n", "test.toml:2: [a] conflicts with array of tables [[a]] on line 1"),
            ("a = 1\na.b = 2\n", "test.toml:2: 'a' is already set to a value on line 1, it cannot also be a table"),
            ("[a.b]\n[a]\nb.c = 1\n", "test.toml:3: cannot add 'b.c' with a dotted key: table 'b' has its own header on line 1; write the key there"),
            (#"s = "bad \q escape""#, #"test.toml:1: invalid escape sequence '\q' in a string"#),
            (#"s = "\u12""#, "test.toml:1: invalid unicode escape: expected 4 hexadecimal digits"),
            (#"s = "\uD800""#, "test.toml:1: invalid unicode escape: U+D800 is not a Unicode scalar value"),
            ("s = \"a\u{01}b\"", "test.toml:1: control character U+0001 in a string; use an escape"),
            ("s = \"\"\"\nmulti\n\"\"\"\n", #"test.toml:1: multi-line strings (""" or ''') are not supported; use a single-line string"#),
            ("d = 1979-05-27\n", "test.toml:1: dates and times are not supported (found '1979-05-27'); write them as a string"),
            ("t = 07:32:00\n", "test.toml:1: dates and times are not supported (found '07:32:00'); write them as a string"),
            ("n = 012\n", "test.toml:1: leading zeros are not allowed in '012'"),
            ("n = 1__000\n", "test.toml:1: '_' must sit between two digits in '1__000'"),
            ("n = 1_\n", "test.toml:1: '_' must sit between two digits in '1_'"),
            ("n = -0x10\n", "test.toml:1: a sign is not allowed on '-0x10' (only decimal numbers may be signed)"),
            ("n = 0xZZ\n", "test.toml:1: invalid number '0xZZ'"),
            ("n = 99999999999999999999\n", "test.toml:1: integer '99999999999999999999' does not fit in 64 bits"),
            ("n = 1.\n", "test.toml:1: invalid number '1.'"),
            ("n = .5\n", "test.toml:1: invalid number '.5'"),
            ("n = 1e\n", "test.toml:1: invalid number '1e'"),
            ("n = 1.2.3\n", "test.toml:1: invalid number '1.2.3'"),
            ("= 1\n", "test.toml:1: expected a key, found '='"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(syntaxError(text), expected, "for input \(text.debugDescription)")
        }
    }

    /// Nesting is limited (TOMLParser.maximumDepth) because the parser, the tree's conversion
    /// and the decoder recurse once a level: these inputs, some kilobytes long, overflowed the
    /// stack before the limit (found by scripts/fuzz, kept in Fuzz/Crashes/FuzzTOML).
    func testNestingIsLimitedNotAStackOverflow() throws {
        let limit = TOMLParser.maximumDepth
        let deep = 4000
        let message = "tables, arrays and inline tables nest more than \(limit) deep here; postured's configuration needs 3"
        func path(_ count: Int) -> String { Array(repeating: "a", count: count).joined(separator: ".") }
        func arrays(_ count: Int) -> String { String(repeating: "[", count: count) + String(repeating: "]", count: count) }
        func inlineTables(_ count: Int) -> String {
            String(repeating: "{ b = ", count: count - 1) + "{}" + String(repeating: " }", count: count - 1)
        }

        // At the limit, each kind parses, to the depth it was written.
        let atLimit = try XCTUnwrap(parseTOML("[\(path(limit))]\nx = 1\n"))
        XCTAssertEqual(atLimit.value(at: path(limit) + ".x"), .integer(1))
        XCTAssertNotNil(parseTOML("\(path(limit)) = 1\n"))  // 31 dotted tables, then the value
        XCTAssertNotNil(parseTOML("x = \(arrays(limit))\n"))
        XCTAssertNotNil(parseTOML("x = \(inlineTables(limit))\n"))
        XCTAssertNotNil(parseTOML("[\(path(limit - 2))]\n[[\(path(limit - 2)).b]]\n"))

        // One past it, and thousands past it, a syntax error on the line where it happens.
        for count in [limit + 1, deep] {
            XCTAssertEqual(syntaxError("ok = 1\n[\(path(count))]\n"), "test.toml:2: " + message, "header \(count) deep")
            XCTAssertEqual(syntaxError("ok = 1\n[[\(path(count - 1))]]\n"), "test.toml:2: " + message, "[[…]] \(count) deep")
            XCTAssertEqual(syntaxError("\n\n\(path(count + 1)) = 1\n"), "test.toml:3: " + message, "dotted key \(count) deep")
            XCTAssertEqual(syntaxError("x = \(arrays(count))\n"), "test.toml:1: " + message, "arrays \(count) deep")
            XCTAssertEqual(syntaxError("x = \(inlineTables(count))\n"), "test.toml:1: " + message, "inline tables \(count) deep")
        }
        // Depth adds up across a header, a dotted key and the value: 16 + 15 + 2 arrays.
        XCTAssertEqual(syntaxError("[\(path(limit / 2))]\n\(path(limit / 2)) = [[1]]\n"), "test.toml:2: " + message)
    }
}
