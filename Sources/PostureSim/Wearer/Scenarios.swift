public import PostureCore

/// A nudge the default policy (architecture.md) should give, at its ideal time: the truth
/// posture's onset (halfway through its transition) plus the hold time. An engine adds its
/// own detection latency (a few seconds).
public struct ExpectedNudge: Sendable, Equatable {
    public var t: Double
    public var reason: NudgeReason
}

/// A named, seeded wearer scenario. Times are fixed per scenario; the seed only changes
/// the details (angle jitter of ±1–2° per segment, fidgets, gait, turns, sit-to-stand and
/// stand-to-sit durations of 1.5–4 s, sway, breathing and weight shifts, a brief movement
/// inside a calibration window for about half the seeds, and the drawn sensors' errors
/// and misalignment).
///
/// Every scenario starts with the calibration poses:
/// - 0–12 s stand tall (swaying and breathing): `standWindow` = 1...11;
/// - 12–26 s sit upright (breathing; sitting from 13 s, halfway through the 2 s
///   transition): `sitWindow` = 15...25.
/// For some seeds the wearer shifts 3–5° and back for 1–2 s inside a window, always
/// within its first 5 s or its last 5 s, so each window keeps a clean stretch of ≥ 5 s.
///
/// So `posturectl replay FILE --stand 1:11 --sit 15:25` works for all of them.
public struct Scenario: Sendable {
    public let name: String
    public let seed: UInt64
    public let timeline: PostureTimeline
    /// Standing-tall calibration window, s.
    public let standWindow: ClosedRange<Double>
    /// Sitting-upright calibration window, s.
    public let sitWindow: ClosedRange<Double>
    /// 2, or 1 for the `-one-sensor` variants (pelvis only).
    public let sensorCount: Int
    /// Nudges the default policy should give, in time order (see `ExpectedNudge`).
    public let expectedNudges: [ExpectedNudge]

    public var duration: Double { timeline.duration }

    /// The wearer of this scenario (same seed).
    public func makeWearer(config: WearerConfig = WearerConfig()) -> SimulatedWearer {
        SimulatedWearer(timeline: timeline, seed: seed, config: config, sensorCount: sensorCount)
    }

    /// Base scenario names; each also exists as `NAME-one-sensor`. Not listed, though `named`
    /// knows it: `week`, seven days for the soak (`SoakTests`), too long for a demo, a golden
    /// or a behaviour test.
    public static let allNames = ["workday", "calibration", "slouch", "walk", "lying", "lean-forward", "fidget", "one-sensor"]

    /// The scenario called `name` (see `allNames`, plus the `-one-sensor` suffix), or nil.
    public static func named(_ name: String, seed: UInt64) -> Scenario? {
        let suffix = "-one-sensor"
        if name.hasSuffix(suffix), name != suffix {
            let base = String(name.dropLast(suffix.count))
            guard base != "one-sensor", let scenario = named(base, seed: seed) else { return nil }
            return Scenario(copy: scenario, name: name, sensorCount: 1)
        }
        var b = Builder(seed: seed)
        switch name {
        case "calibration": break
        case "slouch", "one-sensor": b.slouch()
        case "walk": b.walk()
        case "lying": b.lying()
        case "lean-forward": b.leanForward()
        case "fidget": b.fidget()
        case "workday": b.workday()
        case "week": b.week()
        default: return nil
        }
        return Scenario(
            name: name, seed: seed, timeline: PostureTimeline(b.segments, seed: seed), standWindow: 1...11,
            sitWindow: 15...25, sensorCount: name == "one-sensor" ? 1 : 2, expectedNudges: b.nudges)
    }

    init(name: String, seed: UInt64, timeline: PostureTimeline, standWindow: ClosedRange<Double>,
         sitWindow: ClosedRange<Double>, sensorCount: Int, expectedNudges: [ExpectedNudge]) {
        self.name = name
        self.seed = seed
        self.timeline = timeline
        self.standWindow = standWindow
        self.sitWindow = sitWindow
        self.sensorCount = sensorCount
        self.expectedNudges = expectedNudges
    }

    /// The first `end` seconds of this scenario (same seed, so the same segments, jitter
    /// and details up to the cut), keeping the nudges expected early enough to be judged
    /// (`judgeableBefore` s before the cut). For runs where the whole scenario is too long.
    public func truncated(to end: Double, judgeableBefore margin: Double = 10) -> Scenario {
        var kept: [PostureSegment] = []
        for (segment, start) in zip(timeline.segments, timeline.starts) where start < end {
            var cut = segment
            cut.duration = min(segment.duration, end - start)
            kept.append(cut)
        }
        return Scenario(
            name: name, seed: seed, timeline: PostureTimeline(kept, seed: seed), standWindow: standWindow,
            sitWindow: sitWindow, sensorCount: sensorCount, expectedNudges: expectedNudges.filter { $0.t < end - margin })
    }

