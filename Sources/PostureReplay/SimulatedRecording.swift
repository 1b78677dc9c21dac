public import PostureSim

/// Writes a simulated wearer's samples as IMU CSV v1.
public enum SimulatedRecording {
    /// Writes `wearer`'s samples at `rate` Hz up to `duration` seconds (the whole scenario by default).
    public static func write(
        _ wearer: SimulatedWearer, rate: Double, duration: Double? = nil, to path: String, source: String
    ) throws {
        let out = try BufferedWriter(path: path)
        try out.write("# postured imu csv v1; source: \(source); \(rate) Hz\n")
        try out.write(IMUCSVReader.header + "\n")
        for s in wearer.makeSamples(rate: rate, to: duration) {
            out.writeFixed(s.t, decimals: 6)
            out.writeByte(UInt8(ascii: ","))
            out.writeByte(UInt8(ascii: "0") + UInt8(s.sensor))
            for v in [s.accel.x, s.accel.y, s.accel.z] {
                out.writeByte(UInt8(ascii: ","))
                out.writeFixed(v, decimals: 5)
            }
            for v in [s.gyro.x, s.gyro.y, s.gyro.z] {
                out.writeByte(UInt8(ascii: ","))
                out.writeFixed(v, decimals: 6)
            }
            try out.endLine()
        }
        try out.flush()
    }
}
