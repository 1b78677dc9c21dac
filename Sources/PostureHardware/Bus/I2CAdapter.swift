/// One I2C adapter the kernel knows, as `/sys/class/i2c-dev/i2c-N/name` describes it.
public struct I2CAdapter: Sendable, Equatable, CustomStringConvertible {
    /// N of `/dev/i2c-N`.
    public var number: Int
    /// The adapter's name: "bcm2835 (i2c@7e804000)", "CP2112 SMBus Bridge on hidraw0".
    public var name: String

    public init(number: Int, name: String) {
        self.number = number
        self.name = name
    }

    /// The character device for this adapter.
    public var devicePath: String { "/dev/i2c-\(number)" }

    public var description: String { "i2c-\(number) \"\(name)\"" }

    /// Where the kernel lists the i2c-dev adapters; tests pass a fake directory.
    public static let defaultSysfsRoot = "/sys/class/i2c-dev"

    /// All adapters under `sysfsRoot`, by number. Empty when the directory is missing
    /// (i2c-dev not loaded) or holds no `i2c-N` entries.
    public static func all(sysfsRoot: String = defaultSysfsRoot) -> [I2CAdapter] {
        let entries = (try? Syscalls.directoryEntries(sysfsRoot)) ?? []
        return entries.compactMap { entry -> I2CAdapter? in
            guard entry.hasPrefix("i2c-"), let number = Int(entry.dropFirst(4)) else { return nil }
            let name = (try? Syscalls.readSmallFile("\(sysfsRoot)/\(entry)/name")) ?? ""
            return I2CAdapter(number: number, name: name.trimmingTrailingNewlines())
        }.sorted { $0.number < $1.number }
    }

    /// The adapter whose name is `name`, or starts with it: USB bridges append a changing
    /// suffix ("CP2112 SMBus Bridge on hidraw3"), so `"CP2112 SMBus Bridge"` finds it.
    /// An exact match wins over prefix matches; several prefix matches are an error, since
    /// picking one would silently talk to the wrong bus.
    public static func find(named name: String, sysfsRoot: String = defaultSysfsRoot) throws(I2CError) -> I2CAdapter {
        let adapters = all(sysfsRoot: sysfsRoot)
        if let exact = adapters.first(where: { $0.name == name }) { return exact }
        let matches = adapters.filter { $0.name.hasPrefix(name) }
        if matches.count == 1 { return matches[0] }
        let present = adapters.isEmpty
            ? "no I2C adapters in \(sysfsRoot)"
            : "adapters: " + adapters.map(\.description).joined(separator: ", ")
        let problem = matches.isEmpty
            ? "no adapter named \"\(name)\""
            : "\"\(name)\" matches several adapters; give a longer name or the bus number"
        throw I2CError(kind: .busNotFound, bus: "adapter \"\(name)\"", address: nil, detail: "\(problem); \(present)")
    }
}

extension String {
    /// sysfs attributes end with a newline.
    fileprivate func trimmingTrailingNewlines() -> String {
        var result = self
        while let last = result.last, last == "\n" || last == "\r" { result.removeLast() }
        return result
    }
}
