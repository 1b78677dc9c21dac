import PostureCore

/// "Did you mean …?" for misspelt keys and values.
enum Suggestion {
    /// The candidate closest to `word`, if close enough to be a plausible typo or a forgotten
    /// unit suffix (`slouch_hold` for `slouch_hold_s`); `nil` when nothing is close.
    static func nearest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = EditDistance.between(lowered, candidate.lowercased())
            let isAffix = !lowered.isEmpty && (candidate.hasPrefix(lowered) || lowered.hasPrefix(candidate))
            let limit = max(2, max(lowered.count, candidate.count) / 3)
            guard distance <= limit || isAffix else { continue }
            if best == nil || distance < best?.distance ?? .max { best = (candidate, distance) }
        }
        return best?.candidate ?? containingAllWords(of: lowered, among: candidates)
    }

    /// A key written with fewer words than the real one (`slouch_tilt` for
    /// `slouch_pelvic_tilt_threshold_deg`): the shortest candidate containing all its words.
    private static func containingAllWords(of word: String, among candidates: [String]) -> String? {
        let words = Set(word.split(whereSeparator: { $0 == "_" || $0 == "-" }))
        guard words.count >= 2 else { return nil }
        return candidates
            .filter { words.isSubset(of: Set($0.lowercased().split(whereSeparator: { $0 == "_" || $0 == "-" }))) }
            .min { $0.count < $1.count }
    }
}
