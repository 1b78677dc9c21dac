import CPostureShim

/// Every call into the libgpiod shim (`posture_gpio_*`), wrapped once: C strings and buffers
/// converted here, negative errno returns thrown as `Errno`. Handles stay opaque pointers;
/// `GPIOChip` and `GPIOLine` own them.
enum GPIODShim {
    /// 1 for libgpiod v1 (1.6.x), 2 for v2 (2.x): whichever the package was built against.
    static var apiVersion: Int { Int(posture_gpiod_api_version()) }

    static func openChip(path: String) throws(Errno) -> OpaquePointer {
        var chip: OpaquePointer?
        try check(posture_gpio_chip_open_path(path, &chip))
        return chip!
    }

    static func openChip(label: String, devDirectory: String) throws(Errno) -> OpaquePointer {
        var chip: OpaquePointer?
        try check(posture_gpio_chip_open_label(devDirectory, label, &chip))
        return chip!
    }

    static func closeChip(_ chip: OpaquePointer) {
        posture_gpio_chip_close(chip)
    }

    static func describeChip(_ chip: OpaquePointer) throws(Errno) -> (name: String, label: String, lineCount: Int) {
        var name = [CChar](repeating: 0, count: 64)
        var label = [CChar](repeating: 0, count: 128)
        var lineCount: UInt32 = 0
        try check(posture_gpio_chip_describe(chip, &name, name.count, &label, label.count, &lineCount))
        return (string(name), string(label), Int(lineCount))
    }

    static func findLine(_ chip: OpaquePointer, named lineName: String) throws(Errno) -> UInt32 {
        var offset: UInt32 = 0
        try check(posture_gpio_chip_find_line(chip, lineName, &offset))
        return offset
    }

    /// nil if the line is free, else its consumer ("" when the kernel does not name one).
    static func consumer(_ chip: OpaquePointer, offset: UInt32) throws(Errno) -> String? {
        var consumer = [CChar](repeating: 0, count: 64)
        let used = posture_gpio_chip_line_consumer(chip, offset, &consumer, consumer.count)
        try check(used)
        return used == 1 ? string(consumer) : nil
    }

    static func requestOutput(_ chip: OpaquePointer, offset: UInt32, consumer: String, activeLow: Bool, initialValue: Bool) throws(Errno) -> OpaquePointer {
        var line: OpaquePointer?
        try check(posture_gpio_request_output(chip, offset, consumer, activeLow, initialValue ? 1 : 0, &line))
        return line!
    }

    static func requestRisingEdges(_ chip: OpaquePointer, offset: UInt32, consumer: String, activeLow: Bool) throws(Errno) -> OpaquePointer {
        var line: OpaquePointer?
        try check(posture_gpio_request_rising_edges(chip, offset, consumer, activeLow, &line))
        return line!
    }

    static func setValue(_ line: OpaquePointer, _ value: Bool) throws(Errno) {
        try check(posture_gpio_line_set_value(line, value ? 1 : 0))
    }

    /// The line's logical level (active-low already applied by the kernel).
    static func getValue(_ line: OpaquePointer) throws(Errno) -> Bool {
        let value = posture_gpio_line_get_value(line)
        try check(value)
        return value == 1
    }

    static func waitEdges(_ line: OpaquePointer, timeout: Duration?) throws(Errno) -> Bool {
        let nanoseconds = timeout.map { Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000 } ?? -1
        let ready = posture_gpio_line_wait_edges(line, nanoseconds)
        try check(ready)
        return ready == 1
    }

    /// Reads pending edges into `events` (no allocation); returns how many were read.
    static func readEdges(_ line: OpaquePointer, into events: UnsafeMutableBufferPointer<posture_gpio_edge>) throws(Errno) -> Int {
        let count = posture_gpio_line_read_edges(line, events.baseAddress, events.count)
        try check(count)
        return Int(count)
    }

    static func release(_ line: OpaquePointer) {
        posture_gpio_line_release(line)
    }

    fileprivate static func check(_ result: Int32) throws(Errno) {
        if result < 0 { throw Errno(negated: result) }
    }

    private static func string(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

extension GPIODShim {
    /// Requests both edges with a bias and, where the kernel can, its debounce; returns the
    /// request and whether the kernel debounces it.
    static func requestBothEdges(
        _ chip: OpaquePointer, offset: UInt32, consumer: String, activeLow: Bool, bias: GPIOBias, debounceMicroseconds: UInt32
    ) throws(Errno) -> (line: OpaquePointer, kernelDebounced: Bool) {
        var line: OpaquePointer?
        var debounced = false
        try check(posture_gpio_request_both_edges(
            chip, offset, consumer, activeLow, bias.shimValue, debounceMicroseconds, &debounced, &line))
        return (line!, debounced)
    }
}

extension GPIOBias {
    fileprivate var shimValue: posture_gpio_bias {
        switch self {
        case .asIs: POSTURE_GPIO_BIAS_AS_IS
        case .disabled: POSTURE_GPIO_BIAS_DISABLED
        case .pullUp: POSTURE_GPIO_BIAS_PULL_UP
        case .pullDown: POSTURE_GPIO_BIAS_PULL_DOWN
        }
    }
}
