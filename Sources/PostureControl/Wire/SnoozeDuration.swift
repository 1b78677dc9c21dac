/// Parses a snooze duration as a person types it: `90s`, `30m`, `1h`, `1h30m`, or plain
/// seconds (`900`). Used by `posturectl snooze`; here so it is tested with the protocol.
public enum SnoozeDuration {
    public static func seconds(_ text: String) -> Double? {
        guard let total = written(text), total > 0, total.isFinite else { return nil }
        return total
    }

    /// What `text` says, even when it is no time to snooze for (`0`, `-5`, `0m`); nil when
    /// it is not written as a duration at all.
    public static func written(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces.lowercased()
        guard !trimmed.isEmpty else { return nil }
        if let plain = Double(trimmed) { return plain.isNaN ? nil : plain }
        var total = 0.0
        var digits = ""
        var sawUnit = false
        for character in trimmed {
            if character.isNumber || character == "." {
                digits.append(character)
                continue
            }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            default: return nil
            }
            guard let value = Double(digits) else { return nil }
            total += value * unit
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit else { return nil }
        return total
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
