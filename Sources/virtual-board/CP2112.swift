/// The Silicon Labs CP2112 HID USB-to-SMBus bridge as its host driver sees it (AN495, and
/// the kernel's drivers/hid/hid-cp2112.c): feature reports for configuration and GPIO,
/// output reports that start I2C transfers, input reports that answer them.
///
/// Pure logic, no I/O: the uhid transport hands it reports and writes out what it returns,
/// so the protocol is unit-tested in-process without /dev/uhid.
final class CP2112 {
    // Report IDs.
    static let gpioConfig: UInt8 = 0x02, gpioGet: UInt8 = 0x03, gpioSet: UInt8 = 0x04
    static let versionInfo: UInt8 = 0x05, smbusConfig: UInt8 = 0x06
    static let dataReadRequest: UInt8 = 0x10, dataWriteReadRequest: UInt8 = 0x11, dataReadForceSend: UInt8 = 0x12
    static let dataReadResponse: UInt8 = 0x13, dataWriteRequest: UInt8 = 0x14
    static let transferStatusRequest: UInt8 = 0x15, transferStatusResponse: UInt8 = 0x16, cancelTransfer: UInt8 = 0x17
    static let lockByte: UInt8 = 0x20, usbConfig: UInt8 = 0x21
    static let manufacturerString: UInt8 = 0x22, productString: UInt8 = 0x23, serialString: UInt8 = 0x24

    // Transfer status (status0) and its detail (status1).
    static let status0Idle: UInt8 = 0, status0Busy: UInt8 = 1, status0Complete: UInt8 = 2, status0Error: UInt8 = 3
    static let status1TimeoutNACK: UInt8 = 0, status1Success: UInt8 = 5

    static let vendorID: UInt32 = 0x10C4, productID: UInt32 = 0xEA90
    static let partNumber: UInt8 = 0x0C, deviceVersion: UInt8 = 0x02
    /// The most data bytes one 0x13 read response carries.
    static let maxReadChunk = 61

    static let featureIDs: [UInt8] = [0x02, 0x03, 0x04, 0x05, 0x06, 0x20, 0x21, 0x22, 0x23, 0x24]
    static let outputIDs: [UInt8] = [0x10, 0x11, 0x12, 0x14, 0x15, 0x17]
    static let inputIDs: [UInt8] = [0x13, 0x16]

    /// A vendor-page descriptor declaring every report the driver uses, 63 bytes each, with
    /// its direction: the HID core drops reports that are not declared.
    static let reportDescriptor: [UInt8] = {
        var d: [UInt8] = [
            0x06, 0x00, 0xFF,  // Usage Page (Vendor Defined 0xFF00)
            0x09, 0x01,  // Usage (0x01)
            0xA1, 0x01,  // Collection (Application)
            0x15, 0x00,  //   Logical Minimum (0)
            0x26, 0xFF, 0x00,  //   Logical Maximum (255)
            0x75, 0x08,  //   Report Size (8)
            0x95, 0x3F,  //   Report Count (63)
        ]
        func declare(_ ids: [UInt8], main: UInt8) {
            for id in ids { d += [0x85, id, 0x09, 0x01, main, 0x02] }  // Report ID, Usage, Input/Output/Feature (Data,Var,Abs)
        }
        declare(featureIDs, main: 0xB1)
        declare(outputIDs, main: 0x91)
        declare(inputIDs, main: 0x81)
        d.append(0xC0)  // End Collection
        return d
    }()

    let bus: BoardBus
    /// Called for every GPIO latch bit that changes: (line, new value).
    var onGPIOChange: ((Int, Int) -> Void)?

    // GPIO configuration (report 0x02) and the output latch.
    private(set) var gpioDirection: UInt8 = 0x00  // 1 = output
    private(set) var gpioPushPull: UInt8 = 0x00
    private(set) var gpioSpecial: UInt8 = 0x00
    private(set) var gpioClockDivider: UInt8 = 0x00
    private(set) var gpioLatch: UInt8 = 0x00
    /// The level something outside drives on each line (a button), read where the line is an
    /// input; an output reads its latch. Low when nothing drives it.
    private(set) var gpioInputs: UInt8 = 0x00
    /// Report 0x06 without its ID: clock 100 kHz, device address 0x02, no auto-send-read,
    /// no timeouts, SCL-low timeout off, retries 0 (big-endian fields).
    private(set) var smbusConfiguration: [UInt8] = [0x00, 0x01, 0x86, 0xA0, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]

