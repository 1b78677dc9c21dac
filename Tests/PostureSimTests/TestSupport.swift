import PostureCore
@testable import PostureSim

/// Integrates angular rate samples into an orientation with the exact exponential map.
func integrate(_ q0: Quaternion, rates: [Vector3], dt: Double) -> Quaternion {
    var q = q0
    for w in rates { q = (q * Quaternion(rotationVector: w * dt)).normalized }
    return q
}

/// Angle of the rotation between two orientations, degrees.
func angleBetween(_ a: Quaternion, _ b: Quaternion) -> Double { (a.conjugate * b).angle.degrees }

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? .nan : s[s.count / 2]
}

/// A timeline with no fidgets and no human restlessness: stand tall, then each given segment.
func stillTimeline(_ segments: [PostureSegment], seed: UInt64 = 1) -> PostureTimeline {
    PostureTimeline([PostureSegment(.standTall, duration: 10, fidgetsPerMinute: 0)] + segments, seed: seed, motion: .still)
}

/// `scenario`'s wearer, but standing and sitting like a mannequin (no sway, breathing or
/// weight shifts; scripted moves and fidgets stay).
func mannequin(_ scenario: Scenario, config: WearerConfig = WearerConfig()) -> SimulatedWearer {
    SimulatedWearer(
        timeline: PostureTimeline(scenario.timeline.segments, seed: scenario.seed, motion: .still), seed: scenario.seed,
        config: config, sensorCount: scenario.sensorCount)
}

/// The true value behind a measurement `m = M x + o` to first order in the small errors
/// of `M`: (2I − M)(m − o).
func unscaled(_ measured: Vector3, matrix: Matrix3, offset: Vector3) -> Vector3 {
    (Matrix3.scaledIdentity(2) - matrix) * (measured - offset)
}

/// The scenario `name` at the first seed from `seed` on whose calibration windows have no
/// scripted move (so the wearer is at rest there).
func quietCalibration(_ name: String, from seed: UInt64) -> Scenario? {
    (seed..<seed + 64).lazy.compactMap { Scenario.named(name, seed: $0) }
        .first { $0.timeline.segments.prefix(2).allSatisfy(\.scriptedMoves.isEmpty) }
}
