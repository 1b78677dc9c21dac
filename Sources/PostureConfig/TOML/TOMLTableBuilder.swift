/// The parser's mutable view of a table while the document is read. Tables are shared and
/// extended from several places (`[a]`, then `[a.b]`, then `[[a.c]]`), hence a class; it
/// never leaves the parser, which converts the finished tree into value-type `TOMLTable`s.
final class TOMLTableBuilder {
    /// How a table came to exist decides whether it may be reopened.
    enum Origin {
        /// Created on the way to a deeper header (`[a.b]` creates `a`): may be opened by `[a]` later.
        case implicit
        /// Opened by its own `[header]`: a second `[header]` is a duplicate.
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`): may be extended by more dotted keys only.
        case dotted
        /// An element of an array of tables (`[[a]]`).
        case arrayElement
    }

    enum Entry {
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        case tableArray(TOMLTableArrayBuilder)

        var line: Int {
            switch self {
            case .value(let value): value.line
            case .table(let table): table.line
            case .tableArray(let array): array.line
            }
        }
    }

    var origin: Origin
    var line: Int
    /// How deep it sits: 0 for the root, 1 for `[a]` or `a = {…}`, 2 for `[a.b]` or `[[a]]`'s
    /// elements (the array is level 1), the way it would nest if written inline.
    let depth: Int
    private(set) var keys: [String] = []
    private(set) var entries: [String: Entry] = [:]

    init(origin: Origin, line: Int, depth: Int) {
        self.origin = origin
        self.line = line
        self.depth = depth
    }

    subscript(key: String) -> Entry? { entries[key] }

    func insert(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil { keys.append(key) }
    }

    /// The finished, immutable table.
    func build() -> TOMLTable {
        var table = TOMLTable(line: line)
        for key in keys {
            guard let entry = entries[key] else { continue }
            switch entry {
            case .value(let value):
                table.set(key, value)
            case .table(let child):
                table.set(key, TOMLValue(.table(child.build()), line: child.line))
            case .tableArray(let array):
                let elements = array.tables.map { TOMLValue(.table($0.build()), line: $0.line) }
                table.set(key, TOMLValue(.array(elements), line: array.line))
            }
        }
        return table
    }
}

/// An array of tables (`[[sensor]]`), appended to by each header.
final class TOMLTableArrayBuilder {
    let line: Int
    private(set) var tables: [TOMLTableBuilder] = []

    init(line: Int) {
        self.line = line
    }

    func append(_ table: TOMLTableBuilder) { tables.append(table) }

    /// `[sensor.sub]` after `[[sensor]]` refers to the latest element, as TOML specifies.
    var last: TOMLTableBuilder? { tables.last }
}