    init(copy s: Scenario, name: String, sensorCount: Int) {
        self.init(name: name, seed: s.seed, timeline: s.timeline, standWindow: s.standWindow, sitWindow: s.sitWindow,
                  sensorCount: sensorCount, expectedNudges: s.expectedNudges)
    }
}

/// Appends segments by absolute end time, with per-seed angle jitter.
private struct Builder {
    var segments: [PostureSegment] = []
    var nudges: [ExpectedNudge] = []
    var time = 0.0
    var rng: SplitMix64
    /// Transition durations and calibration moves: a stream of their own, so the jitter
    /// of every segment stays what it was.
    var motionRng: SplitMix64
    /// When the wearer last sat down (halfway through the transition), s.
    var satDown = 0.0

    /// Jitter of target angles per segment, degrees (± uniform).
    static let tiltJitter = 1.0, obliquityJitter = 1.0, flexionJitter = 2.0
    /// Sit-to-stand and stand-to-sit durations, s (healthy adults take 1.5–4 s).
    static let sitStandTransition = 1.5...4.0
    /// The calibration transition keeps its 2 s, so `sitWindow` starts after it.
    static let calibrationTransition = 2.0
    /// Chance per calibration window of a brief move, its duration (s) and size (degrees).
    static let calibrationMoveChance = 0.5
    static let calibrationMoveDuration = 1.0...2.0
    static let calibrationMoveSize = 3.0...5.0
    /// The move starts this long (s) after the window opens, or ends as long before it closes.
    static let calibrationMoveMargin = 0.5...3.0

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed, stream: 0xB111_DE12)
        motionRng = SplitMix64(seed: seed, stream: 0xB111_DE13)
        // Calibration: standing tall is the zero of every angle, so it is exact.
        let standMoves = calibrationMoves(window: 1...11, segmentStart: 0)
        add(.standTall, until: 12, fidgets: 0, moves: standMoves)
        let sitMoves = calibrationMoves(window: 15...25, segmentStart: 12)
        add(.sitUpright, until: 26, fidgets: 0, moves: sitMoves, transition: Builder.calibrationTransition)
    }

    /// Nothing, or one 1–2 s move of 3–5° (tilt or obliquity, either sign) near one end of
    /// `window`, so the rest of the window (≥ 5 s) is clean.
    mutating func calibrationMoves(window: ClosedRange<Double>, segmentStart: Double) -> [ScriptedMove] {
        guard motionRng.uniform() < Builder.calibrationMoveChance else { return [] }
        let duration = motionRng.uniform(Builder.calibrationMoveDuration)
        let margin = motionRng.uniform(Builder.calibrationMoveMargin)
        let start = motionRng.uniform() < 0.5 ? window.lowerBound + margin : window.upperBound - margin - duration
        let size = motionRng.uniform(Builder.calibrationMoveSize) * (motionRng.uniform() < 0.5 ? -1 : 1)
        let sagittal = motionRng.uniform() < 0.5
        return [ScriptedMove(
            start: start - segmentStart, duration: duration, pelvicTilt: sagittal ? size : 0,
            pelvicObliquity: sagittal ? 0 : size)]
    }

    mutating func add(
        _ kind: PostureKind, until end: Double, fidgets: Double? = nil, moves: [ScriptedMove] = [], turn: Double = 0,
        transition fixed: Double? = nil
    ) {
        let n = kind.nominalAngles
        let jitter = kind != .standTall && kind.activity != .lying
        func j(_ r: Double) -> Double { jitter ? rng.uniform(-r...r) : 0 }
        let upright: Set<Activity> = [.standing, .walking]
        let previous = segments.last?.activity
        let sitStand = previous.map {
            ($0 == .sitting && kind.activity == .standing) || (upright.contains($0) && kind.activity == .sitting)
        } ?? false
        let transition = fixed ?? (sitStand ? motionRng.uniform(Builder.sitStandTransition) : nil)
        if kind.activity == .sitting, let previous, previous != .sitting {
            satDown = time + (transition ?? Plan.defaultTransition(previous, kind.activity)) / 2
        }
        // A quiet calibration pose: its moves are scripted, nothing else is drawn.
        let quiet = fidgets == 0
        segments.append(PostureSegment(
            kind, duration: end - time, pelvicTilt: n.pelvicTilt + j(Builder.tiltJitter),
            pelvicObliquity: n.pelvicObliquity + j(Builder.obliquityJitter),
            lumbarFlexion: n.lumbarFlexion + j(Builder.flexionJitter), fidgetsPerMinute: fidgets,
            weightShiftsPerMinute: quiet ? 0 : nil, scriptedMoves: moves, turn: turn, transition: transition))
        time = end
    }

    mutating func expect(_ t: Double, _ reason: NudgeReason) { nudges.append(ExpectedNudge(t: t, reason: reason)) }

    /// `slouch` (180 s): 26–60 sit upright; 60–120 slouch (slouching from 60.75);
    /// 120–180 sit upright. Nudges: slouch ≈ 90.75. No sitting_too_long.
    mutating func slouch() {
        add(.sitUpright, until: 60)
        add(.slouch, until: 120)
        add(.sitUpright, until: 180)
        expect(90.75, .slouch)
    }

    /// `walk` (200 s): 26–40 sit; 40–50 stand (standing from 40.75–42, the drawn transition); 50–170 walk (turn 90°;
    /// walking 50.75–170.75, ~1.65–1.95 steps/s); 170–185 stand; 185–200 sit (from 185.75–187).
    /// No nudges.
    mutating func walk() {
        add(.sitUpright, until: 40)
        add(.stand, until: 50)
        add(.walk, until: 170, turn: 90)
        add(.stand, until: 185, turn: 180)
        add(.sitUpright, until: 200)
    }

    /// `lying` (280 s): 26–40 sit; 40–160 supine (lying from 41.5); 160–220 on the left
    /// side; 220–250 supine; 250–280 sit (sitting from 251.5). No nudges.
    mutating func lying() {
        add(.sitUpright, until: 40)
        add(.lieSupine, until: 160)
        add(.lieSide, until: 220)
        add(.lieSupine, until: 250)
        add(.sitUpright, until: 280)
    }

    /// `lean-forward` (240 s): 26–60 sit upright; 60–180 lean forward to the desk (pelvis
    /// ~22° anterior of upright, lumbar neutral); 180–240 sit upright. No nudges.
    mutating func leanForward() {
        add(.sitUpright, until: 60)
        add(.leanForward, until: 180)
        add(.sitUpright, until: 240)
    }

    /// `fidget` (200 s): 26–40 sit upright; 40–160 fidgeting (~8 excursions/min, 1–5 s);
    /// 160–200 sit upright. No nudges.
    mutating func fidget() {
        add(.sitUpright, until: 40)
        add(.fidget, until: 160)
        add(.sitUpright, until: 200)
    }

    /// `week` (7 days, 604 800 s), the soak's wearer (`SoakTests`): t = 0 is 09:00 of the first
    /// day (a simulation's day starts at 09:00 local). Every day:
    /// - 09:00–12:00 and 13:00–16:00 the `workday`'s three hours, with their nudges (12 each);
    /// - 12:00–13:00 lunch: 10 min walk, 25 min sitting upright, 2 min stand, 18 min walk, 5 min stand;
    /// - 16:00–23:00 evening: 30-minute rounds of 24 min sitting upright, 2 min stand, 4 min walk
    ///   (bouts under the 30-minute break limit, upright: no nudges);
    /// - 23:00–08:30 in bed (supine, on the side from 03:00, supine from 07:00), then 5 min stand,
    ///   20 min walk, 5 min stand until 09:00.
    ///
    /// Totals: 24 nudges a day (12 slouch, 12 sitting_too_long), 168 in the week; the calibration
    /// poses only on the first morning.
    mutating func week() {
        for day in 0..<7 {
            let base = Double(day) * 86_400
            workday(from: base)
            add(.walk, until: base + 11_400, turn: 90)
            add(.sitUpright, until: base + 12_900)
            add(.stand, until: base + 13_020)
            add(.walk, until: base + 14_100, turn: -90)
            add(.stand, until: base + 14_400)
            workday(from: base + 14_400)
            for round in 0..<14 {
                let start = base + 25_200 + Double(round) * 1800
                add(.sitUpright, until: start + 1440, turn: 30)
                add(.stand, until: start + 1560)
                add(.walk, until: start + 1800, turn: -30)
            }
            add(.lieSupine, until: base + 64_800)
            add(.lieSide, until: base + 79_200)
            add(.lieSupine, until: base + 84_600)
            add(.stand, until: base + 84_900)
            add(.walk, until: base + 86_100, turn: 180)
            add(.stand, until: base + 86_400)
        }
    }

    /// `workday` (10 800 s = 3 h), three sitting bouts:
    ///
    /// Bout 1, 13–3001 s (sitting from the calibration):
    /// - 600–660 slouch (60 s) → slouch ≈ 630.75
    /// - 900–1200 lean forward (no nudge); 1400–1440 stand-up (40 s, bout continues)
    /// - 1620–1740 fidget; sitting_too_long ≈ 1813
    /// - 2400–2820 slouch (7 min) → slouch ≈ 2430.75 and repeat ≈ 2730.75;
    ///   sitting_too_long repeat ≈ 2713
    /// - 3000–3010 stand, 3010–3250 walk (4 min, walking 3010.75–3250.75), 3250–3260 stand
    ///
    /// Bout 2, ≈ 3261–6301 s (each end ±1 s with the drawn sit/stand durations):
    /// - 4000–4045 slouch (45 s) → slouch ≈ 4030.75; 4500–4800 lean forward;
    ///   4800–4830 stand-up (30 s); sitting_too_long ≈ 5061
    /// - 5600–5700 fidget; sitting_too_long ≈ 5961; 6000–6050 slouch (50 s) → slouch ≈ 6030.75
    /// - 6300–6310 stand, 6310–6490 walk (3 min), 6490–6500 stand
    /// - lying 6500–7700 (from 6501.5): supine, 7100–7400 left side, supine again
    ///
    /// Bout 3, 7701.5–10501 s:
    /// - 8400–8700 lean forward; 9000–9040 stand-up (40 s)
    /// - 9400–9480 slouch (80 s) → slouch ≈ 9430.75; sitting_too_long ≈ 9501.5, ≈ 10401.5
    /// - 10500–10510 stand, 10510–10690 walk (3 min), 10690–10800 stand
    ///
    /// Totals: 6 slouch and 6 sitting_too_long nudges; longest bout ≈ 3040 s.
    mutating func workday(from start: Double = 0) {
        // Bout 1: on the first day it goes on from the calibration's sitting (13 s).
        add(.sitUpright, until: start + 600)
        let bout1 = satDown
        add(.slouch, until: start + 660)
        expect(start + 630.75, .slouch)
        add(.sitUpright, until: start + 900)
        add(.leanForward, until: start + 1200)
        add(.sitUpright, until: start + 1400)
        add(.stand, until: start + 1440, turn: 30)
        add(.sitUpright, until: start + 1620, turn: -30)
        add(.fidget, until: start + 1740)
        add(.sitUpright, until: start + 2400)
        expect(bout1 + 1800, .sittingTooLong)
        add(.slouch, until: start + 2820)
        expect(bout1 + 2700, .sittingTooLong)
        expect(start + 2430.75, .slouch)
        expect(start + 2730.75, .slouch)
        add(.sitUpright, until: start + 3000)
        add(.stand, until: start + 3010)
        add(.walk, until: start + 3250, turn: 180)
        add(.stand, until: start + 3260, turn: 180)
        // Bout 2
        add(.sitUpright, until: start + 4000)
        add(.slouch, until: start + 4045)
        expect(start + 4030.75, .slouch)
        add(.sitUpright, until: start + 4500)
        add(.leanForward, until: start + 4800)
        add(.stand, until: start + 4830, turn: -45)
        let bout2 = satDown  // ≈ 3261, with the drawn stand-to-sit duration
        add(.sitUpright, until: start + 5600, turn: 45)
        expect(bout2 + 1800, .sittingTooLong)
        add(.fidget, until: start + 5700)
        add(.sitUpright, until: start + 6000)
        expect(bout2 + 2700, .sittingTooLong)
        add(.slouch, until: start + 6050)
        expect(start + 6030.75, .slouch)
        add(.sitUpright, until: start + 6300)
        add(.stand, until: start + 6310)
        add(.walk, until: start + 6490, turn: 120)
        add(.stand, until: start + 6500)
        add(.lieSupine, until: start + 7100)
        add(.lieSide, until: start + 7400)
        add(.lieSupine, until: start + 7700)
        // Bout 3
        add(.sitUpright, until: start + 8400, turn: -90)
        let bout3 = satDown  // start + 7701.5: from lying, the default transition
        add(.leanForward, until: start + 8700)
        add(.sitUpright, until: start + 9000)
        add(.stand, until: start + 9040)
        add(.sitUpright, until: start + 9400)
        add(.slouch, until: start + 9480)
        expect(start + 9430.75, .slouch)
        add(.sitUpright, until: start + 10500)
        expect(bout3 + 1800, .sittingTooLong)
        expect(bout3 + 2700, .sittingTooLong)
        add(.stand, until: start + 10510)
        add(.walk, until: start + 10690, turn: 180)
        add(.stand, until: start + 10800, turn: 90)
        nudges.sort { $0.t < $1.t }
    }
}
