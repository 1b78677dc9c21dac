/// Reads the bare (unquoted) values: booleans, integers and floats. Dates and times are
/// recognised only to be rejected with a clear message: a config file never needs them.
enum TOMLScalarLiteral {
    /// Why a bare run is not a value, as a message for `TOMLSyntaxError`.
    struct Invalid: Error {
        var message: String
    }

    static func parse(_ run: String) throws(Invalid) -> TOMLValue.Content {
        switch run {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if looksLikeDateOrTime(run) {
            throw Invalid(message: "dates and times are not supported (found '\(run)'); write them as a string")
        }
        guard let first = run.unicodeScalars.first, first == "+" || first == "-" || first == "." || ("0"..."9").contains(first)
        else {
            throw Invalid(message: "'\(run)' is not a value; strings must be quoted, e.g. \"\(run)\"")
        }
        let unsigned = run.hasPrefix("+") || run.hasPrefix("-") ? String(run.dropFirst()) : run
        if let radix = radixPrefix(unsigned) {
            if unsigned != run { throw Invalid(message: "a sign is not allowed on '\(run)' (only decimal numbers may be signed)") }
            return .integer(try parseRadixInteger(run, radix: radix))
        }
        if unsigned.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            return .float(try parseFloat(run))
        }
        return .integer(try parseDecimalInteger(run))
    }

    /// `1979-05-27`, `07:32:00`, `1979-05-27T07:32:00Z`: four digits and a dash, or a colon.
    private static func looksLikeDateOrTime(_ run: String) -> Bool {
        if run.contains(":") { return true }
        let scalars = Array(run.unicodeScalars)
        return scalars.count >= 5 && scalars[0..<4].allSatisfy { ("0"..."9").contains($0) } && scalars[4] == "-"
    }

    private static func radixPrefix(_ text: String) -> Int? {
        if text.hasPrefix("0x") { return 16 }
        if text.hasPrefix("0o") { return 8 }
        if text.hasPrefix("0b") { return 2 }
        return nil
    }

    private static func parseRadixInteger(_ run: String, radix: Int) throws(Invalid) -> Int64 {
        let digits = String(run.dropFirst(2))
        try checkUnderscores(digits, in: run) { $0.properties.isASCIIHexDigit && Int(String($0), radix: radix) != nil }
        let plain = digits.replacingUnderscores()
        guard !plain.isEmpty, plain.unicodeScalars.allSatisfy({ Int(String($0), radix: radix) != nil }) else {
            throw Invalid(message: "invalid number '\(run)'")
        }
        guard let value = Int64(plain, radix: radix) else {
            throw Invalid(message: "integer '\(run)' does not fit in 64 bits")
        }
        return value
    }

    private static func parseDecimalInteger(_ run: String) throws(Invalid) -> Int64 {
        let unsigned = run.hasPrefix("+") || run.hasPrefix("-") ? String(run.dropFirst()) : run
        try checkUnderscores(unsigned, in: run) { ("0"..."9").contains($0) }
        let plain = unsigned.replacingUnderscores()
        guard !plain.isEmpty, plain.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw Invalid(message: "invalid number '\(run)'")
        }
        if plain.count > 1, plain.hasPrefix("0") { throw Invalid(message: "leading zeros are not allowed in '\(run)'") }
        guard let value = Int64((run.hasPrefix("-") ? "-" : "") + plain) else {
            throw Invalid(message: "integer '\(run)' does not fit in 64 bits")
        }
        return value
    }

    /// `[+-] int [. digits] [e [+-] digits]`, with `_` only between digits.
    private static func parseFloat(_ run: String) throws(Invalid) -> Double {
        let invalid = Invalid(message: "invalid number '\(run)'")
        var scalars = Array(run.unicodeScalars)[...]
        if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        // Splits off one run of digits and underscores, checking underscore placement.
        func digitRun() throws(Invalid) -> String {
            var digits = ""
            while let scalar = scalars.first, isDigit(scalar) || scalar == "_" {
                digits.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst()
            }
            guard !digits.isEmpty else { throw invalid }
            try checkUnderscores(digits, in: run, isDigit: isDigit)
            return digits.replacingUnderscores()
        }
        let integerPart = try digitRun()
        if integerPart.count > 1, integerPart.hasPrefix("0") {
            throw Invalid(message: "leading zeros are not allowed in '\(run)'")
        }
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            _ = try digitRun()
        }
        if let e = scalars.first, e == "e" || e == "E" {
            scalars = scalars.dropFirst()
            if let sign = scalars.first, sign == "+" || sign == "-" { scalars = scalars.dropFirst() }
            _ = try digitRun()
        }
        guard scalars.isEmpty, let value = Double(run.replacingUnderscores()) else { throw invalid }
        return value
    }

    /// TOML allows `_` only with a digit on each side (`1_000`, not `_1`, `1_`, `1__0`).
    private static func checkUnderscores(
        _ digits: String, in run: String, isDigit: (Unicode.Scalar) -> Bool
    ) throws(Invalid) {
        let scalars = Array(digits.unicodeScalars)
        for (position, scalar) in scalars.enumerated() where scalar == "_" {
            let before = position > 0 ? scalars[position - 1] : nil
            let after = position + 1 < scalars.count ? scalars[position + 1] : nil
            guard let before, let after, isDigit(before), isDigit(after) else {
                throw Invalid(message: "'_' must sit between two digits in '\(run)'")
            }
        }
    }
}

extension String {
    func replacingUnderscores() -> String {
        var plain = ""
        plain.unicodeScalars.append(contentsOf: unicodeScalars.filter { $0 != "_" })
        return plain
    }
}
