import PostureCore

/// Number and string spelling shared by the log, report and export output: the same rules as
/// `replay --json` (rounded to a fixed number of places, trailing zeros trimmed, never `-0`),
/// written here because PostureStore does not depend on PostureReplay.
enum TextFormat {
    static func number(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "null" }
        let rounded = SummaryRoundingShim.rounded(value, decimals: decimals)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let negative = rounded < 0
        let units = Int64((abs(rounded) * scale).rounded())
        var whole = String(units / Int64(scale))
        var fraction = String(units % Int64(scale))
        fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        if !fraction.isEmpty { whole += "." + fraction }
        return negative && units != 0 ? "-" + whole : whole
    }

    static func optionalNumber(_ value: Double?, decimals: Int = 2) -> String {
        value.map { number($0, decimals: decimals) } ?? "null"
    }

    static func jsonString(_ s: String) -> String { JSONText.quoted(s) }

    /// A flat JSON object of event details, keys sorted.
    static func jsonObject(_ detail: [String: DetailValue]) -> String {
        let members = detail.keys.sorted().map { key -> String in
            let value: String
            switch detail[key] ?? .null {
            case .string(let s): value = jsonString(s)
            case .number(let n): value = number(n, decimals: 3)
            case .bool(let b): value = b ? "true" : "false"
            case .null: value = "null"
            }
            return jsonString(key) + ":" + value
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// `SummaryRounding.rounded` from PostureCore, reached through one name so this file reads alone.
enum SummaryRoundingShim {
    static func rounded(_ value: Double, decimals: Int) -> Double { SummaryRounding.rounded(value, decimals: decimals) }
}
