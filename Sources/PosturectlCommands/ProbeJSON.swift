import PostureCore
import PostureHardware
import PostureReplay

/// `probe --json`: one line per bus, what the grid and the device blocks of `formatted` say.
///
/// `{"bus":"/dev/i2c-1","scanned":["0x68",…],"devices":[{"address":"0x68","status":"identified",
/// "chip":"MPU-6050","config":{…},"self_test":{"passed":true,…},"reading":{"accel":[…],"gyro":[…]}}]}`;
/// `status` is `identified`, `unknown` (something answers, not an IMU we know) or `unreadable`.
/// A bus that cannot be opened is `{"bus":…,"error":…}`.
enum ProbeJSON {
    static func line(_ report: ProbeReport) -> String {
        let devices = report.entries.map(device).joined(separator: ",")
        return #"{"bus":"# + jsonString(report.bus) + #","scanned":["# + report.addresses.map { jsonString(hexByte($0)) }.joined(separator: ",")
            + #"],"devices":["# + devices + "]}"
    }

    static func unopened(_ bus: String, error: String) -> String {
        #"{"bus":"# + jsonString(bus) + #","error":"# + jsonString(error) + "}"
    }

    private static func device(_ entry: ProbeReport.Entry) -> String {
        var fields = [#""address":"# + jsonString(hexByte(entry.chip.address))]
        switch entry.chip.identity {
        case .known(let descriptor):
            fields += [#""status":"identified""#, #""chip":"# + jsonString(descriptor.name)]
        case .unknown(let identity):
            fields += [#""status":"unknown""#, #""detail":"# + jsonString(identity.description)]
        case .unreadable(let error):
            fields += [#""status":"unreadable""#, #""detail":"# + jsonString("\(error)")]
        }
        if let c = entry.configuration {
            fields.append(#""config":{"rate_hz":"# + jsonNumber(c.rateHz, decimals: 1) + #","accel_range_g":"# + jsonNumber(c.accelRangeG, decimals: 0)
                + #","gyro_range_dps":"# + jsonNumber(c.gyroRangeDPS, decimals: 0) + #","summary":"# + jsonString(c.summary) + "}")
        }
        if let s = entry.selfTest {
            fields.append(#""self_test":{"passed":"# + (s.passed ? "true" : "false") + #","criterion":"# + jsonString(s.criterion)
                + #","failures":["# + s.failures.map(jsonString).joined(separator: ",") + "]}")
        }
        if let r = entry.reading {
            fields.append(#""reading":{"accel_mps2":"# + vector(r.accel, decimals: 4) + #","gyro_rps":"# + vector(r.gyro, decimals: 5) + "}")
        }
        if let error = entry.error { fields.append(#""error":"# + jsonString("\(error)")) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func vector(_ v: Vector3, decimals: Int) -> String {
        "[" + [v.x, v.y, v.z].map { jsonNumber($0, decimals: decimals) }.joined(separator: ",") + "]"
    }

    static func hexByte(_ value: UInt8) -> String {
        "0x" + (value < 0x10 ? "0" : "") + String(value, radix: 16)
    }
}
