/// Collects the problems of one decoding pass. Shared by all the section readers of a
/// document (hence a class); it lives only for that pass and never crosses a thread.
final class ProblemLog {
    let fileName: String
    private(set) var problems: [ConfigProblem] = []

    init(fileName: String) {
        self.fileName = fileName
    }

    func report(line: Int?, keyPath: String?, _ message: String) {
        problems.append(ConfigProblem(fileName: fileName, line: line, keyPath: keyPath, message: message))
    }

    /// File order, so the list reads top to bottom; stable, so one line's problems keep their order.
    var sortedProblems: [ConfigProblem] {
        problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
    }
}

/// Reads the keys of one table (a `[section]` or one `[[sensor]]`).
///
/// It remembers every key it was asked for: whatever is left in the table afterwards is
/// unknown, and the asked keys are the candidates for "did you mean". So the list of known
/// keys is the decoding code itself and cannot drift from it.
struct SectionReader {
    let table: TOMLTable
    /// `sampling`, `sensor[1]`, `indicator[0].patterns`; empty for the document root.
    let path: String
    let log: ProblemLog
    private(set) var askedKeys: [String] = []

    init(table: TOMLTable, path: String, log: ProblemLog) {
        self.table = table
        self.path = path
        self.log = log
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of `key`, if present; marks the key as known.
    mutating func value(_ key: String) -> TOMLValue? {
        askedKeys.append(key)
        return table[key]
    }

    /// `key` converted by `rule`; the default when absent, or after reporting why it is refused.
    mutating func read<T>(_ key: String, _ rule: ValueRule<T>, default fallback: T) -> T {
        readIfPresent(key, rule) ?? fallback
    }

    /// `key` converted by `rule`, `nil` when absent or refused (refusals are reported).
    mutating func readIfPresent<T>(_ key: String, _ rule: ValueRule<T>) -> T? {
        guard let value = value(key) else { return nil }
        switch rule.convert(value) {
        case .success(let output): return output
        case .failure(let failure):
            report(failure, key: key, at: value)
            return nil
        }
    }

    /// Like `readIfPresent`, but a missing key is a problem too: there is no sensible default.
    mutating func readRequired<T>(_ key: String, _ rule: ValueRule<T>) -> T? {
        if table[key] == nil {
            report(key: key, line: table.line, "missing required key '\(key)', expected \(rule.expected)")
        }
        return readIfPresent(key, rule)
    }

    /// A sub-table (`[indicator.patterns]`), decoded by `decode`; unknown keys in it are reported.
    mutating func subtable<T>(_ key: String, default fallback: T, decode: (inout SectionReader) -> T) -> T {
        guard let value = value(key) else { return fallback }
        guard case .table(let child) = value.content else {
            report(key: key, line: value.line, "\(value.rendered) is \(value.kindDescription), expected a table [\(keyPath(key))]")
            return fallback
        }
        var reader = SectionReader(table: child, path: keyPath(key), log: log)
        let output = decode(&reader)
        reader.reportUnknownKeys()
        return output
    }

    /// An array of tables (`[[sensor]]`), each element decoded by `decode` (`nil` = unusable
    /// element, already reported). Each decoded element keeps its position in the file, so later
    /// problems name the `[[…]]` block the user sees. Absent → `nil`, so the caller can apply its default.
    mutating func tableArray<T>(_ key: String, limit: Int, decode: (inout SectionReader) -> T?) -> [(index: Int, value: T)]? {
        guard let value = value(key) else { return nil }
        let header = "[[\(keyPath(key))]]"
        guard case .array(let elements) = value.content else {
            let found = value.kindDescription == "a table" ? "a single table [\(keyPath(key))]" : value.kindDescription
            report(key: key, line: value.line, "found \(found), expected an array of tables: write each as \(header)")
            return []
        }
        if elements.count > limit {
            report(key: key, line: elements[limit].line, "\(elements.count) entries, expected at most \(limit) \(header)")
        }
        var outputs: [(index: Int, value: T)] = []
        for (index, element) in elements.prefix(limit).enumerated() {
            let elementPath = "\(keyPath(key))[\(index)]"
            guard case .table(let child) = element.content else {
                log.report(line: element.line, keyPath: elementPath, "\(element.rendered) is \(element.kindDescription), expected a table")
                continue
            }
            var reader = SectionReader(table: child, path: elementPath, log: log)
            if let output = decode(&reader) { outputs.append((index, output)) }
            reader.reportUnknownKeys()
        }
        return outputs
    }

    // MARK: Problems

    func report(key: String?, line: Int, _ message: String) {
        log.report(line: line, keyPath: key.map(keyPath) ?? (path.isEmpty ? nil : path), message)
    }

    /// A refused value, and any further failures it carries (other bad array elements).
    func report(_ failure: ValueFailure, key: String, at value: TOMLValue) {
        for single in [failure] + failure.more {
            log.report(line: single.line ?? value.line, keyPath: keyPath(key) + (single.pathSuffix ?? ""), single.message)
        }
    }

    /// Every key nobody asked for, with the nearest known key as a suggestion.
    func reportUnknownKeys() {
        let known = askedKeys
        for key in table.keys where !known.contains(key) {
            guard let value = table[key] else { continue }
            let noun = value.kindDescription == "a table" ? "table" : "key"
            var message = "unknown \(noun) '\(key)'"
            if let near = Suggestion.nearest(to: key, among: known) {
                message += ", did you mean '\(near)'?"
            } else if !known.isEmpty {
                message += ", expected one of: \(known.joined(separator: ", "))"
            }
            log.report(line: value.line, keyPath: keyPath(key), message)
        }
    }
}
