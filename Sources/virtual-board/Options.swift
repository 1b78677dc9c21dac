import PostureCore
import PostureSim

/// `virtual-board`'s command line, parsed by hand (no ArgumentParser: three dependencies only).
struct Options: Equatable {
    var scenario = "slouch"
    /// `--timeline KIND:END[:TRANSITION],…`: a custom wearer timeline (PostureKind names, segment
    /// end times in scenario seconds, optionally the transition into the segment in seconds);
    /// overrides `--scenario`.
    var timeline: String?
    var seed: UInt64 = 1
    /// Scenario seconds per wall-clock second.
    var speed = 1.0
    /// Scenario time at start-up, s.
    var start = 0.0
    var gpioLog: String?
    var eventLog: String?
    var control: String?
    var uhidPath = "/dev/uhid"
    var mpuAddress: UInt8 = 0x68
    var lsmAddress: UInt8 = 0x6A
    var help = false

    static let usage = """
        usage: virtual-board [--scenario NAME | --timeline KIND:END,...] [--seed N] [--speed X] [--start S]
                             [--gpio-log FILE] [--event-log FILE] [--control FIFO] [--uhid PATH]
                             [--mpu6050 ADDR] [--lsm6ds3 ADDR]

        Creates a Silicon Labs CP2112 USB-to-I2C/GPIO bridge over /dev/uhid; the kernel's hid-cp2112
        driver then makes an I2C adapter ("CP2112 SMBus Bridge on hidrawN") and a gpiochip
        (label "cp2112_gpio"). I2C transfers are answered by register-level simulated IMUs (an MPU-6050
        at 0x68 and an LSM6DS3 at 0x6A) moved by a simulated wearer; GPIO latch writes are logged.

          --scenario NAME   a PostureSim scenario (\(Scenario.allNames.joined(separator: ", ")); default slouch)
          --timeline SPEC   a custom timeline instead, KIND:END[:TRANSITION],... e.g.
                            standTall:12,sitUpright:40:0.5,slouch:80 (segment end times in seconds)
                            (kinds: \(PostureKind.allCases.map(\.rawValue).joined(separator: ", ")))
          --seed N          the wearer's seed (default 1)
          --speed X         scenario seconds per real second (default 1)
          --start S         scenario time at start-up, seconds (default 0)
          --gpio-log FILE   one line per GPIO line change: "<CLOCK_MONOTONIC ns> <line> <value>"
          --event-log FILE  one line per event: "<CLOCK_MONOTONIC ns> <event> <details>"
          --control FIFO    a FIFO (created if missing) taking commands, one per line:
                              nack SECONDS | stall SECONDS | freeze ADDR SECONDS | reset ADDR
                              jump SCENARIO_SECONDS (forward) | press LINE DOWN [GAP DOWN ...] (a
                              button on input LINE held high DOWN s, released GAP s, ...; each step
                              lasts until a GPIO report has shown it) | unplug | plug | quit
          --uhid PATH       default /dev/uhid
        """

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var o = Options()
        var i = 0
        func value(_ flag: String) throws(UsageError) -> String {
            i += 1
            guard i < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[i]
        }
        func number(_ flag: String) throws(UsageError) -> Double {
            let text = try value(flag)
            guard let x = Double(text), x.isFinite else { throw UsageError(description: "\(flag) '\(text)': expected a number") }
            return x
        }
        while i < arguments.count {
            let flag = arguments[i]
            switch flag {
            case "--scenario":
                o.scenario = try value(flag)
                guard Scenario.named(o.scenario, seed: 1) != nil else {
                    throw UsageError(description: "--scenario '\(o.scenario)': unknown; one of \(Scenario.allNames.joined(separator: ", "))")
                }
            case "--timeline":
                let spec = try value(flag)
                _ = try Self.segments(spec)
                o.timeline = spec
            case "--seed":
                let text = try value(flag)
                guard let s = UInt64(text) else { throw UsageError(description: "--seed '\(text)': expected a whole number") }
                o.seed = s
            case "--speed":
                o.speed = try number(flag)
                guard o.speed > 0 else { throw UsageError(description: "--speed must be positive") }
            case "--start":
                o.start = try number(flag)
                guard o.start >= 0 else { throw UsageError(description: "--start must not be negative") }
            case "--gpio-log": o.gpioLog = try value(flag)
            case "--event-log": o.eventLog = try value(flag)
            case "--control": o.control = try value(flag)
            case "--uhid": o.uhidPath = try value(flag)
            case "--mpu6050": o.mpuAddress = try Self.address(try value(flag), flag: flag)
            case "--lsm6ds3": o.lsmAddress = try Self.address(try value(flag), flag: flag)
            case "--help", "-h": o.help = true
            default: throw UsageError(description: "unknown option '\(flag)'")
            }
            i += 1
        }
        guard o.mpuAddress != o.lsmAddress else { throw UsageError(description: "the two chips need different addresses") }
        return o
    }

    /// "0x68" or "104".
    static func address(_ text: String, flag: String) throws(UsageError) -> UInt8 {
        let lower = text.lowercased()
        let parsed = lower.hasPrefix("0x") ? UInt8(lower.dropFirst(2), radix: 16) : UInt8(lower)
        guard let a = parsed, (0x08...0x77).contains(a) else {
            throw UsageError(description: "\(flag) '\(text)': expected a 7-bit address from 0x08 to 0x77")
        }
        return a
    }

    /// `KIND:END[:TRANSITION],…` as timeline segments.
    static func segments(_ spec: String) throws(UsageError) -> [PostureSegment] {
        var segments: [PostureSegment] = []
        var time = 0.0
        for part in spec.split(separator: ",") {
            let fields = part.split(separator: ":")
            guard fields.count == 2 || fields.count == 3, let kind = PostureKind(rawValue: String(fields[0])),
                  let end = Double(fields[1]), end.isFinite, end > time
            else {
                throw UsageError(description: "--timeline: '\(part)' is not KIND:END[:TRANSITION] with a known kind and an end time after \(time)")
            }
            var transition: Double?
            if fields.count == 3 {
                guard let t = Double(fields[2]), t.isFinite, t > 0 else {
                    throw UsageError(description: "--timeline: '\(part)': the transition must be a positive number of seconds")
                }
                transition = t
            }
            segments.append(PostureSegment(kind, duration: end - time, transition: transition))
            time = end
        }
        guard !segments.isEmpty else { throw UsageError(description: "--timeline is empty") }
        return segments
    }

    /// The wearer this invocation asks for.
    func makeWearer() -> SimulatedWearer {
        if let timeline, let segments = try? Self.segments(timeline) {
            return SimulatedWearer(timeline: PostureTimeline(segments, seed: seed), seed: seed)
        }
        let s = Scenario.named(scenario, seed: seed) ?? Scenario.named("slouch", seed: seed)
        return s.map { $0.makeWearer() } ?? SimulatedWearer(timeline: PostureTimeline([PostureSegment(.sitUpright, duration: 60)], seed: seed), seed: seed)
    }
}
