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

/// A timeline with no fidgets: stand tall, then each given segment.
func stillTimeline(_ segments: [PostureSegment], seed: UInt64 = 1) -> PostureTimeline {
    PostureTimeline([PostureSegment(.standTall, duration: 10, fidgetsPerMinute: 0)] + segments, seed: seed)
}
