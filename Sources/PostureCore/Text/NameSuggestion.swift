/// "did you mean …?" for any mistyped name (a control verb, a posturectl
/// subcommand or option).
public enum NameSuggestion {
    /// The name at the smallest edit distance from `typed` (case aside), or nil when even
    /// that one is too far to be a typo.
    public static func nearest(to typed: String, among names: [String]) -> String? {
        let lowered = typed.lowercased()
        if names.contains(lowered) { return lowered }  // "STATUS"
        let scored = names.map { ($0, EditDistance.between(lowered, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        // Two edits catch a dropped, doubled or swapped letter; more than a third of the
        // word changed is no longer a typo.
        let allowed = min(2, max(1, best.0.count / 3))
        return best.1 <= allowed ? best.0 : nil
    }
}
