/// A problem in an IMU CSV v1 file, naming the file, line and column.
public struct IMUCSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line number, or nil for whole-file problems (cannot open, empty).
    public var line: Int?
    /// The column's header name (`t`, `sensor`, `ax` …), when one column is at fault.
    public var column: String?
    public var message: String

    public init(path: String, line: Int?, column: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var s = path
        if let line { s += ":\(line)" }
        if let column { s += ": column '\(column)'" }
        return s + ": " + message
    }
}
