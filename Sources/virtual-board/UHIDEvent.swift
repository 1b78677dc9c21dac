// The `struct uhid_event` of <linux/uhid.h>, encoded and decoded by hand: a u32 type and a
// packed union, native byte order (little-endian on every board this runs on). Offsets were
// checked against the host's header with offsetof(); `UHIDEventTests` pins them.

/// What travels over /dev/uhid in either direction.
enum UHIDEvent: Equatable {
    // Written by us.
    /// UHID_CREATE2: a new HID device with this report descriptor.
    case create2(name: String, bus: UInt16, vendor: UInt32, product: UInt32, version: UInt32, descriptor: [UInt8])
    /// UHID_DESTROY: the device goes away (a USB cable pulled).
    case destroy
    /// UHID_INPUT2: an input report from the device.
    case input2(data: [UInt8])
    /// UHID_GET_REPORT_REPLY: the answer to `getReport` with the same id; `err` 0 or an errno.
    case getReportReply(id: UInt32, err: UInt16, data: [UInt8])
    /// UHID_SET_REPORT_REPLY: the answer to `setReport`.
    case setReportReply(id: UInt32, err: UInt16)

    // Read from the kernel.
    case start
    case stop
    case open
    case close
    /// UHID_OUTPUT: an output (or feature, by `reportType`) report written by the driver.
    case output(data: [UInt8], reportType: UInt8)
    /// UHID_GET_REPORT: the driver asks for a (feature) report.
    case getReport(id: UInt32, reportNumber: UInt8, reportType: UInt8)
    /// UHID_SET_REPORT: the driver sets a (feature) report.
    case setReport(id: UInt32, reportNumber: UInt8, reportType: UInt8, data: [UInt8])
    /// A type this program does not handle (kept for the log).
    case other(type: UInt32)

    // Event types (enum uhid_event_type).
    static let typeDestroy: UInt32 = 1, typeStart: UInt32 = 2, typeStop: UInt32 = 3, typeOpen: UInt32 = 4
    static let typeClose: UInt32 = 5, typeOutput: UInt32 = 6, typeGetReport: UInt32 = 9
    static let typeGetReportReply: UInt32 = 10, typeCreate2: UInt32 = 11, typeInput2: UInt32 = 12
    static let typeSetReport: UInt32 = 13, typeSetReportReply: UInt32 = 14
    // Report types (enum uhid_report_type).
    static let featureReport: UInt8 = 0, outputReport: UInt8 = 1, inputReport: UInt8 = 2
    /// BUS_USB of <linux/input.h>.
    static let busUSB: UInt16 = 3

    /// sizeof(struct uhid_event) with this kernel ABI. The kernel copies min(count, its own
    /// size) both ways and zero-fills a short write, so a buffer this large always works.
    static let size = 4380
    /// UHID_DATA_MAX and HID_MAX_DESCRIPTOR_SIZE.
    static let dataMax = 4096

    /// Malformed input from the kernel side (never expected; reported, not trapped).
    struct DecodeError: Error, CustomStringConvertible {
        var description: String
    }

    /// The event as the bytes to `write(2)`; nil for the kernel-to-us kinds.
    func encoded() -> [UInt8]? {
        var b = [UInt8](repeating: 0, count: Self.size)
        func put32(_ v: UInt32, _ at: Int) { for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) } }
        func put16(_ v: UInt16, _ at: Int) { b[at] = UInt8(v & 0xFF); b[at + 1] = UInt8(v >> 8) }
        func putBytes(_ bytes: [UInt8], _ at: Int, max: Int) {
            for (i, x) in bytes.prefix(max).enumerated() { b[at + i] = x }
        }
        switch self {
        case .create2(let name, let bus, let vendor, let product, let version, let descriptor):
            put32(Self.typeCreate2, 0)
            putBytes(Array(name.utf8), 4, max: 127)  // name[128], NUL-terminated
            put16(UInt16(min(descriptor.count, Self.dataMax)), 260)
            put16(bus, 262)
            put32(vendor, 264)
            put32(product, 268)
            put32(version, 272)
            put32(0, 276)
            putBytes(descriptor, 280, max: Self.dataMax)
        case .destroy:
            put32(Self.typeDestroy, 0)
        case .input2(let data):
            put32(Self.typeInput2, 0)
            put16(UInt16(min(data.count, Self.dataMax)), 4)
            putBytes(data, 6, max: Self.dataMax)
        case .getReportReply(let id, let err, let data):
            put32(Self.typeGetReportReply, 0)
            put32(id, 4)
            put16(err, 8)
            put16(UInt16(min(data.count, Self.dataMax)), 10)
            putBytes(data, 12, max: Self.dataMax)
        case .setReportReply(let id, let err):
            put32(Self.typeSetReportReply, 0)
            put32(id, 4)
            put16(err, 8)
        default:
            return nil
        }
        return b
    }

    /// Decodes one event as read from /dev/uhid.
    static func decode(_ b: [UInt8]) throws(DecodeError) -> UHIDEvent {
        guard b.count >= 4 else { throw DecodeError(description: "short uhid event (\(b.count) bytes)") }
        func get32(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(at + $1 < b.count ? b[at + $1] : 0) << (8 * UInt32($1)) }
        }
        func get16(_ at: Int) -> UInt16 {
            UInt16(at < b.count ? b[at] : 0) | UInt16(at + 1 < b.count ? b[at + 1] : 0) << 8
        }
        func bytes(_ at: Int, _ count: Int) throws(DecodeError) -> [UInt8] {
            guard count <= dataMax, at + count <= b.count else {
                throw DecodeError(description: "uhid event claims \(count) bytes at \(at), has \(b.count)")
            }
            return Array(b[at..<(at + count)])
        }
        let type = get32(0)
        switch type {
        case typeStart: return .start
        case typeStop: return .stop
        case typeOpen: return .open
        case typeClose: return .close
        case typeOutput:
            let size = Int(get16(4100))
            return .output(data: try bytes(4, size), reportType: 4102 < b.count ? b[4102] : 0)
        case typeGetReport:
            return .getReport(id: get32(4), reportNumber: b.count > 8 ? b[8] : 0, reportType: b.count > 9 ? b[9] : 0)
        case typeSetReport:
            guard b.count >= 12 else { throw DecodeError(description: "short UHID_SET_REPORT (\(b.count) bytes)") }
            let size = Int(get16(10))
            return .setReport(id: get32(4), reportNumber: b[8], reportType: b[9], data: try bytes(12, size))
        default:
            return .other(type: type)
        }
    }
}
