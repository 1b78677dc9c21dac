import PostureConfig
import PostureCore
import XCTest

final class ConfigDiagnosticsTests: XCTestCase {
    func testEmptyFileIsTheDefaults() {
        XCTAssertEqual(configuration(""), PostureConfiguration())
        XCTAssertEqual(configuration("# only a comment\n"), PostureConfiguration())
    }

    func testOutOfRangeNamesFileLineKeyAndAllowedRange() {
        let text = """
            [policy]
            slouch_pelvic_tilt_threshold_deg = -3
            """
        XCTAssertEqual(problems(text), [
            "postured.toml:2: policy.slouch_pelvic_tilt_threshold_deg: -3 is out of range, expected a number from 1 to 45"
        ])
        XCTAssertEqual(problems("[sampling]\nrate_hz = 5000\n"), [
            "postured.toml:2: sampling.rate_hz: 5000 is out of range, expected an integer from 25 to 1000"
        ])
        XCTAssertEqual(problems("[policy]\nslouch_recovery_fraction = nan\n"), [
            "postured.toml:2: policy.slouch_recovery_fraction: nan is out of range, expected a number from 0 to 0.95"
        ])
    }

    func testWrongTypes() {
        XCTAssertEqual(problems(#"[sampling]"# + "\nrate_hz = \"fast\"\nlock_memory = 1\nrealtime_priority = 2.5\n"), [
            #"postured.toml:2: sampling.rate_hz: "fast" is a string, expected an integer from 25 to 1000"#,
            "postured.toml:3: sampling.lock_memory: 1 is an integer, expected true or false",
            "postured.toml:4: sampling.realtime_priority: 2.5 is a float, expected an integer from 0 to 99",
        ])
        XCTAssertEqual(problems("sampling = 3\n"), [
            "postured.toml:1: sampling: 3 is an integer, expected a table [sampling]"
        ])
        XCTAssertEqual(problems("[sensor]\nbus = 1\n"), [
            "postured.toml:1: sensor: found a single table [sensor], expected an array of tables: write each as [[sensor]]"
        ])
        XCTAssertEqual(problems("sensor = []\n"), ["postured.toml:1: sensor: an empty array, expected at least one sensor (the pelvis)"])
    }

    func testUnknownKeysSuggestTheNearestKnownKey() {
        XCTAssertEqual(problems("[policy]\nslouch_hold = 20\n"), [
            "postured.toml:2: policy.slouch_hold: unknown key 'slouch_hold', did you mean 'slouch_hold_s'?"
        ])
        XCTAssertEqual(problems("[policy]\nslouch_tilt = 12\n"), [
            "postured.toml:2: policy.slouch_tilt: unknown key 'slouch_tilt', did you mean 'slouch_pelvic_tilt_threshold_deg'?"
        ])
        XCTAssertEqual(problems("[[indicator]]\nline = 5\nchip = \"gpiochip0\"\nreasons = \"slouch\"\n"), [
            #"postured.toml:4: indicator[0].reasons: "slouch" is a string, expected a non-empty array of nudge reasons from "slouch" and "sitting_too_long""#
        ])
        XCTAssertEqual(problems("[sampling]\nrate = 50\n"), [
            "postured.toml:2: sampling.rate: unknown key 'rate', did you mean 'rate_hz'?"
        ])
        XCTAssertEqual(problems("[smapling]\n"), [
            "postured.toml:1: smapling: unknown table 'smapling', did you mean 'sampling'?"
        ])
        XCTAssertEqual(problems("[[sensor]]\nxyzzy = 1\n"), [
            "postured.toml:2: sensor[0].xyzzy: unknown key 'xyzzy', expected one of: bus, address, chip, mount, "
                + "accel_range_g, gyro_range_dps, lowpass_hz, data_ready"
        ])
    }

    func testUnknownChoiceSuggestsTheNearestAllowedValue() {
        XCTAssertEqual(problems("[sampling]\npacing = \"data_ready\"\n"), [
            #"postured.toml:2: sampling.pacing: "data_ready" is not allowed, expected one of "timer", "data-ready" or "fifo"; did you mean "data-ready"?"#
        ])
    }

