/// Spelling shared by the SVG and the HTML: escaped text, and numbers as short as they can be.
///
/// Both outputs are well-formed XML (the page is polyglot HTML5), so that a test can read them
/// with an XML parser and a browser reads them as they are.
enum Markup {
    /// `text` safe inside an element or a double-quoted attribute.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate or value with at most `decimals` places, trailing zeros trimmed, never `-0`.
    static func number(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let units = Int64((abs(value) * scale).rounded())
        var text = String(units / Int64(scale))
        if decimals > 0 {
            var fraction = String(units % Int64(scale))
            fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return value < 0 && units != 0 ? "-" + text : text
    }

    /// Degrees for a person: one decimal and the sign spelled (`−8.5°`, `+2°`, `0°`).
    static func degrees(_ value: Double) -> String {
        let text = number(value, decimals: 1)
        if text == "0" { return "0°" }
        return text.hasPrefix("-") ? "−" + text.dropFirst() + "°" : "+" + text + "°"
    }

    /// A share as a whole percentage (`87%`).
    static func percent(_ share: Double) -> String { number(share * 100, decimals: 0) + "%" }
}
