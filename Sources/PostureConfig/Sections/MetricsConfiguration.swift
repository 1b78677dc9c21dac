/// `[metrics]`: the day's figures as a Prometheus text file for node_exporter's textfile
/// collector (`docs/metrics.md`), so a fleet is watched with the monitoring it already runs
/// and the wearer's Pi opens no network port.
public struct MetricsConfiguration: Sendable, Equatable {
    /// The collector's directory (Debian's: `/var/lib/prometheus/node-exporter`); `""` = off.
    public var textfileDirectory: String

    public init(textfileDirectory: String = "") {
        self.textfileDirectory = textfileDirectory
    }

    public var isEnabled: Bool { !textfileDirectory.isEmpty }

    init(reading reader: inout SectionReader) {
        self.init(
            textfileDirectory: reader.read(
                "textfile_directory", .absolutePathOrOff("node_exporter's textfile directory"),
                default: MetricsConfiguration().textfileDirectory))
    }
}
