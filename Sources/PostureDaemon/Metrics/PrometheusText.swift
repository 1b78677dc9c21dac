/// One metric of the file: a name, what it means, its type and its samples.
public struct MetricFamily: Sendable, Equatable {
    /// Prometheus's two types that the figures need: a counter only goes up (restarting at 0
    /// when the daemon does; `rate()` understands that), a gauge is a value now.
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    public struct Sample: Sendable, Equatable {
        /// Label names and values, in the order written.
        public var labels: [(name: String, value: String)]
        public var value: Double

        public init(_ value: Double, labels: [(name: String, value: String)] = []) {
            self.labels = labels
            self.value = value
        }

        public static func == (a: Sample, b: Sample) -> Bool {
            a.value == b.value && a.labels.map(\.name) == b.labels.map(\.name) && a.labels.map(\.value) == b.labels.map(\.value)
        }
    }

    /// Without the `postured_` prefix and, for a counter, without `_total`: the formatter adds
    /// both, so no metric can miss them. Units are base units, last: `_seconds`.
    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(_ name: String, _ kind: Kind, help: String, samples: [Sample]) {
        self.name = name
        self.kind = kind
        self.help = help
        self.samples = samples
    }

    /// The name as written: `postured_day_sitting_seconds`, `postured_loop_overruns_total`.
    public var exposedName: String { PrometheusText.prefix + name + (kind == .counter ? "_total" : "") }
}

/// Prometheus's text exposition format 0.0.4, the one node_exporter's textfile collector reads
/// (`docs/metrics.md`): per family a `# HELP` and a `# TYPE` line, then one line a sample,
/// `name{label="value",...} number`. Pure: the supervisor hands it the figures.
public enum PrometheusText {
    public static let prefix = "postured_"

    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families {
            let name = family.exposedName
            out += "# HELP \(name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                out += name
                if !sample.labels.isEmpty {
                    out += "{" + sample.labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
                }
                out += " \(number(sample.value))\n"
            }
        }
        return out
    }

    /// In a label value a backslash, a double quote and a line feed are escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        escape(value, quote: true)
    }

    /// In HELP text a backslash and a line feed are (a quote is not).
    public static func escapeHelp(_ text: String) -> String {
        escape(text, quote: false)
    }

    private static func escape(_ text: String, quote: Bool) -> String {
        // By scalar: a quote or backslash followed by a combining mark is one Character that
        // equals neither, and would pass unescaped.
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": continue  // a CR LF line end is one line feed
            case "\"" where quote: out.append(contentsOf: "\\\"".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whole numbers without a decimal point (counts read as counts), `NaN`, `+Inf`, `-Inf`
    /// as the format spells them, anything else in Swift's shortest round-trip form.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`; for label names `:` is not allowed and `__` is reserved.
    public static func isValidName(_ name: String, label: Bool = false) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        if label && name.hasPrefix("__") { return false }
        func allowed(_ s: Unicode.Scalar, leading: Bool) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" || (!label && s == ":")
                || (!leading && ("0"..."9").contains(s))
        }
        return allowed(first, leading: true) && name.unicodeScalars.dropFirst().allSatisfy { allowed($0, leading: false) }
    }
}
