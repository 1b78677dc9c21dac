import PostureStore

/// One angle over the day: the per-minute range as a band, the per-minute mean as a line
/// (broken where minutes are missing), standing tall (0°), the sitting-upright reference and
/// the slouch threshold, each line labelled in words.
struct AnglePanel {
    var name: String
    /// The key in `data-angle`, as in the report's JSON.
    var key: String
    var top: Double
    var curves: [[DayTimeline.AnglePoint]]
    var reference: Double?
    var threshold: Double?
    var thresholdText: String
    var missing: String
    var zone: LocalTimeZone
    /// Minutes spent mostly lying: drawn (clipped at the frame) but left out of the scale, since
    /// lying turns the pelvis by about 90°, which is no posture and would flatten the day's curve.
    /// The scale follows the minute means; the bands (a minute's extremes) are clipped too.
    var lyingMinutes: Set<Double> = []

    func svg(_ layout: ChartLayout) -> String {
        let height = ChartLayout.angleHeight
        let points = curves.flatMap { $0 }
        let scale = ChartLayout.angleScale(
            values: points.filter { !lyingMinutes.contains($0.time) }.map(\.mean) + [0] + [reference, threshold].compactMap { $0 })
        func y(_ degrees: Double) -> Double {
            top + height * (scale.high - min(scale.high, max(scale.low, degrees))) / (scale.high - scale.low)
        }
        var out = "<g class=\"pc-angle\" data-angle=\"\(key)\" data-top=\"\(Markup.number(top))\" data-height=\"\(Markup.number(height))\""
            + " data-low=\"\(Markup.number(scale.low))\" data-high=\"\(Markup.number(scale.high))\">\n<title>\(name), degrees</title>\n"
        out += "<text class=\"pc-label pc-panel-name\" x=\"0\" y=\"\(Markup.number(top - 8))\">\(name) (°)</text>\n"
        out += "<rect class=\"pc-frame\" x=\"\(Markup.number(ChartLayout.plotLeft))\" y=\"\(Markup.number(top))\" width=\"\(Markup.number(ChartLayout.plotWidth))\" height=\"\(Markup.number(height))\"/>\n"
        let step = ChartLayout.gridStep(span: scale.high - scale.low)
        var grid = (scale.low / step).rounded(.up) * step
        while grid <= scale.high + 1e-9 {
            out += "<line class=\"pc-grid\" x1=\"\(Markup.number(ChartLayout.plotLeft))\" x2=\"\(Markup.number(ChartLayout.width - ChartLayout.plotRight))\""
                + " y1=\"\(Markup.number(y(grid)))\" y2=\"\(Markup.number(y(grid)))\"/>"
                + "<text class=\"pc-label\" x=\"\(Markup.number(ChartLayout.plotLeft - 6))\" y=\"\(Markup.number(y(grid) + 4))\" text-anchor=\"end\">\(Markup.number(grid, decimals: 0))</text>\n"
            grid += step
        }
        guard !points.isEmpty else {
            out += "<text class=\"pc-empty\" x=\"\(Markup.number(ChartLayout.plotLeft + ChartLayout.plotWidth / 2))\" y=\"\(Markup.number(top + height / 2 + 5))\" text-anchor=\"middle\">\(Markup.escaped(missing))</text>\n"
            return out + "</g>\n"
        }
        for curve in curves {
            let upper = curve.map { "\(Markup.number(layout.x($0.time))),\(Markup.number(y($0.max)))" }
            let lower = curve.reversed().map { "\(Markup.number(layout.x($0.time))),\(Markup.number(y($0.min)))" }
            out += "<polygon class=\"pc-band\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
            let line = curve.map { "\(Markup.number(layout.x($0.time))),\(Markup.number(y($0.mean)))" }.joined(separator: " ")
            out += "<polyline class=\"pc-curve pc-\(key)\" data-minutes=\"\(curve.count)\" data-start=\"\(Markup.number(curve[0].time - 30, decimals: 0))\" points=\"\(line)\">"
                + "<title>\(name), minute means from \(zone.components(curve[0].time - 30).hourMinute)</title></polyline>\n"
        }
        out += level(0, y: y, cls: "pc-standing-line", text: "standing tall 0°")
        if let reference { out += level(reference, y: y, cls: "pc-reference", text: "sitting upright \(Markup.degrees(reference))") }
        if let threshold { out += level(threshold, y: y, cls: "pc-threshold", text: "\(thresholdText) \(Markup.degrees(threshold))") }
        if reference == nil { out += "<text class=\"pc-note\" x=\"\(Markup.number(ChartLayout.plotLeft + 6))\" y=\"\(Markup.number(top + 14))\">not calibrated: no reference, no threshold</text>\n" }
        return out + "</g>\n"
    }

    /// A horizontal line across the panel at `degrees`, its words at the right end.
    func level(_ degrees: Double, y: (Double) -> Double, cls: String, text: String) -> String {
        let right = ChartLayout.width - ChartLayout.plotRight
        let yText = Markup.number(y(degrees))
        return "<g class=\"\(cls)\" data-degrees=\"\(Markup.number(degrees, decimals: 2))\"><title>\(Markup.escaped(text))</title>"
            + "<line x1=\"\(Markup.number(ChartLayout.plotLeft))\" x2=\"\(Markup.number(right))\" y1=\"\(yText)\" y2=\"\(yText)\"/>"
            + "<text class=\"pc-line-label\" x=\"\(Markup.number(right - 4))\" y=\"\(Markup.number(y(degrees) - 3))\" text-anchor=\"end\">\(Markup.escaped(text))</text></g>\n"
    }
}
