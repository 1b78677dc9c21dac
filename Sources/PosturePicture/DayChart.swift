public import PostureCore
public import PostureStore

/// The day chart: activity lanes, the pelvic tilt and lumbar flexion curves with their
/// references and slouch thresholds, nudges, long bouts, quiet hours and snoozes. One SVG,
/// standalone (`report --svg`) or inline in the page; titles and descriptions on every mark.
public struct DayChart: Sendable {
    public var date: LocalDate
    public var zone: LocalTimeZone
    public var timeline: DayTimeline
    public var calibration: Calibration?
    public var policy: PolicyConfiguration

    public init(date: LocalDate, zone: LocalTimeZone, timeline: DayTimeline, calibration: Calibration?, policy: PolicyConfiguration) {
        self.date = date
        self.zone = zone
        self.timeline = timeline
        self.calibration = calibration
        self.policy = policy
    }

    /// Lanes top to bottom; the last is the time not observed.
    static let lanes: [(name: String, activity: Activity?)] = [
        ("sitting", .sitting), ("standing", .standing), ("walking", .walking), ("lying", .lying), ("no data", nil),
    ]

    var lanesTop: Double { ChartLayout.titleHeight + ChartLayout.markerRowHeight }
    var lanesBottom: Double { lanesTop + Double(Self.lanes.count) * (ChartLayout.laneHeight + ChartLayout.laneGap) }
    var tiltTop: Double { lanesBottom + ChartLayout.panelGap }
    var lumbarTop: Double { tiltTop + ChartLayout.angleHeight + ChartLayout.panelGap }
    var plotBottom: Double { lumbarTop + ChartLayout.angleHeight }
    var height: Double { timeline.axis == nil ? 120 : plotBottom + ChartLayout.axisHeight + ChartLayout.legendHeight }

