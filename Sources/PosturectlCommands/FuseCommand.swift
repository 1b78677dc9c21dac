import PostureCommandLine
import PostureReplay

struct FuseCommand: Command {
    static let declaration = CommandDeclaration(
        "fuse",
        abstract: "Run only the orientation filter on one sensor and write t,qw,qx,qy,qz.",
        discussion: """
            The quaternion is the sensor-to-earth orientation (earth z up, heading arbitrary). \
            This is how orientation accuracy is measured against optical ground truth.
            """,
        arguments: [fileArgument, sensorOption, outOption])
    static let fileArgument = Argument<String>.positional(
        "file", help: "An IMU CSV v1 recording ('-' for standard input).", completion: .file)
    static let sensorOption = Argument.option(
        "sensor", default: 0, help: "The sensor to fuse: 0 (pelvis) or 1 (upper lumbar).", completion: .list(["0", "1"]))
    static let outOption = Argument<String>.required(
        "out", help: "Where to write t,qw,qx,qy,qz ('-' for standard output).", completion: .file)

    let file: String
    let sensor: Int
    let out: String

    init(_ arguments: ParsedArguments) throws(UsageError) {
        file = try arguments.value(Self.fileArgument)
        sensor = try arguments.value(Self.sensorOption)
        out = try arguments.value(Self.outOption)
    }

    func validate() throws {
        guard (0...1).contains(sensor) else {
            throw UsageError("--sensor \(sensor): expected 0 (pelvis) or 1 (upper lumbar)")
        }
    }

    func run() throws {
        let rows = try Fuse.run(inputPath: file, sensor: sensor, outputPath: out)
        if rows == 0 {
            throw CommandFailure("\(file): no samples of sensor \(sensor)")
        }
    }
}
