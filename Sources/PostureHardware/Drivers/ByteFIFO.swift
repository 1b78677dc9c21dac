import PostureCore

/// Draining and overflow rules for the InvenSense byte FIFOs (MPU-6050/6500/9250, ICM-20948), which keep
/// accepting bytes when full and overwrite the oldest ones byte by byte: their capacities
/// (1024, 512) are no multiple of a 12-byte frame, so after an overflow every later frame is
/// misaligned until the FIFO is reset.
enum ByteFIFO {
    /// Frames of headroom below capacity that already count as overflowed. The overflow
    /// status bit alone cannot be trusted: it clears when read, so a read whose reply was lost
    /// (a bridge that timed out; the transfer is then retried) loses it for good. Linux's
    /// inv_mpu6050 driver resets at the same margin, which also covers frames that land
    /// between reading FIFO_COUNT and reading the data.
    static let overflowMarginFrames = 3

    /// True when `count` bytes mean the FIFO overflowed, or is about to.
    static func isNearlyFull(count: Int, capacity: Int) -> Bool {
        count >= capacity - overflowMarginFrames * frameBytes
    }

    /// Where a chip keeps its FIFO: the status register with its overflow bit, the 13-bit
    /// count (high byte first) and the data port.
    struct Registers {
        var status: UInt8
        var overflowMask: UInt8
        var countHigh: UInt8
        var data: UInt8
    }

    /// Every frame is accel X, Y, Z then gyro X, Y, Z, big-endian 16-bit.
    static let frameBytes = 12

    /// Drains whole frames into `frames`, or returns nil when the FIFO overflowed or is about
    /// to (the caller resets it: how differs by chip). Allocates nothing.
    static func drain(
        _ port: RegisterPort, _ registers: Registers, capacity: Int, buffer: ByteBuffer,
        _ c: IMUConfiguration, into frames: UnsafeMutableBufferPointer<IMUReading>
    ) throws(IMUError) -> FIFODrain? {
        let status = try port.byte(registers.status)
        let countBytes = buffer.prefix(2)
        try port.burst(registers.countHigh, into: countBytes)
        let available = Int(countBytes[0] & 0x1F) << 8 | Int(countBytes[1])
        if status & registers.overflowMask != 0 || isNearlyFull(count: available, capacity: capacity) {
            return nil
        }
        let n = min(available / frameBytes, frames.count, buffer.raw.count / frameBytes)
        guard n > 0 else { return FIFODrain(frames: 0, overflowed: false) }
        let data = buffer.prefix(n * frameBytes)
        try port.burst(registers.data, into: data)
        let r = UnsafeRawBufferPointer(data)
        for i in 0..<n {
            let o = i * frameBytes
            frames[i] = IMUReading(
                accel: axes(r, o, .bigEndian, scale: c.accelScale), gyro: axes(r, o + 6, .bigEndian, scale: c.gyroScale))
        }
        return FIFODrain(frames: n, overflowed: false)
    }

    /// The largest watermark that stays clear of `isNearlyFull`: a third of the FIFO, so a
    /// drain one whole wake late (two watermarks queued) never reads as an overflow.
    static func maximumWatermarkFrames(capacity: Int) -> Int {
        max(1, capacity / frameBytes / 3)
    }
}
