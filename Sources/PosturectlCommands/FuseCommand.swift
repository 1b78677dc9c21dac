import ArgumentParser
import PostureReplay

struct FuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuse",
        abstract: "Run only the orientation filter on one sensor and write t,qw,qx,qy,qz.",
        discussion: """
            The quaternion is the sensor-to-earth orientation (earth z up, heading arbitrary). \
            This is how orientation accuracy is measured against optical ground truth.
            """)

    @Argument(help: "An IMU CSV v1 recording ('-' for standard input).")
    var file: String

    @Option(help: "The sensor to fuse: 0 (pelvis) or 1 (upper lumbar).")
    var sensor = 0

    @Option(help: "Where to write t,qw,qx,qy,qz ('-' for standard output).")
    var out: String

    func validate() throws {
        guard (0...1).contains(sensor) else {
            throw ValidationError("--sensor \(sensor): expected 0 (pelvis) or 1 (upper lumbar)")
        }
    }

    func run() throws {
        let rows = try Fuse.run(inputPath: file, sensor: sensor, outputPath: out)
        if rows == 0 {
            throw CommandFailure("\(file): no samples of sensor \(sensor)")
        }
    }
}
