#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses one CSV field of ASCII bytes as a finite decimal number, fast.
///
/// Recordings are large (two hours at 100 Hz is ~100 MB), so the reader cannot afford
/// `Double(String)` per field. This uses Clinger's fast path: a decimal mantissa of at most
/// 15 digits is exact as a `Double`, and so is every power of ten up to 10^22, so one
/// multiplication or division is correctly rounded. Anything outside that (long mantissas,
/// big exponents) falls back to `strtod`, which is always correct.
enum DecimalParser {
    /// Largest mantissa the fast path may hold exactly (< 2^53).
    private static let maxExactMantissa: UInt64 = 1 << 53
    /// Powers of ten that are exactly representable as doubles.
    private static let exactPowersOfTen: [Double] = (0...22).map { p in
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    /// The value of `bytes`, or `nil` if it is not a finite decimal number.
    /// Accepts an optional sign, digits with an optional fraction, and an optional exponent.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = bytes.count
        guard n > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var decimalExponent = 0
        var sawDigit = false
        while i < n, bytes[i] &- 48 < 10 {
            sawDigit = true
            if significant > 0 || bytes[i] != 48 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48) } else { decimalExponent += 1 }
            digits += 1
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- 48 < 10 {
                sawDigit = true
                if significant > 0 || bytes[i] != 48 { significant += 1 }
                if significant <= 19 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
                    decimalExponent -= 1
                }
                digits += 1
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var sawExpDigit = false
            while i < n, bytes[i] &- 48 < 10 {
                sawExpDigit = true
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            guard sawExpDigit else { return nil }
            decimalExponent += expNegative ? -exponent : exponent
        }
        guard i == n else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if significant <= 15, mantissa < maxExactMantissa, abs(decimalExponent) <= 22 {
            let m = Double(mantissa)
            let v = decimalExponent < 0 ? m / exactPowersOfTen[-decimalExponent] : m * exactPowersOfTen[decimalExponent]
            return negative ? -v : v
        }
        return slowParse(bytes)
    }

    /// `strtod` on a NUL-terminated copy: correct for every input, used rarely.
    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var copy = [CChar](repeating: 0, count: bytes.count + 1)
        for k in 0..<bytes.count { copy[k] = CChar(bitPattern: bytes[k]) }
        let v = copy.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
        return v.isFinite ? v : nil
    }
}
