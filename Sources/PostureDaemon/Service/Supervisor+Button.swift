import Logging
import PostureConfig
import PostureControl
public import PostureCore

extension Supervisor {
    /// What a press of the button (`[button]`) does, answered on the indicators: the same
    /// snooze, resume and calibration as `posturectl snooze`, `resume` and `calibrate`.
    public func handleButton(_ event: ButtonEvent) {
        logger.info("button", metadata: ["event": "\(event.rawValue)"])
        switch event {
        case .short:
            if isSnoozed {
                _ = resume()
                indicators.cue(.resumed)
            } else {
                _ = snooze(seconds: nil)
                indicators.cue(.snoozed)
            }
        case .long:
            guard !calibrating else {
                // Told on the indicators too: a wearer who pressed waits for an answer.
                logger.notice("button: a calibration is already running; the long press is ignored")
                indicators.cue(.calibrationFailed)
                return
            }
            buttonCalibration = Task {
                await calibrateFromButton()
                buttonCalibrationEnded()
            }
        case .double:
            indicators.cue(trackingCue)
        case .stuck:
            logger.warning("""
                button held down too long: stuck, or the line shorted (check active_low and bias in [button]); \
                ignored until released
                """)
        case .bouncing:
            logger.warning("""
                button erratic: more edges or presses than a finger makes (a worn contact, or a floating \
                line: set bias in [button]); ignored until quiet
                """)
        case .recovered:
            logger.notice("button released and quiet again: presses count again")
        }
    }

    /// The button's line failed at run time (a USB bridge unplugged): reported once; the
    /// button thread retries, and nudging never depended on it.
    public func buttonFailed(_ error: String) {
        logger.error("button not working; retrying with back-off (nudges are not affected)", metadata: ["error": "\(error)"])
    }

    private func buttonCalibrationEnded() { buttonCalibration = nil }

    private func cueIndicators(_ cue: IndicatorCue) { indicators.cue(cue) }

    public func buttonRecovered() {
        logger.notice("button works again")
    }

    var isSnoozed: Bool { snoozedUntil.map { $0 > monotonicNow() } ?? false }

    /// "Am I tracked?": a lost or silent sensor first (the wearer must know nothing is
    /// watched), then a snooze, else tracking.
    var trackingCue: IndicatorCue {
        let delivering = lastReport.map { $0.sensors.pelvis.isDelivering && $0.sensors.upperLumbar.isDeliveringOrAbsent } ?? false
        if !delivering { return .trackingFault }
        return isSnoozed ? .trackingSnoozed : .tracking
    }

    /// The guided calibration with the indicators as the only prompt: one pattern to stand
    /// tall, one to sit upright, one for done and one for failed (the reason goes to the log).
    func calibrateFromButton() async {
        do {
            _ = try await calibrate { [weak self] progress in
                guard progress.state == .prompt, let self else { return }
                // Through the actor, to the indicators in force then (a reload may replace them).
                let cue: IndicatorCue = progress.phase == .standing ? .standTall : .sitUpright
                Task { await self.cueIndicators(cue) }
            }
            indicators.cue(.calibrated)
        } catch {
            logger.error("calibration from the button failed", metadata: ["reason": "\(error.message)"])
            indicators.cue(.calibrationFailed)
        }
    }
}
