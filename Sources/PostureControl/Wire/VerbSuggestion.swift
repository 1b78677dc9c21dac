import PostureCore

/// "did you mean 'status'?" for a mistyped verb: the known verb at the smallest edit
/// distance, if that distance is small enough to be a typo rather than another word.
enum VerbSuggestion {
    static func nearest(to typed: String) -> ControlVerb? {
        NameSuggestion.nearest(to: typed, among: ControlVerb.allCases.map(\.rawValue)).flatMap(ControlVerb.init(rawValue:))
    }
}

/// "did you mean …?" for any mistyped name (a control verb, a posturectl subcommand).
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
