import PostureCore
import PostureStore
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif

/// A synthetic day written into a real day log (SQLite file), the same way the daemon writes:
/// 09:00–11:00 UTC with a gap, activity changes, three nudges, a long bout, a snooze and quiet
/// hours from the stored configuration.
struct PictureDay {
    static let date = LocalDate(year: 2026, month: 3, day: 2)
    static let zone = LocalTimeZone.utc
    static var nine: Double { zone.range(of: date).lowerBound + 9 * 3600 }
    /// The configuration stored with the day: quiet hours 10:40–10:45 and a 30 min break limit.
    static let configuration = """
        [policy]
        sitting_too_long_after_s = 1800
        quiet_hours = ["10:40-10:45"]
        """

    let directory: String
    let twoSensors: Bool
    var dayLogPath: String { DayLog.filePath(inStateDirectory: directory) }

    /// Minute i (from 09:00): what the wearer did. Minutes 60..<70 are a gap (no minutes).
    static func activity(_ i: Int) -> Activity {
        switch i {
        case 40...41, 100: .standing
        case 42...44: .walking
        case 90...94: .lying
        default: .sitting
        }
    }

    static func tilt(_ i: Int) -> Double {
        switch activity(i) {
        case .sitting: -15 - Double(i % 5)
        case .standing: 0
        case .walking: 2
        case .lying: -85
        }
    }

    static let minuteIndices = Array(0..<60) + Array(70..<120)

    init(twoSensors: Bool = true, minutes: [Int] = PictureDay.minuteIndices) throws {
        directory = try TemporaryDirectory.make()
        self.twoSensors = twoSensors
        let log = try DayLog.open(path: DayLog.filePath(inStateDirectory: directory), mode: .readWrite)
        let nine = Self.nine
        var batch = StoreBatch()
        for i in minutes {
            var data = MinuteData()
            if i == 100 {
                data.sittingSeconds = 20
                data.standingSeconds = 40
            } else {
                switch Self.activity(i) {
                case .sitting: data.sittingSeconds = 60
                case .standing: data.standingSeconds = 60
                case .walking: data.walkingSeconds = 60
                case .lying: data.lyingSeconds = 60
                }
            }
            data.pelvicTilt = AngleRange(mean: Self.tilt(i), min: Self.tilt(i) - 2, max: Self.tilt(i) + 2)
            data.pelvicObliquityMean = 0.5
            data.angleSamples = 6000
            if twoSensors {
                data.lumbarFlexion = AngleRange(mean: 8 + Double(i % 3), min: 6, max: 12)
                data.lumbarSamples = 6000
            }
            data.samples = 6000
            data.expectedSamples = 6000
            batch.minutes.append(DatedMinute(startUnix: Int64(nine) + Int64(i) * 60, data: data))
        }
        func at(_ minutes: Double) -> Double { nine + minutes * 60 }
        batch.events = [
            .nudge(.slouch, at: at(20)),
            LogEvent(time: at(21), kind: .slouchEnd, detail: ["onset_offset_s": .number(-120), "end_offset_s": .number(-20), "duration_s": .number(100)]),
            .nudge(.sittingTooLong, at: at(30)),
            LogEvent(time: at(41), kind: .boutEnd, detail: ["duration_s": .number(2400), "start_offset_s": .number(-2460)]),
            .snooze(seconds: 600, at: at(80)),
            .resume(at: at(85)),
            .nudge(.slouch, at: at(110)),
        ]
        batch.gaps = [LogGap(start: at(60), end: at(70), reason: .daemonDown)]
        try log.append(batch)
        try log.saveCalibration(try Self.calibration(twoSensors: twoSensors), at: nine + 1)
        _ = try log.saveConfiguration(text: Self.configuration, at: nine + 2)
    }

    static func calibration(twoSensors: Bool) throws -> Calibration {
        func pose(_ degrees: Double) -> SensorPose {
            let angle = degrees * .pi / 180
            return SensorPose(up: Vector3(cos(angle), 0, sin(angle)), sampleCount: 100, gyroRMS: 0.01, accelStd: 0.02, meanAccelNorm: 9.81)
        }
        let standing = CapturedPose(pose: .standing, pelvis: pose(0), upperLumbar: twoSensors ? pose(0) : nil)
        let sitting = CapturedPose(pose: .sitting, pelvis: pose(20), upperLumbar: twoSensors ? pose(30) : nil)
        return try Calibration(standing: standing, sitting: sitting)
    }
}

enum TemporaryDirectory {
    static func make() throws -> String {
        let path = NSTemporaryDirectory() + "postured-picture-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The elements of an XML document, in order, with their attributes and text.
final class XMLElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: String?

    static func parse(_ text: String) throws -> [Element] {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = XMLElements()
        parser.delegate = collector
        guard parser.parse() else {
            throw NSError(domain: "XML", code: 1, userInfo: [NSLocalizedDescriptionKey: "not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "?") at line \(parser.lineNumber)"])
        }
        return collector.elements
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        _ = open.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in open { elements[index].text += string }
    }
}

extension [XMLElements.Element] {
    func with(class name: String) -> [XMLElements.Element] { filter { $0.classes.contains(name) } }
}

extension XMLElements.Element {
    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}