    /// The transfer in progress, as the next 0x15 status request will see it.
    private enum Transfer {
        case idle
        case complete(length: Int)
        case failed(status1: UInt8)
        case stalled
    }
    private var transfer = Transfer.idle
    /// Bytes of the last read waiting to be fetched with 0x12.
    private var readBuffer: [UInt8] = []
    /// The buttons on the inputs: each step lasts until a GPIO report (0x03) has shown it.
    private var buttons = ButtonPresses()

    init(bus: BoardBus) {
        self.bus = bus
    }

    // MARK: feature reports

    /// The answer to a GET_REPORT, starting with the report ID, or nil for an unknown ID.
    func getFeature(_ id: UInt8) -> [UInt8]? {
        switch id {
        case Self.gpioConfig: return [id, gpioDirection, gpioPushPull, gpioSpecial, gpioClockDivider]
        case Self.gpioGet:
            buttons.reported()
            return [id, (gpioLatch & gpioDirection) | (gpioInputs & ~gpioDirection)]
        case Self.versionInfo: return [id, Self.partNumber, Self.deviceVersion]
        case Self.smbusConfig: return [id] + smbusConfiguration
        case Self.lockByte: return [id, 0xFF]  // nothing programmed: every field writable
        case Self.usbConfig:
            return [id, UInt8(Self.vendorID & 0xFF), UInt8(Self.vendorID >> 8), UInt8(Self.productID & 0xFF),
                    UInt8(Self.productID >> 8), 50, 0, 1, 0, 0]
        case Self.manufacturerString: return Self.stringReport(id, "Silicon Laboratories")
        case Self.productString: return Self.stringReport(id, "CP2112 HID USB-to-SMBus Bridge (virtual)")
        case Self.serialString: return Self.stringReport(id, "VBOARD01")
        default: return nil
        }
    }