    public func svg() -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pc-chart\" role=\"img\""
            + " viewBox=\"0 0 \(Markup.number(ChartLayout.width)) \(Markup.number(height))\""
            + " width=\"\(Markup.number(ChartLayout.width))\" height=\"\(Markup.number(height))\""
            + " aria-labelledby=\"pc-chart-title pc-chart-desc\" data-date=\"\(date)\""
        if let axis = timeline.axis {
            out += " data-axis-start=\"\(Markup.number(axis.start, decimals: 0))\" data-axis-end=\"\(Markup.number(axis.end, decimals: 0))\""
                + " data-plot-left=\"\(Markup.number(ChartLayout.plotLeft))\" data-plot-width=\"\(Markup.number(ChartLayout.plotWidth))\""
        }
        out += ">\n<title id=\"pc-chart-title\">Posture on \(date)</title>\n"
        out += "<desc id=\"pc-chart-desc\">\(Markup.escaped(description))</desc>\n"
        out += ChartStyle.svgStyle + ChartStyle.patterns
        guard let axis = timeline.axis else {
            out += "<rect class=\"pc-frame\" x=\"1\" y=\"1\" width=\"958\" height=\"118\" rx=\"6\"/>\n"
            out += "<text class=\"pc-empty\" x=\"480\" y=\"66\" text-anchor=\"middle\">No data recorded on \(date)</text>\n"
            return out + "</svg>\n"
        }
        let layout = ChartLayout(axisStart: axis.start, axisEnd: axis.end)
        out += "<text class=\"pc-heading\" x=\"0\" y=\"17\">\(date), \(zone.components(axis.start).hourMinute)–\(clock(axis.end))</text>\n"
        out += shading(layout)
        out += laneMarks(layout)
        out += AnglePanel(
            name: "pelvic tilt", key: "pelvic_tilt", top: tiltTop, curves: timeline.pelvicTilt,
            reference: calibration?.sittingPelvicTilt, threshold: calibration.map { $0.sittingPelvicTilt - policy.slouchPelvicTiltThreshold },
            thresholdText: "slouch below", missing: "no pelvic tilt recorded", zone: zone, lyingMinutes: lyingMinutes
        ).svg(layout)
        out += AnglePanel(
            name: "lumbar flexion", key: "lumbar_flexion", top: lumbarTop, curves: timeline.lumbarFlexion,
            reference: calibration?.sittingLumbarFlexion,
            threshold: calibration?.sittingLumbarFlexion.map { $0 + policy.slouchLumbarFlexionThreshold },
            thresholdText: "slouch above", missing: "lumbar flexion not measured (no upper lumbar sensor)", zone: zone,
            lyingMinutes: lyingMinutes
        ).svg(layout)
        out += nudgeMarks(layout)
        out += timeAxis(layout)
        // The key in words, so the chart alone (report --svg) reads without colour.
        let keyTop = plotBottom + ChartLayout.axisHeight
        out += "<text class=\"pc-label pc-key\" x=\"0\" y=\"\(Markup.number(keyTop + 14))\">"
            + "▲S slouch nudge · ●U get-up nudge · hatched: no data · outlined and hatched: sitting bout over the break limit</text>\n"
        out += "<text class=\"pc-label pc-key\" x=\"0\" y=\"\(Markup.number(keyTop + 30))\">"
            + "striped: quiet hours · dotted: snoozed · dashed: sitting upright (calibrated) · dotted red: slouch threshold</text>\n"
        return out + "</svg>\n"
    }

    /// The middle of each minute whose lanes say lying (`AnglePanel.lyingMinutes`).
    var lyingMinutes: Set<Double> {
        var middles = Set<Double>()
        for run in timeline.activityRuns where run.activity == .lying {
            var middle = run.span.start + 30
            while middle < run.span.end {
                middles.insert(middle)
                middle += 60
            }
        }
        return middles
    }

    /// What the chart shows, in words, for a screen reader.
    var description: String {
        guard timeline.axis != nil else { return "No data recorded on \(date)." }
        let nudges = timeline.nudges.count
        return "Activity lanes (sitting, standing, walking, lying, no data) and per-minute pelvic tilt and lumbar"
            + " flexion over the day, with the sitting-upright references and slouch thresholds; \(nudges) nudge"
            + (nudges == 1 ? "" : "s") + " marked, \(timeline.longBouts.count) sitting bouts over the break limit,"
            + " \(timeline.gaps.count) gaps, \(timeline.quietHours.count) quiet-hour ranges and \(timeline.snoozes.count) snoozes."
    }

    func clock(_ time: Double) -> String {
        // The end of the day is 24:00 of this day, not 00:00 of the next.
        time >= zone.range(of: date).upperBound ? "24:00" : zone.components(time).hourMinute
    }

    func spanTitle(_ span: DayTimeline.Span) -> String {
        "\(clock(span.start))–\(clock(span.end)) (\(DurationText.describe(span.end - span.start)))"
    }

    func rect(_ layout: ChartLayout, _ span: DayTimeline.Span, y: Double, height: Double, cls: String, extra: String = "", title: String) -> String {
        let x = layout.x(span.start)
        let width = max(0.5, layout.x(span.end) - x)
        return "<rect class=\"\(cls)\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\" width=\"\(Markup.number(width))\""
            + " height=\"\(Markup.number(height))\" data-start=\"\(Markup.number(span.start, decimals: 0))\""
            + " data-end=\"\(Markup.number(span.end, decimals: 0))\"\(extra)><title>\(Markup.escaped(title))</title></rect>\n"
    }

    /// Quiet hours and snoozes, shaded behind everything from the lanes to the last panel.
    func shading(_ layout: ChartLayout) -> String {
        var out = "<g class=\"pc-shading\">\n"
        let top = lanesTop - 2, height = plotBottom - lanesTop + 2
        for span in timeline.quietHours {
            out += rect(layout, span, y: top, height: height, cls: "pc-quiet", title: "quiet hours \(spanTitle(span))")
        }
        for span in timeline.snoozes {
            out += rect(layout, span, y: top, height: height, cls: "pc-snooze", title: "snoozed \(spanTitle(span))")
        }
        return out + "</g>\n"
    }

    func laneMarks(_ layout: ChartLayout) -> String {
        var out = ""
        for (index, lane) in Self.lanes.enumerated() {
            let y = lanesTop + Double(index) * (ChartLayout.laneHeight + ChartLayout.laneGap)
            let key = lane.activity?.rawValue ?? "gap"
            out += "<g class=\"pc-lane\" data-lane=\"\(key)\">\n<title>\(lane.name)</title>\n"
            out += "<text class=\"pc-label\" x=\"\(Markup.number(ChartLayout.plotLeft - 8))\" y=\"\(Markup.number(y + 13))\" text-anchor=\"end\">\(lane.name)</text>\n"
            out += "<rect class=\"pc-track\" x=\"\(Markup.number(ChartLayout.plotLeft))\" y=\"\(Markup.number(y))\" width=\"\(Markup.number(ChartLayout.plotWidth))\" height=\"\(Markup.number(ChartLayout.laneHeight))\"/>\n"
            if let activity = lane.activity {
                for run in timeline.activityRuns where run.activity == activity {
                    out += rect(layout, run.span, y: y, height: ChartLayout.laneHeight, cls: "pc-run pc-\(activity.rawValue)",
                                title: "\(lane.name) \(spanTitle(run.span))")
                }
                if activity == .sitting {
                    for bout in timeline.longBouts {
                        out += rect(layout, bout, y: y - 2, height: ChartLayout.laneHeight + 4, cls: "pc-long-bout",
                                    title: "sitting bout over the break limit (\(DurationText.describe(policy.sittingTooLongAfter))): \(spanTitle(bout))")
                    }
                }
            } else {
                for gap in timeline.gaps {
                    let span = DayTimeline.Span(start: gap.start, end: gap.end)
                    out += rect(layout, span, y: y, height: ChartLayout.laneHeight, cls: "pc-gap",
                                extra: " data-reason=\"\(Markup.escaped(gap.reason.rawValue))\"",
                                title: "no data, \(gap.reason.rawValue.replacingUnderscores): \(spanTitle(span))")
                }
            }
            out += "</g>\n"
        }
        return out
    }

    /// A marker per nudge: a shape and a letter in the marker row (triangle S: slouch, circle
    /// U: get up), and a thin line down through the lanes and panels.
    func nudgeMarks(_ layout: ChartLayout) -> String {
        var out = "<g class=\"pc-nudges\">\n"
        let rowY = ChartLayout.titleHeight + ChartLayout.markerRowHeight / 2
        for nudge in timeline.nudges {
            let x = Markup.number(layout.x(nudge.time))
            let (shape, letter, words): (String, String, String) = switch nudge.reason {
            case .slouch: ("<path class=\"pc-marker\" d=\"M\(x) \(Markup.number(rowY - 8))l7 13h-14z\"/>", "S", "slouch nudge")
            case .sittingTooLong: ("<circle class=\"pc-marker\" cx=\"\(x)\" cy=\"\(Markup.number(rowY))\" r=\"7\"/>", "U", "get-up nudge (sitting too long)")
            }
            out += "<g class=\"pc-nudge\" data-reason=\"\(nudge.reason.rawValue)\" data-time=\"\(Markup.number(nudge.time, decimals: 0))\" data-x=\"\(x)\">"
                + "<title>\(words) at \(zone.components(nudge.time).clock)</title>"
                + "<line class=\"pc-nudge-line\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(Markup.number(rowY + 7))\" y2=\"\(Markup.number(plotBottom))\"/>"
                + shape + "<text class=\"pc-marker-text\" x=\"\(x)\" y=\"\(Markup.number(rowY + 4))\" text-anchor=\"middle\">\(letter)</text></g>\n"
        }
        return out + "</g>\n"
    }

    /// Hour ticks: every hour when few, else every 2, 3 or 6 hours.
    func timeAxis(_ layout: ChartLayout) -> String {
        let hours = (layout.axisEnd - layout.axisStart) / 3600
        let step = [1.0, 2, 3, 6].first { hours / $0 <= 12 } ?? 6
        var out = "<g class=\"pc-axis\">\n"
        var tick = layout.axisStart
        while tick <= layout.axisEnd + 1 {
            let x = Markup.number(layout.x(tick))
            // The last label ends at its tick, so it stays inside the chart.
            let anchor = tick + step * 3600 > layout.axisEnd + 1 ? "end" : "middle"
            out += "<line class=\"pc-tick\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(Markup.number(lanesTop))\" y2=\"\(Markup.number(plotBottom + 4))\"/>"
                + "<text class=\"pc-label\" x=\"\(x)\" y=\"\(Markup.number(plotBottom + 18))\" text-anchor=\"\(anchor)\">\(clock(tick))</text>\n"
            tick += step * 3600
        }
        return out + "</g>\n"
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
