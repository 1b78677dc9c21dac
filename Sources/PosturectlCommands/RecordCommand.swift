import PostureCommandLine
import PostureControl
import PostureReplay
import Glibc

struct RecordCommand: Command {
    static let declaration = CommandDeclaration(
        "record",
        abstract: "Record the daemon's raw IMU samples as IMU CSV v1 until Ctrl-C or --duration.",
        discussion: "t starts at 0 with the first sample, so replay windows (--stand A:B) read naturally.",
        arguments: [fileArgument, durationOption] + ConnectionOptions.arguments)
    static let fileArgument = Argument<String>.positional(
        "file", help: "The CSV file to write ('-' for standard output).", completion: .file)
    static let durationOption = Argument<Double>.option("duration", help: "Stop after this many seconds of samples.")

    let file: String
    let duration: Double?
    let connection: ConnectionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) {
        file = try arguments.value(Self.fileArgument)
        duration = try arguments.optionalValue(Self.durationOption)
        connection = try ConnectionOptions(arguments)
    }

    func validate() throws {
        if let duration, !(duration > 0) { throw UsageError("--duration must be above 0") }
        if connection.json, file == "-" {
            throw UsageError("--json with '-': the CSV goes to standard output; record to a file to get the JSON line")
        }
    }

    func run() throws {
        catchInterrupt()
        let client = try connection.connect()
        let out = try BufferedWriter(path: file)
        try out.write("# postured imu csv v1; source: posturectl record from \(client.path)\n")
        try out.write(IMUCSVReader.header + "\n")
        let id = try client.send(.record)
        var origin: Double?
        var rows = 0
        var ended: String?  // why the daemon ended the stream, when it was not asked to
        var finished = false
        var durationReached = false
        reading: while let (message, _) = try client.next(timeout: 5) {
            guard message.id == id else { continue }
            if message.isFinal {
                ended = message.error?.message
                finished = ended == nil  // the daemon ended the stream (stopping)
                break
            }
            for frame in try message.payload([RawSampleFrame].self) {
                guard let sample = frame.sample else { continue }
                let t0 = origin ?? sample.t
                origin = t0
                let t = sample.t - t0
                if let duration, t >= duration {
                    durationReached = true
                    break reading
                }
                out.writeFixed(t, decimals: 6)
                out.writeByte(UInt8(ascii: ","))
                try out.write(String(sample.sensor))
                for v in [sample.accel.x, sample.accel.y, sample.accel.z] {
                    out.writeByte(UInt8(ascii: ","))
                    out.writeFixed(v, decimals: 5)
                }
                for v in [sample.gyro.x, sample.gyro.y, sample.gyro.z] {
                    out.writeByte(UInt8(ascii: ","))
                    out.writeFixed(v, decimals: 6)
                }
                try out.endLine()
                rows += 1
            }
        }
        // What was recorded is kept, whatever ended the recording; then the truth about the end.
        try out.flush()
        let interrupted = interruptRequested.load(ordering: .relaxed)
        if connection.json {
            let end = durationReached ? "duration" : interrupted ? "interrupted" : finished ? "daemon_stopped" : "failed"
            print(#"{"recorded":{"file":"# + jsonString(file) + #","samples":\#(rows),"end":"\#(end)"}}"#)
            flushStandardOutput()
        } else if file != "-" {
            printError("recorded \(rows) samples to \(file)")
        }
        if let ended { throw CommandFailure(ended) }
        if finished || interrupted || durationReached { return }
        if client.closedByDaemon { throw CommandFailure("postured closed the connection after \(rows) samples") }
        throw CommandFailure(rows == 0
            ? "no samples arrived from postured within 5 s"
            : "no samples arrived from postured for 5 s (after \(rows)); the recording is cut short")
    }
}

/// Writes a line to standard error (status messages must not mix with CSV on stdout).
func printError(_ text: String) {
    var stderr = StandardError()
    print(text, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
