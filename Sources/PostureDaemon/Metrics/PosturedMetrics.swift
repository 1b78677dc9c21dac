import PostureControl
import PostureCore
import PostureStore

/// What `postured.prom` holds (`docs/metrics.md`): the day so far as the day log has it,
/// through `DayReport`, the very figures `posturectl report` prints (no second definition of
/// sitting or slouched time), and the daemon's health since it started, from the same
/// `StatusReport` that `posturectl status` shows.
enum PosturedMetrics {
    typealias Sample = MetricFamily.Sample

    /// `day` is nil while no day can be read (the clock not yet synchronised, so no minute is
    /// dated; the day log unreadable): the day's families are then left out, not zeroed, so a
    /// dashboard shows a gap rather than a wearer who did nothing.
    static func families(day: DayReport?, status: StatusReport) -> [MetricFamily] {
        (day.map(dayFamilies) ?? []) + healthFamilies(status)
    }

    static func dayFamilies(_ day: DayReport) -> [MetricFamily] {
        let summary = day.summary
        let quality = day.quality
        var families = [
            MetricFamily("day_start_timestamp_seconds", .gauge, help: "Local midnight that starts the day the day_ figures are of (Unix time).",
                samples: [Sample(day.range.lowerBound)]),
        ]
        for (activity, seconds) in [
            ("sitting", summary.sittingSeconds), ("standing", summary.standingSeconds),
            ("walking", summary.walkingSeconds), ("lying", summary.lyingSeconds),
        ] {
            families.append(MetricFamily("day_\(activity)_seconds", .gauge, help: "Time \(activity) today, as posturectl report counts it.",
                samples: [Sample(seconds)]))
        }
        families += [
            MetricFamily("day_slouched_seconds", .gauge, help: "Time sitting slouched today (part of sitting), as posturectl report counts it.",
                samples: [Sample(summary.slouchSeconds)]),
            MetricFamily("day_nudges", .gauge, help: "Nudges delivered today, by reason.",
                samples: NudgeReason.allCases.map { Sample(Double(summary.nudges[$0]), labels: [("reason", $0.rawValue)]) }),
            MetricFamily("day_suppressed_nudges", .gauge, help: "Nudges due today but not delivered, by cause (snooze, quiet hours, daily cap).",
                samples: SuppressionCause.allCases.map { Sample(Double(summary.suppressedNudges[$0]), labels: [("cause", $0.rawValue)]) }),
            MetricFamily("day_longest_sitting_bout_seconds", .gauge, help: "Longest sitting bout today, the open one included.",
                samples: [Sample(summary.longestSittingBoutSeconds)]),
            MetricFamily("day_steps", .gauge, help: "Steps counted today.", samples: summary.steps.map { [Sample(Double($0))] } ?? []),  // no step counter: no figure, not 0
            MetricFamily("day_samples", .gauge, help: "Pelvis samples the engine processed today.", samples: [Sample(Double(quality.samples))]),
            MetricFamily("day_expected_samples", .gauge, help: "Samples the configured rate promises over the time the daemon ran today.",
                samples: [Sample(Double(quality.expectedSamples))]),
            MetricFamily("day_sample_ratio", .gauge, help: "day_samples over day_expected_samples: 1 is complete data.",
                samples: quality.sampleRatio.map { [Sample($0)] } ?? []),
            MetricFamily("day_overruns", .gauge, help: "Sampling deadlines missed today (stored minutes).", samples: [Sample(Double(quality.overruns))]),
            MetricFamily("day_sensor_fault_samples", .gauge, help: "Samples today on which a sensor was faulted.",
                samples: [Sample(Double(quality.sensorFaults))]),
            MetricFamily("day_gap_seconds", .gauge, help: "Time today not observed (daemon down, sensor lost), never filled in.",
                samples: [Sample(day.gapSeconds)]),
        ]
        return families
    }

