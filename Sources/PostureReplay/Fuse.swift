public import PostureCore

/// `posturectl fuse`: only the orientation filter, on one sensor's samples.
public enum Fuse {
    /// Runs the filter over `sensor`'s samples of `inputPath` and writes `t,qw,qx,qy,qz`
    /// (sensor-to-earth, earth z up, heading arbitrary) to `outputPath`.
    /// Returns the number of rows written.
    @discardableResult
    public static func run(
        inputPath: String, sensor: Int, outputPath: String, parameters: OrientationFilter.Parameters = .init()
    ) throws -> Int {
        let reader = try IMUCSVReader(path: inputPath)
        let out = try BufferedWriter(path: outputPath)
        try out.write("t,qw,qx,qy,qz\n")
        var filter = OrientationFilter(parameters: parameters)
        var rows = 0
        while let sample = try reader.next() {
            guard sample.sensor == sensor else { continue }
            filter.update(t: sample.t, accel: sample.accel, gyro: sample.gyro)
            let q = filter.orientation.canonical
            out.writeFixed(sample.t, decimals: 6)
            for component in [q.w, q.x, q.y, q.z] {
                out.writeByte(UInt8(ascii: ","))
                out.writeFixed(component, decimals: 7)
            }
            try out.endLine()
            rows += 1
        }
        try out.flush()
        return rows
    }
}

extension Quaternion {
    /// The same rotation with `w ≥ 0`, so equal orientations print equally.
    public var canonical: Quaternion { w < 0 ? Quaternion(w: -w, x: -x, y: -y, z: -z) : self }
}