    /// [id, length of what follows, USB_DT_STRING, UTF-16LE…].
    static func stringReport(_ id: UInt8, _ text: String) -> [UInt8] {
        let units = Array(text.utf16.prefix(30))
        var r: [UInt8] = [id, UInt8(units.count * 2 + 2), 0x03]
        for u in units { r += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        return r
    }

    /// A SET_REPORT (data starts with the report ID). False for an unknown or short report.
    func setFeature(_ data: [UInt8]) -> Bool {
        guard let id = data.first else { return false }
        switch id {
        case Self.gpioConfig:
            guard data.count >= 5 else { return false }
            gpioDirection = data[1]
            gpioPushPull = data[2]
            gpioSpecial = data[3]
            gpioClockDivider = data[4]
            return true
        case Self.gpioSet:
            guard data.count >= 3 else { return false }
            setLatch((gpioLatch & ~data[2]) | (data[1] & data[2]))
            return true
        case Self.smbusConfig:
            guard data.count >= 14 else { return false }
            smbusConfiguration = Array(data[1..<14])
            return true
        case Self.usbConfig, Self.manufacturerString, Self.productString, Self.serialString:
            return true  // accepted and ignored: nothing here is persistent
        default:
            return false
        }
    }

    private func setLatch(_ value: UInt8) {
        let changed = value ^ gpioLatch
        gpioLatch = value
        for line in 0..<8 where changed & (1 << line) != 0 {
            onGPIOChange?(line, Int((value >> line) & 1))
        }
    }

    /// Drives input `line` high or low from outside (a button pressed or released). The driver
    /// sees it when it next polls the GPIOs (report 0x03), as hid-cp2112 does for interrupts.
    func driveInput(_ line: Int, high: Bool) {
        guard (0..<8).contains(line) else { return }
        gpioInputs = high ? gpioInputs | (1 << line) : gpioInputs & ~(1 << line)
    }

    /// Presses the button on input `line`: `durations` is down, gap, down… in seconds (see
    /// `ButtonPresses`); after the last press the line is released.
    func press(_ line: Int, durations: [Double]) {
        guard (0..<8).contains(line), !durations.isEmpty else { return }
        buttons.press(line, durations: durations)
    }

    /// Drives the button inputs to where their presses are at `now` (monotonic seconds);
    /// returns the lines that changed, for the log.
    func updateButtons(now: Double) -> [(line: Int, high: Bool)] {
        let changes = buttons.advance(now: now)
        for change in changes { driveInput(change.line, high: change.high) }
        return changes
    }

    /// When `updateButtons` next has something to do without a GPIO report, if ever.
    var nextButtonDeadline: Double? { buttons.nextDeadline }

    /// Power lost (unplug): every line drops, configuration back to power-on values.
    func powerOff() {
        setLatch(0)
        gpioDirection = 0
        gpioPushPull = 0
        gpioSpecial = 0
        gpioClockDivider = 0
        transfer = .idle
        readBuffer = []
    }

    // MARK: output reports

    /// An output report from the driver; returns the input reports to send back (each
    /// starting with its ID). Unknown or malformed reports get no answer, like the chip.
    func output(_ data: [UInt8]) -> [[UInt8]] {
        guard let id = data.first else { return [] }
        switch id {
        case Self.dataReadRequest:
            guard data.count >= 4 else { return [] }
            let length = Int(data[2]) << 8 | Int(data[3])
            finish(bus.read(address: data[1] >> 1, count: length), readLength: length)
            return []
        case Self.dataWriteReadRequest:
            guard data.count >= 5 else { return [] }
            let length = Int(data[2]) << 8 | Int(data[3])
            let targetLength = Int(data[4])
            guard targetLength >= 1, data.count >= 5 + targetLength else { return [] }
            let target = Array(data[5..<(5 + targetLength)])
            finish(bus.writeRead(address: data[1] >> 1, target: target, count: length), readLength: length)
            return []
        case Self.dataWriteRequest:
            guard data.count >= 3 else { return [] }
            let length = Int(data[2])
            guard data.count >= 3 + length else { return [] }
            finish(bus.write(address: data[1] >> 1, bytes: Array(data[3..<(3 + length)])), readLength: 0)
            return []
        case Self.transferStatusRequest:
            switch transfer {
            case .idle: return [Self.statusReport(Self.status0Idle, 0, length: 0)]
            case .complete(let length): return [Self.statusReport(Self.status0Complete, Self.status1Success, length: length)]
            case .failed(let status1): return [Self.statusReport(Self.status0Error, status1, length: 0)]
            case .stalled: return []  // the driver's 50 ms wait runs out: -ETIMEDOUT
            }
        case Self.dataReadForceSend:
            guard data.count >= 3 else { return [] }
            let asked = Int(data[1]) << 8 | Int(data[2])
            let n = min(asked, Self.maxReadChunk, readBuffer.count)
            let chunk = Array(readBuffer.prefix(n))
            readBuffer.removeFirst(n)
            if readBuffer.isEmpty, case .complete = transfer { transfer = .idle }
            var report: [UInt8] = [Self.dataReadResponse, Self.status0Complete, UInt8(n)]
            report += chunk
            return [report]
        case Self.cancelTransfer:
            transfer = .idle
            readBuffer = []
            return []
        default:
            return []
        }
    }

    private func finish(_ outcome: BoardBus.Outcome, readLength: Int) {
        switch outcome {
        case .done(let bytes):
            readBuffer = bytes
            transfer = .complete(length: readLength)
        case .noAcknowledge:
            readBuffer = []
            transfer = .failed(status1: Self.status1TimeoutNACK)
        case .stall:
            readBuffer = []
            transfer = .stalled
        }
    }

    static func statusReport(_ status0: UInt8, _ status1: UInt8, length: Int) -> [UInt8] {
        [transferStatusResponse, status0, status1, 0, 0, UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
    }
}