    static func healthFamilies(_ status: StatusReport) -> [MetricFamily] {
        let sensors = status.sensors.filter { $0.health.state != .absent }
        func sensorLabels(_ sensor: PostureControl.SensorStatus) -> [(name: String, value: String)] {
            [("sensor", "\(sensor.index)"), ("role", sensor.roleName)]
        }
        return [
            MetricFamily("info", .gauge, help: "Always 1; the daemon's version as a label.",
                samples: [Sample(1, labels: [("version", status.daemonVersion)])]),
            MetricFamily("uptime_seconds", .gauge, help: "Time since the daemon started.", samples: [Sample(status.uptimeSeconds)]),
            MetricFamily("calibrated", .gauge, help: "1 once the wearer is calibrated, else 0.", samples: [Sample(status.calibrated ? 1 : 0)]),
            MetricFamily("clock_synchronized", .gauge, help: "1 when the wall clock is synchronised (until then no day is dated), else 0.",
                samples: [Sample(status.clockTrusted ? 1 : 0)]),
            MetricFamily("store_writable", .gauge, help: "0 while the day log cannot be written (minutes wait in memory), else 1.",
                samples: [Sample(status.store.error == nil ? 1 : 0)]),
            MetricFamily("sensor_up", .gauge, help: "1 while the sensor delivers samples, else 0.",
                samples: sensors.map { Sample($0.health.state == .faulted ? 0 : 1, labels: sensorLabels($0)) }),
            MetricFamily("sensor_faults", .counter, help: "Sensor faults since the daemon started.",
                samples: sensors.map { Sample(Double($0.health.faults), labels: sensorLabels($0)) }),
            MetricFamily("loop_overruns", .counter, help: "Sampling deadlines missed since the daemon started.",
                samples: [Sample(Double(status.sampling.overruns))]),
            MetricFamily("loop_dropped_reports", .counter, help: "Loop reports lost because the supervisor fell behind, since start.",
                samples: [Sample(Double(status.sampling.droppedReports))]),
            MetricFamily("loop_dropped_events", .counter, help: "Decisions (nudges, activity changes) lost on the way to the supervisor, since start.",
                samples: [Sample(Double(status.sampling.droppedEvents ?? 0))]),
            MetricFamily("supervisor_longest_stall_seconds", .gauge, help: "Longest time between two drains of the loop's reports since start.",
                samples: [Sample(status.sampling.longestSupervisorStallSeconds ?? 0)]),
        ] + latenessFamilies(status.sampling.latenessLastMinute) + feedbackFamilies(status.feedback)
    }

    /// Today's feedback level (0 = full feedback; fading mode steps it up as the wearer corrects
    /// in time), so a study sees who is being weaned off the cues. Absent in constant mode.
    static func feedbackFamilies(_ feedback: FeedbackStatus?) -> [MetricFamily] {
        guard let feedback, feedback.mode == .fading else { return [] }
        return [
            MetricFamily("feedback_level", .gauge, help: "Today's fading-feedback level: 0 is full feedback, higher is less (docs/metrics.md).",
                samples: [Sample(Double(feedback.level))]),
        ]
    }

    /// The loop's wake-up lateness over the last minute, as `status` has it (microseconds
    /// there, seconds here, Prometheus's base unit). Three gauges rather than a label named
    /// `quantile`, which Prometheus keeps for summaries. Left out until the loop's first wake.
    static func latenessFamilies(_ lateness: LatenessSummary?) -> [MetricFamily] {
        guard let lateness else { return [] }
        return [
            ("median", "median", lateness.p50Microseconds), ("p99", "99th percentile", lateness.p99Microseconds),
            ("max", "maximum", lateness.maxMicroseconds),
        ].map { name, what, microseconds in
            MetricFamily("loop_lateness_\(name)_seconds", .gauge,
                help: "How late the sampling loop woke after its deadlines over the last minute: the \(what).",
                samples: [Sample(microseconds / 1e6)])
        }
    }
}