    func testMountStrings() throws {
        func mountProblem(_ mount: String) -> [String] { problems("[[sensor]]\nmount = \"\(mount)\"\n") }
        let allowed = #"expected three distinct axes from x, y, z, each optionally negated, forming a rotation, e.g. "x,y,z" or "-y,x,z""#
        XCTAssertEqual(mountProblem("x,x,z"), [#"postured.toml:2: sensor[0].mount: "x,x,z" names a sensor axis twice, "# + allowed])
        XCTAssertEqual(mountProblem("-x,y,z"), [
            #"postured.toml:2: sensor[0].mount: "-x,y,z" is a mirror image (determinant -1), not a rotation; negate one more axis or swap two, "#
                + allowed
        ])
        XCTAssertEqual(mountProblem("y,x,z"), [
            #"postured.toml:2: sensor[0].mount: "y,x,z" is a mirror image (determinant -1), not a rotation; negate one more axis or swap two, "#
                + allowed
        ])
        XCTAssertEqual(mountProblem("x,y"), [#"postured.toml:2: sensor[0].mount: "x,y" does not have three comma-separated axes, "# + allowed])
        XCTAssertEqual(mountProblem("x,w,z"), [#"postured.toml:2: sensor[0].mount: "x,w,z" has 'w', which is not an axis, "# + allowed])

        let rotated = try XCTUnwrap(configuration("[[sensor]]\nmount = \"-y,x,z\"\n"))
        XCTAssertEqual(rotated.sensors.first?.mount, try SensorMounting(remap: "-y,x,z"))
        XCTAssertNotEqual(rotated.sensors.first?.mount, SensorMounting.standard)
    }

    func testSensorOptions() throws {
        let config = try XCTUnwrap(configuration("""
            [sampling]
            pacing = "data-ready"
            [[sensor]]
            bus = "CP2112 SMBus Bridge on hidraw0"
            address = 0x68
            chip = "lsm6ds3tr-c"
            accel_range_g = 8
            gyro_range_dps = 125
            lowpass_hz = 41.5
            data_ready = "gpiochip0:27"
            [[sensor]]
            bus = "/dev/i2c-3"
            address = 0x69
            data_ready = "GPIO22"
            """))
        XCTAssertEqual(config.sensors, [
            SensorConfiguration(
                bus: .adapterName("CP2112 SMBus Bridge on hidraw0"), address: .fixed(0x68), chip: .lsm6ds3trC,
                accelRangeG: 8, gyroRangeDPS: 125, lowPassHz: 41.5, dataReady: GPIOLineSpec(chip: "gpiochip0", line: .offset(27))),
            SensorConfiguration(bus: .path("/dev/i2c-3"), address: .fixed(0x69), dataReady: GPIOLineSpec(line: .name("GPIO22"))),
        ])
    }

    func testSensorProblems() {
        XCTAssertEqual(problems("""
            [[sensor]]
            address = 0x80
            accel_range_g = 3
            bus = -1
            data_ready = "27"
            [[sensor]]
            [[sensor]]
            """), [
            #"postured.toml:2: sensor[0].address: 128 (0x80) is out of range, expected "auto" or a 7-bit address from 0x08 to 0x77, e.g. 0x68"#,
            "postured.toml:3: sensor[0].accel_range_g: 3 is not available, expected one of 2, 4, 8 or 16 g",
            "postured.toml:4: sensor[0].bus: -1 is out of range, expected a bus number from 0 to 255, a device path, or an adapter name",
            #"postured.toml:5: sensor[0].data_ready: "27" is a bare line offset, which names no chip; expected "CHIP:LINE" or a line name, e.g. "gpiochip0:27" or "GPIO27""#,
            "postured.toml:7: sensor: 3 entries, expected at most 2 [[sensor]]",
        ])
    }

    func testCrossChecks() {
        XCTAssertEqual(problems("""
            [sampling]
            rate_hz = 50
            pacing = "data-ready"
            [[sensor]]
            address = 0x68
            chip = "mpu6050"
            gyro_range_dps = 125
            lowpass_hz = 40
            [[sensor]]
            address = 0x68
            """), [
            #"postured.toml:3: sampling.pacing: "data-ready" needs the interrupt line of sensor[0], which sets no data_ready; expected data_ready = "CHIP:LINE" in every [[sensor]], or pacing = "timer" or "fifo""#,
            #"postured.toml:3: sampling.pacing: "data-ready" needs the interrupt line of sensor[1], which sets no data_ready; expected data_ready = "CHIP:LINE" in every [[sensor]], or pacing = "timer" or "fifo""#,
            "postured.toml:7: sensor[0].gyro_range_dps: 125 °/s is not available on the mpu6050, expected one of 250, 500, 1000 or 2000 °/s",
            "postured.toml:8: sensor[0].lowpass_hz: sensor[0].lowpass_hz (40 Hz) is more than half of sampling.rate_hz (50 Hz), expected a cut-off of at most 25 Hz",
            "postured.toml:10: sensor[1].address: sensor[0] already uses address 0x68 on the same bus, expected the other address the chip straps to (e.g. 0x68 and 0x69)",
        ])
        // With lowpass_hz left at its default, the problem is reported where the rate was lowered.
        XCTAssertEqual(problems("[sampling]\nrate_hz = 25\n"), [
            "postured.toml:2: sampling.rate_hz: sensor[0].lowpass_hz (20 Hz) is more than half of sampling.rate_hz (25 Hz), expected a cut-off of at most 12.5 Hz"
        ])
    }

    func testQuietHours() throws {
        let config = try XCTUnwrap(configuration(#"[policy]"# + "\nquiet_hours = [\"22:00-07:00\", \"12:30-13:15\"]\ndaily_nudge_cap = \"none\"\n"))
        XCTAssertEqual(config.policy.quietHours.map(\.description), ["22:00-07:00", "12:30-13:15"])
        XCTAssertEqual(config.policy.quietHours.first?.contains(23 * 3600), true)
        XCTAssertEqual(config.policy.quietHours.first?.contains(12 * 3600), false)
        XCTAssertNil(config.policy.dailyNudgeCap)

        let allowed = #"expected "HH:MM-HH:MM" time ranges (24-hour local time, may wrap midnight, e.g. "22:00-07:00")"#
        XCTAssertEqual(problems("""
            [policy]
            quiet_hours = [
              "22:00-07:00",
              "25:00-07:00",
              "8-9",
              "09:00-09:00",
              7,
            ]
            """), [
            #"postured.toml:4: policy.quiet_hours[1]: "25:00-07:00" is not a time range, "# + allowed,
            #"postured.toml:5: policy.quiet_hours[2]: "8-9" is not a time range, "# + allowed,
            #"postured.toml:6: policy.quiet_hours[3]: "09:00-09:00" starts and ends at the same time and would never apply, "# + allowed,
            "postured.toml:7: policy.quiet_hours[4]: 7 is an integer, " + allowed,
        ])
        XCTAssertEqual(problems("[policy]\nquiet_hours = \"22:00-07:00\"\n"), [
            #"postured.toml:2: policy.quiet_hours: "22:00-07:00" is a string, expected an array of "HH:MM-HH:MM" time ranges (24-hour local time, may wrap midnight, e.g. "22:00-07:00")"#
        ])
        XCTAssertEqual(problems("[policy]\ndaily_nudge_cap = 0\n"), [
            #"postured.toml:2: policy.daily_nudge_cap: 0 is out of range, expected an integer from 1 to 1000, or "none" for no cap"#
        ])
    }

    func testPolicyDecodesIntoTheEngineType() throws {
        let config = try XCTUnwrap(configuration("""
            [policy]
            slouch_pelvic_tilt_threshold_deg = 12.5
            slouch_hold_s = 45
            sitting_too_long_after_s = 2700
            daily_nudge_cap = 10
            """))
        XCTAssertEqual(config.policy, PolicyConfiguration(
            slouchPelvicTiltThreshold: 12.5, slouchHold: 45, sittingTooLongAfter: 2700, dailyNudgeCap: 10))
    }

    func testIndicators() throws {
        let config = try XCTUnwrap(configuration("""
            [[indicator]]
            kind = "buzzer"
            chip = "pinctrl-rp1"
            line = 17
            active_low = true
            reasons = ["sitting_too_long"]
            [indicator.patterns]
            sitting_too_long = "100on, 50off, 100on"
            [[indicator]]
            line = "GPIO27"
            """))
        var expectedPatterns = IndicatorConfiguration.defaultPatterns
        expectedPatterns[.sittingTooLong] = try IndicatorPattern(parsing: "100on,50off,100on")
        XCTAssertEqual(config.indicators, [
            IndicatorConfiguration(
                kind: .buzzer, gpio: GPIOLineSpec(chip: "pinctrl-rp1", line: .offset(17)), activeLow: true,
                reasons: [.sittingTooLong], patterns: expectedPatterns),
            IndicatorConfiguration(gpio: GPIOLineSpec(line: .name("GPIO27"))),
        ])
        XCTAssertEqual(expectedPatterns[.sittingTooLong]?.totalMilliseconds, 250)
        XCTAssertEqual(expectedPatterns[.sittingTooLong]?.description, "100on,50off,100on")
    }

    func testIndicatorProblems() {
        let allowed = #"expected alternating "<ms>on" and "<ms>off" steps separated by commas, starting with on, each 10 to 5000 ms, at most 10000 ms in all, e.g. "150on,150off,150on""#
        XCTAssertEqual(problems("""
            [[indicator]]
            kind = "beeper"
            reasons = []
            [indicator.patterns]
            slouch = "150on,150on"
            sitting_too_long = "5on"
            sloutch = "100on"
            [[indicator]]
            line = 17
            [[indicator]]
            line = "GPIO5"
            [indicator.patterns]
            slouch = "100off,100on"
            sitting_too_long = "5000on,5000off,1000on"
            [[indicator]]
            line = "GPIO5"
            [indicator.patterns]
            slouch = "100 on"
            sitting_too_long = "on"
            """), [
            "postured.toml:1: indicator[0].line: missing required key 'line', expected a line offset from 0 to 1023 or a line name such as \"GPIO17\"",
            #"postured.toml:2: indicator[0].kind: "beeper" is not allowed, expected one of "buzzer", "vibration" or "led""#,
            #"postured.toml:3: indicator[0].reasons: an empty array is not allowed, expected a non-empty array of nudge reasons from "slouch" and "sitting_too_long"; to silence an indicator, remove it"#,
            #"postured.toml:5: indicator[0].patterns.slouch: "150on,150on" is not a valid pattern: step '150on' repeats 'on' instead of alternating, "# + allowed,
            #"postured.toml:6: indicator[0].patterns.sitting_too_long: "5on" is not a valid pattern: step '5on' is out of range, "# + allowed,
            "postured.toml:7: indicator[0].patterns.sloutch: unknown key 'sloutch', did you mean 'slouch'?",
            #"postured.toml:9: indicator[1].line: 17 is a line offset, which needs a chip; set chip (e.g. "gpiochip0") or name the line, e.g. "GPIO17""#,
            #"postured.toml:13: indicator[2].patterns.slouch: "100off,100on" is not a valid pattern: the first step '100off' is off, "# + allowed,
            #"postured.toml:14: indicator[2].patterns.sitting_too_long: "5000on,5000off,1000on" is not a valid pattern: it lasts 11000 ms in all, "# + allowed,
            "postured.toml:16: indicator[3].line: GPIO5 is already driven by indicator[2], expected a different GPIO line",
            #"postured.toml:18: indicator[3].patterns.slouch: "100 on" is not a valid pattern: '100 on' does not start with a whole number of milliseconds, "# + allowed,
            #"postured.toml:19: indicator[3].patterns.sitting_too_long: "on" is not a valid pattern: 'on' does not start with a whole number of milliseconds, "# + allowed,
        ])
    }

    func testServiceSections() throws {
        let config = try XCTUnwrap(configuration("""
            [store]
            state_directory = "/srv/postured"
            retention_days = 30
            [control]
            socket = "/tmp/p.sock"
            group = "wheel"
            [log]
            level = "debug"
            """))
        XCTAssertEqual(config.store, StoreConfiguration(stateDirectory: "/srv/postured", retentionDays: 30))
        XCTAssertEqual(config.control, ControlConfiguration(socketPath: "/tmp/p.sock", group: "wheel"))
        XCTAssertEqual(config.log.level, .debug)
        XCTAssertEqual(problems("[store]\nstate_directory = \"var/lib\"\n[control]\ngroup = \"Bad Group\"\n"), [
            #"postured.toml:2: store.state_directory: "var/lib" is not an absolute path, expected an absolute path to a directory"#,
            #"postured.toml:4: control.group: "Bad Group" is not a valid group name, expected a group name (lower-case letters, digits, '_' or '-', starting with a letter or '_', at most 32)"#,
        ])
    }

    func testManyProblemsAreReportedTogetherInFileOrder() throws {
        let result = PostureConfiguration.parse(text: """
            [log]
            level = "verbose"
            [sampling]
            rate_hz = 10
            pacing = "interrupt"
            [policy]
            slouch_tilt = 12
            slouch_hold_s = -1
            """, fileName: "postured.toml")
        guard case .failure(let errors) = result else { return XCTFail("expected problems") }
        XCTAssertEqual(errors.problems.map(\.line), [2, 4, 5, 7, 8])
        XCTAssertEqual(errors.problems.map(\.keyPath), [
            "log.level", "sampling.rate_hz", "sampling.pacing", "policy.slouch_tilt", "policy.slouch_hold_s",
        ])
        XCTAssertEqual(errors.description.split(separator: "\n").count, 5)
        XCTAssertTrue(errors.description.hasPrefix(#"postured.toml:2: log.level: "verbose" is not allowed"#))
    }

    func testSyntaxErrorIsAProblemWithoutKeyPath() {
        XCTAssertEqual(problems("[sampling]\nrate_hz = = 3\n"), ["postured.toml:2: expected a value, found '='"])
    }

    func testUnreadableFile() {
        guard case .failure(let errors) = PostureConfiguration.load(path: "/nonexistent/postured.toml") else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(errors.description, "/nonexistent/postured.toml: cannot open: No such file or directory")
    }
}
