/// "did you mean 'status'?" for a mistyped verb: the known verb at the smallest edit
/// distance, if that distance is small enough to be a typo rather than another word.
enum VerbSuggestion {
    static func nearest(to typed: String) -> ControlVerb? {
        let lowered = typed.lowercased()
        if let exact = ControlVerb(rawValue: lowered) { return exact }  // "STATUS"
        let scored = ControlVerb.allCases.map { ($0, editDistance(Array(lowered.utf8), Array($0.rawValue.utf8))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        // Two edits catch a dropped, doubled or swapped letter; more than a third of the
        // word changed is no longer a typo.
        let allowed = min(2, max(1, best.0.rawValue.count / 3))
        return best.1 <= allowed ? best.0 : nil
    }

    /// Levenshtein distance, two rows.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
