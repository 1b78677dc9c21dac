// libFuzzer target: the TOML reader (`TOMLParser.parse`) and the whole configuration load
// from text (`PostureConfiguration.parse(text:fileName:)`, which is that parse then
// `PostureConfiguration.decode`), as the daemon and `postured --check-config` run it on
// /etc/postured/postured.toml.
//
// Beyond "does not trap", each input checks:
// - a syntax error names the file and a line within the input (1 … number of lines), and
//   the configuration load from text reports it as exactly that one problem;
// - every value and table of a parsed document starts on a line within the input;
// - decoding a parsed document: every problem names the file, a line within the input and a
//   message, in file order; an accepted configuration has every value in its documented range;
// - a parsed document round-trips: written back as TOML (one inline `"key" = value` per root
//   key) it parses again, to the same keys, values and structure (lines aside), and decodes
//   the same way (accepted or refused, the same configuration when accepted);
// - nesting past `TOMLParser.maximumDepth` is a syntax error, never a stack overflow.
import PostureConfig

private let fileName = "fuzz.toml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    // The daemon refuses a file that is not UTF-8 before parsing (TextFile); the parser must
    // still cope with any String, so invalid bytes become U+FFFD rather than being skipped.
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let lineCount = 1 + text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    let lines = 1...lineCount

    let document: TOMLTable
    do throws(TOMLSyntaxError) {
        document = try TOMLParser.parse(text, fileName: fileName)
    } catch {
        check(error.fileName == fileName, "syntax error names another file: \(error)")
        check(lines.contains(error.line), "syntax error on line \(error.line) of a \(lineCount)-line input: \(error)")
        check(!error.message.isEmpty, "syntax error without a message")
        // The whole load from text (parsing again, only here: it is that plus `decode`).
        let loaded = PostureConfiguration.parse(text: text, fileName: fileName)
        let expected = ConfigProblem(fileName: fileName, line: error.line, keyPath: nil, message: error.message)
        guard case .failure(let errors) = loaded, errors.problems == [expected] else {
            fail("the configuration load does not report exactly the syntax error \(error): \(loaded)")
        }
        return 0
    }
    checkLines(document, lines: lines)
    let loaded = PostureConfiguration.decode(document, fileName: fileName)
    checkProblems(loaded, lines: lines)
    if case .success(let configuration) = loaded { checkRanges(configuration) }

    // Round trip through TOML text. Written back inline, the document nests exactly as deep as
    // the parser counted (TOMLParser.maximumDepth), so every accepted document must come back.
    let rewritten = render(document)
    let reparsed: TOMLTable
    do throws(TOMLSyntaxError) {
        reparsed = try TOMLParser.parse(rewritten, fileName: fileName)
    } catch {
        fail("a parsed document, written back, does not parse: \(error)\n--- written back:\n\(rewritten)")
    }
    checkSame(document, reparsed, path: "")

    let reloaded = PostureConfiguration.decode(reparsed, fileName: fileName)
    switch (loaded, reloaded) {
    case (.success(let a), .success(let b)):
        check(a == b, "the rewritten document configures something else:\n\(a)\n\(b)")
    case (.failure, .failure):
        break
    default:
        fail("the configuration load accepts one of the document and its rewrite only: \(loaded) / \(reloaded)\n--- written back:\n\(rewritten)")
    }
    return 0
}

// MARK: - Checks

