import Glibc

/// Why a GPIO chip or line could not be used, naming the chip and line and saying what to do.
public struct GPIOError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No chip matches; `available` lists the chips that do exist.
        case noSuchChip(available: [GPIOChipInfo])
        /// The chip has no line with that name or offset.
        case noSuchLine(lineCount: Int)
        /// Another consumer holds the line ("" when the kernel does not name it).
        case lineBusy(consumer: String)
        /// Not allowed to open the chip: join the `gpio` group.
        case permissionDenied
        /// Any other failure, with its errno.
        case io(errno: Int32)
    }

    public var kind: Kind
    /// The chip as the user named it, or its path and label once known: "/dev/gpiochip0 (pinctrl-rp1)".
    public var chip: String
    /// The line as the user named it ("GPIO17", "17"), if the error concerns one.
    public var line: String?
    public var detail: String

    public init(kind: Kind, chip: String, line: String? = nil, detail: String = "") {
        self.kind = kind
        self.chip = chip
        self.line = line
        self.detail = detail
    }

    public var description: String {
        let subject = "GPIO chip \(chip)" + (line.map { " line \($0)" } ?? "")
        let what: String
        switch kind {
        case .noSuchChip(let available):
            what = available.isEmpty
                ? "not found, and no GPIO chips exist (is the GPIO driver loaded, or the USB bridge plugged in?)"
                : "not found; chips present: " + available.map(\.description).joined(separator: ", ")
        case .noSuchLine(let lineCount):
            what = "no such line; give an offset 0...\(max(lineCount - 1, 0)) or a line name (`gpioinfo` lists them)"
        case .lineBusy(let consumer):
            let holder = consumer.isEmpty ? "another consumer the kernel does not name" : "\"\(consumer)\""
            what = "already in use by \(holder); stop that user (or remove its device-tree overlay) or configure another line"
        case .permissionDenied:
            what = "permission denied; run `sudo usermod -aG gpio $USER` and log in again, or run postured as its systemd service"
        case .io(let errno):
            what = "failed: \(Errno(errno))"
        }
        return "\(subject): \(what)" + (detail.isEmpty ? "" : " (\(detail))")
    }

    /// Maps an errno from the shim: `ENOENT` → no such chip, `EACCES`/`EPERM` → permission,
    /// `EBUSY` → line busy (with the consumer when known), `EINVAL` on a line → no such line.
    init(errno error: Errno, chip: String, line: String? = nil, lineCount: Int? = nil,
         consumer: String? = nil, available: @autoclosure () -> [GPIOChipInfo] = [], operation: String) {
        let kind: Kind
        switch error.rawValue {
        case ENOENT where line == nil: kind = .noSuchChip(available: available())
        case ENOENT, EINVAL:
            // With a line named, ENOENT/EINVAL mean the chip has no such line.
            if line != nil, let lineCount { kind = .noSuchLine(lineCount: lineCount) } else { kind = .io(errno: error.rawValue) }
        case EACCES, EPERM: kind = .permissionDenied
        case EBUSY where line != nil: kind = .lineBusy(consumer: consumer ?? "")
        default: kind = .io(errno: error.rawValue)
        }
        self.init(kind: kind, chip: chip, line: line, detail: "\(operation): \(error)")
    }
}
