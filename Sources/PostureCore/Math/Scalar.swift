#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Thin, inlinable wrappers so numerical code reads like the maths it implements
// and PostureCore needs no Foundation.
extension Double {
    @inlinable public static func atan2(_ y: Double, _ x: Double) -> Double { _atan2(y, x) }
    @inlinable public static func sin(_ x: Double) -> Double { _sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { _cos(x) }
    @inlinable public static func asin(_ x: Double) -> Double { _asin(Swift.min(1, Swift.max(-1, x))) }
    @inlinable public static func acos(_ x: Double) -> Double { _acos(Swift.min(1, Swift.max(-1, x))) }
    @inlinable public static func exp(_ x: Double) -> Double { _exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { _log(x) }
    @inlinable public static func tan(_ x: Double) -> Double { _tan(x) }

    /// Degrees per radian.
    public static let degreesPerRadian = 180.0 / Double.pi
    @inlinable public var degrees: Double { self * Double.degreesPerRadian }
    @inlinable public var radians: Double { self / Double.degreesPerRadian }
}

@usableFromInline func _atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@usableFromInline func _sin(_ x: Double) -> Double { sin(x) }
@usableFromInline func _cos(_ x: Double) -> Double { cos(x) }
@usableFromInline func _asin(_ x: Double) -> Double { asin(x) }
@usableFromInline func _acos(_ x: Double) -> Double { acos(x) }
@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _tan(_ x: Double) -> Double { tan(x) }