private func fail(_ message: String) -> Never {
    fatalError("FuzzTOML property violated: \(message)")
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

private func checkProblems(_ result: Result<PostureConfiguration, ConfigErrors>, lines: ClosedRange<Int>) {
    guard case .failure(let errors) = result else { return }
    check(!errors.problems.isEmpty, "a refused configuration without a problem")
    var previous = 0
    for problem in errors.problems {
        check(problem.fileName == fileName, "problem names another file: \(problem)")
        check(!problem.message.isEmpty, "problem without a message: \(problem)")
        if let line = problem.line {
            check(lines.contains(line), "problem on line \(line), outside 1…\(lines.upperBound): \(problem)")
        }
        let line = problem.line ?? 0
        check(line >= previous, "problems out of file order: line \(line) after \(previous)")
        previous = line
    }
}

/// Every table and value of the document, without recursion: dotted keys and headers build
/// tables thousands deep without the parser recursing, and the check must not overflow first.
private func checkLines(_ document: TOMLTable, lines: ClosedRange<Int>) {
    var pending: [TOMLValue] = [TOMLValue(.table(document), line: document.line)]
    while let value = pending.popLast() {
        check(lines.contains(value.line), "a \(value.kindDescription) on line \(value.line), outside 1…\(lines.upperBound)")
        switch value.content {
        case .array(let elements):
            pending.append(contentsOf: elements)
        case .table(let table):
            check(lines.contains(table.line), "a table opened on line \(table.line), outside 1…\(lines.upperBound)")
            var seen = Set<String>()
            for key in table.keys {
                check(seen.insert(key).inserted, "key '\(key)' listed twice in one table")
                guard let element = table[key] else { fail("key '\(key)' listed in a table has no value") }
                pending.append(element)
            }
        default:
            break
        }
    }
}

/// Same keys in the same order, same values; lines are not compared (the rewrite has its own).
private func checkSame(_ a: TOMLTable, _ b: TOMLTable, path: String) {
    check(a.keys == b.keys, "table '\(path)' has keys \(a.keys), rewritten \(b.keys)")
    for key in a.keys {
        guard let x = a[key], let y = b[key] else { fail("key '\(path).\(key)' lost in the rewrite") }
        checkSame(x, y, path: path + "." + key)
    }
}

private func checkSame(_ a: TOMLValue, _ b: TOMLValue, path: String) {
    switch (a.content, b.content) {
    case (.string(let x), .string(let y)):
        check(Array(x.unicodeScalars) == Array(y.unicodeScalars), "string '\(path)' is \(a.rendered), rewritten \(b.rendered)")
    case (.integer(let x), .integer(let y)):
        check(x == y, "integer '\(path)' is \(x), rewritten \(y)")
    case (.float(let x), .float(let y)):
        check(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN), "float '\(path)' is \(x), rewritten \(y)")
    case (.boolean(let x), .boolean(let y)):
        check(x == y, "boolean '\(path)' is \(x), rewritten \(y)")
    case (.array(let x), .array(let y)):
        check(x.count == y.count, "array '\(path)' has \(x.count) elements, rewritten \(y.count)")
        for index in x.indices { checkSame(x[index], y[index], path: path + "[\(index)]") }
    case (.table(let x), .table(let y)):
        checkSame(x, y, path: path)
    default:
        fail("'\(path)' is \(a.kindDescription), rewritten \(b.kindDescription)")
    }
}

private func checkRanges(_ c: PostureConfiguration) {
    check(SamplingConfiguration.rateRange.contains(c.sampling.rateHz), "accepted rate_hz \(c.sampling.rateHz)")
    check(
        SamplingConfiguration.realtimePriorityRange.contains(c.sampling.realtimePriority),
        "accepted realtime_priority \(c.sampling.realtimePriority)")
    check(StoreConfiguration.retentionRange.contains(c.store.retentionDays), "accepted retention_days \(c.store.retentionDays)")
    check(c.store.stateDirectory.hasPrefix("/"), "accepted a relative state_directory \(c.store.stateDirectory)")
    check((1...PostureConfiguration.maximumSensors).contains(c.sensors.count), "accepted \(c.sensors.count) sensors")
    check(c.indicators.count <= PostureConfiguration.maximumIndicators, "accepted \(c.indicators.count) indicators")
    for sensor in c.sensors {
        check(SensorConfiguration.accelRangesG.contains(sensor.accelRangeG), "accepted accel_range_g \(sensor.accelRangeG)")
        check(SensorConfiguration.gyroRangesDPS.contains(sensor.gyroRangeDPS), "accepted gyro_range_dps \(sensor.gyroRangeDPS)")
        check(SensorConfiguration.lowPassRangeHz.contains(sensor.lowPassHz), "accepted lowpass_hz \(sensor.lowPassHz)")
        if case .fixed(let address) = sensor.address {
            check(SensorConfiguration.addressRange.contains(address), "accepted address \(address)")
        }
    }
}

// MARK: - Writing TOML back

/// The document as TOML: one `"key" = value` line per root key, tables inline.
private func render(_ table: TOMLTable) -> String {
    var out = ""
    for key in table.keys {
        guard let value = table[key] else { continue }
        out += TOMLValue.quoted(key) + " = "
        render(value, into: &out)
        out += "\n"
    }
    return out
}

private func render(_ value: TOMLValue, into out: inout String) {
    switch value.content {
    case .string(let text): out += TOMLValue.quoted(text)
    case .integer(let number): out += String(number)
    // Swift's shortest round-trip spelling is TOML too: 1.0, 1e-05, 5e-324, inf, -inf, nan.
    case .float(let number): out += number.isNaN ? "nan" : String(number)
    case .boolean(let flag): out += flag ? "true" : "false"
    case .array(let elements):
        out += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { out += ", " }
            render(element, into: &out)
        }
        out += "]"
    case .table(let table):
        out += "{"
        for (index, key) in table.keys.enumerated() {
            guard let element = table[key] else { continue }
            out += (index > 0 ? ", " : "") + TOMLValue.quoted(key) + " = "
            render(element, into: &out)
        }
        out += "}"
    }
}
