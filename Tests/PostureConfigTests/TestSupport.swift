import PostureConfig
import XCTest

/// The root table of `text`, failing the test on a syntax error.
func parseTOML(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TOMLTable? {
    do {
        return try TOMLParser.parse(text, fileName: "test.toml")
    } catch {
        XCTFail("unexpected syntax error: \(error)", file: file, line: line)
        return nil
    }
}

/// The syntax error `text` produces, as printed (`test.toml:LINE: message`).
func syntaxError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    do {
        let table = try TOMLParser.parse(text, fileName: "test.toml")
        XCTFail("expected a syntax error, parsed \(table)", file: file, line: line)
        return nil
    } catch {
        return error.description
    }
}

/// Every problem of a configuration text, as printed, labelled `postured.toml`.
func problems(_ text: String) -> [String] {
    switch PostureConfiguration.parse(text: text, fileName: "postured.toml") {
    case .success: return []
    case .failure(let errors): return errors.problems.map(\.description)
    }
}

/// The configuration `text` decodes to, failing the test on any problem.
func configuration(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> PostureConfiguration? {
    switch PostureConfiguration.parse(text: text, fileName: "postured.toml") {
    case .success(let configuration): return configuration
    case .failure(let errors):
        XCTFail("unexpected problems:\n\(errors)", file: file, line: line)
        return nil
    }
}

extension TOMLTable {
    /// The value at a dotted path of table keys (`"a.b.c"`), for terse assertions.
    func value(at path: String) -> TOMLValue.Content? {
        var table = self
        let parts = path.split(separator: ".").map(String.init)
        for (index, part) in parts.enumerated() {
            guard let value = table[part] else { return nil }
            if index == parts.count - 1 { return value.content }
            guard case .table(let child) = value.content else { return nil }
            table = child
        }
        return nil
    }
}
