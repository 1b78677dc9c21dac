import PostureCore

/// "did you mean 'status'?" for a mistyped verb: the known verb at the smallest edit
/// distance, if that distance is small enough to be a typo rather than another word.
enum VerbSuggestion {
    static func nearest(to typed: String) -> ControlVerb? {
        NameSuggestion.nearest(to: typed, among: ControlVerb.allCases.map(\.rawValue)).flatMap(ControlVerb.init(rawValue:))
    }
}
