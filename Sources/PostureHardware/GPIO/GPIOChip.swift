import Glibc

/// An open GPIO chip (`/dev/gpiochipN`), used at start-up to find and request lines.
/// Requested lines do not borrow the chip: it may be closed (deinit) while they stay in use.
public final class GPIOChip {
    public let info: GPIOChipInfo
    private let handle: OpaquePointer

    /// The consumer name every line request carries; `gpioinfo` shows it.
    public static let consumer = "postured"

    /// Opens a chip named any of the ways a config file might:
    /// a path ("/dev/gpiochip0"), a kernel name ("gpiochip0"), a number ("0"),
    /// or a label ("pinctrl-rp1", "cp2112_gpio"), found by scanning `devDirectory`/gpiochip*.
    /// A missing chip is `.noSuchChip` listing the chips that do exist.
    public init(_ spec: String, devDirectory: String = "/dev") throws(GPIOError) {
        let path: String?
        if spec.contains("/") {
            path = spec
        } else if spec.hasPrefix("gpiochip"), Int(spec.dropFirst(8)) != nil {
            path = "\(devDirectory)/\(spec)"
        } else if Int(spec) != nil {
            path = "\(devDirectory)/gpiochip\(spec)"
        } else {
            path = nil  // a label
        }
        do throws(Errno) {
            if let path {
                handle = try GPIODShim.openChip(path: path)
            } else {
                handle = try GPIODShim.openChip(label: spec, devDirectory: devDirectory)
            }
        } catch {
            throw GPIOError(errno: error, chip: "\"\(spec)\"", available: GPIOChip.available(devDirectory: devDirectory),
                            operation: path.map { "opening \($0)" } ?? "looking for the label in \(devDirectory)/gpiochip*")
        }
        do {
            let described = try GPIODShim.describeChip(handle)
            info = GPIOChipInfo(path: path ?? "\(devDirectory)/\(described.name)", name: described.name,
                                label: described.label, lineCount: described.lineCount)
        } catch {
            GPIODShim.closeChip(handle)
            throw GPIOError(errno: error, chip: "\"\(spec)\"", operation: "reading the chip's name and label")
        }
    }

    deinit {
        GPIODShim.closeChip(handle)
    }

    /// Every chip in `devDirectory` that can be opened, by name. Chips that cannot be opened
    /// (no permission) are listed with the label "?" so an error still shows they exist.
    public static func available(devDirectory: String = "/dev") -> [GPIOChipInfo] {
        let entries = (try? Syscalls.directoryEntries(devDirectory)) ?? []
        return entries.filter { $0.hasPrefix("gpiochip") }.sorted { $0.localizedNumericLess(than: $1) }.map { entry in
            let path = "\(devDirectory)/\(entry)"
            guard let chip = try? GPIODShim.openChip(path: path) else {
                return GPIOChipInfo(path: path, name: entry, label: "?", lineCount: 0)
            }
            defer { GPIODShim.closeChip(chip) }
            let described = try? GPIODShim.describeChip(chip)
            return GPIOChipInfo(path: path, name: entry, label: described?.label ?? "?", lineCount: described?.lineCount ?? 0)
        }
    }

    /// Resolves a line given by offset ("17") or by name ("GPIO17").
    public func lineOffset(_ line: String) throws(GPIOError) -> UInt32 {
        if let offset = UInt32(line) {
            guard offset < info.lineCount else {
                throw GPIOError(kind: .noSuchLine(lineCount: info.lineCount), chip: chipName, line: line)
            }
            return offset
        }
        do {
            return try GPIODShim.findLine(handle, named: line)
        } catch {
            throw GPIOError(errno: error, chip: chipName, line: line, lineCount: info.lineCount, operation: "looking up the line name")
        }
    }

    /// The line's current consumer, or nil if it is free.
    public func consumer(ofLine line: String) throws(GPIOError) -> String? {
        let offset = try lineOffset(line)
        do {
            return try GPIODShim.consumer(handle, offset: offset)
        } catch {
            throw GPIOError(errno: error, chip: chipName, line: line, lineCount: info.lineCount, operation: "reading the line's info")
        }
    }

    /// Requests `line` as an output, initially `initialValue` (logical, after `activeLow`).
    public func requestOutput(line: String, activeLow: Bool = false, initialValue: Bool = false) throws(GPIOError) -> GPIOLine {
        let offset = try lineOffset(line)
        do {
            let request = try GPIODShim.requestOutput(handle, offset: offset, consumer: Self.consumer,
                                                      activeLow: activeLow, initialValue: initialValue)
            return GPIOLine(request: request, chip: chipName, line: line)
        } catch {
            throw requestError(error, line: line, offset: offset, operation: "requesting the line as an output")
        }
    }

    /// Requests `line` as an input reporting rising edges (a sensor's data-ready interrupt).
    public func requestRisingEdges(line: String, activeLow: Bool = false) throws(GPIOError) -> GPIOEdgeLine {
        let offset = try lineOffset(line)
        do {
            let request = try GPIODShim.requestRisingEdges(handle, offset: offset, consumer: Self.consumer, activeLow: activeLow)
            return GPIOEdgeLine(request: request, chip: chipName, line: line)
        } catch {
            throw requestError(error, line: line, offset: offset, operation: "requesting rising-edge events")
        }
    }

    /// Requests `line` as an input reporting both edges (a button), biased as asked, debounced
    /// by the kernel over `debounceMicroseconds` where it can (`GPIOEdgeLine.kernelDebounced`).
    public func requestBothEdges(
        line: String, activeLow: Bool, bias: GPIOBias, debounceMicroseconds: UInt32
    ) throws(GPIOError) -> GPIOEdgeLine {
        let offset = try lineOffset(line)
        do {
            let request = try GPIODShim.requestBothEdges(
                handle, offset: offset, consumer: Self.consumer, activeLow: activeLow, bias: bias,
                debounceMicroseconds: debounceMicroseconds)
            return GPIOEdgeLine(request: request.line, chip: chipName, line: line, kernelDebounced: request.kernelDebounced)
        } catch {
            throw requestError(error, line: line, offset: offset, operation: "requesting edge events on both edges")
        }
    }

    /// "/dev/gpiochip0 (pinctrl-rp1)": what errors call this chip.
    var chipName: String { "\(info.path) (\(info.label))" }

    private func requestError(_ error: Errno, line: String, offset: UInt32, operation: String) -> GPIOError {
        // EBUSY: ask the kernel who holds the line, so the message can name it.
        let holder = error.rawValue == EBUSY ? (try? GPIODShim.consumer(handle, offset: offset)) ?? nil : nil
        return GPIOError(errno: error, chip: chipName, line: line, lineCount: info.lineCount, consumer: holder, operation: operation)
    }
}

extension String {
    /// "gpiochip2" before "gpiochip10".
    fileprivate func localizedNumericLess(than other: String) -> Bool {
        let (a, b) = (Int(filter(\.isNumber)) ?? 0, Int(other.filter(\.isNumber)) ?? 0)
        return a != b ? a < b : self < other
    }
}
