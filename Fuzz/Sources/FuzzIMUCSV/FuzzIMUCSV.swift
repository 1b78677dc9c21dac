// libFuzzer target: the IMU CSV v1 reader (`IMUCSVReader`), what `posturectl replay` and
// `fuse` run on a recording.
//
// The reader takes a path, so each input is written to one scratch file (unlinked at once,
// reopened through /proc/self/fd) and read from the start with `next()` until the end or the
// first error. Beyond "does not trap", each input checks:
// - samples never outnumber the lines after the header, and each comes from a later line;
// - every sample is finite, names a known sensor, and each sensor's time strictly increases;
// - every sample is what its line says: the line (from an independent split of the input) has
//   eight comma-separated fields whose values, parsed by the standard library's `Double(_:)`
//   (strtod, correctly rounded), are bit for bit the reader's (its fast decimal parser);
// - an error names the file, a line within the input (and a known column when it names one);
//   only "no header line" may have no line, and then the input really has none.
//
// 0xFF mode: an input starting with the byte 0xFF has its first two bytes replaced by a
// comment line ending within 128 bytes of the reader's 1 MiB chunk boundary (the second byte
// says where), so that the rest straddles a refill: the only way to reach the reader's
// buffer-shifting and resumed newline search across reads. Such runs are some 10 times slower;
// the seed corpus has one (chunk-boundary.bin).
#if canImport(Glibc)
import Glibc
#endif
import PostureCore
import PostureReplay

private let chunkSize = 1 << 20

private struct Scratch {
    let fd: Int32
    let path: String
}

nonisolated(unsafe) private var scratchFile: Scratch?

private func scratch() -> Scratch {
    if let scratchFile { return scratchFile }
    var template = Array("\(tmpDirectory())/postured-fuzz-imucsv-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { fatalError("FuzzIMUCSV: cannot create a scratch file: \(String(cString: strerror(errno)))") }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    let made = Scratch(fd: fd, path: "/proc/self/fd/\(fd)")
    scratchFile = made
    return made
}

private func tmpDirectory() -> String {
    if let dir = getenv("TMPDIR"), dir.pointee != 0 { return String(cString: dir) }
    return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
}

private func fail(_ message: String) -> Never {
    fatalError("FuzzIMUCSV property violated: \(message)")
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

/// The comment line written before the input in 0xFF mode: "#xxx…x\n", longest needed.
private let padding: [UInt8] = {
    var line = [UInt8](repeating: UInt8(ascii: "x"), count: chunkSize + 128)
    line[0] = UInt8(ascii: "#")
    return line
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    var input = UnsafeRawBufferPointer(start: start, count: count)[...]
    // 0xFF mode: the comment line ends from 128 bytes before to 127 after the chunk boundary.
    var paddingLength = 0
    if input.first == 0xFF {
        paddingLength = chunkSize - 128 + (input.count > 1 ? Int(input[input.startIndex + 1]) : 0)
        input = input.dropFirst(min(2, input.count))
    }
    let file = scratch()
    check(ftruncate(file.fd, 0) == 0, "ftruncate: \(String(cString: strerror(errno)))")
    if paddingLength > 0 {
        var written = padding.withUnsafeBytes { pwrite(file.fd, $0.baseAddress, paddingLength - 1, 0) }
        written += pwrite(file.fd, "\n", 1, paddingLength - 1)
        check(written == paddingLength, "pwrite wrote \(written) of \(paddingLength) bytes of padding")
    }
    let tail = UnsafeRawBufferPointer(rebasing: input)
    let written = tail.isEmpty ? 0 : pwrite(file.fd, tail.baseAddress, tail.count, off_t(paddingLength))
    check(written == input.count, "pwrite wrote \(written) of \(input.count) bytes")

    // The lines as the format defines them: split at "\n", a final line without one counts;
    // in 0xFF mode, after the padding line (line 1).
    let lineOffset = paddingLength > 0 ? 1 : 0
    var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    let lineCount = lines.count + lineOffset

    let reader: IMUCSVReader
    do {
        reader = try IMUCSVReader(path: file.path)
    } catch {
        fail("cannot open the scratch file: \(error)")
    }
    var samples = 0
    var previousLine = 0
    var lastT = [Double](repeating: -.infinity, count: SensorIndex.count)
    while true {
        let sample: IMUSample?
        do {
            sample = try reader.next()
        } catch {
            checkError(error, path: file.path, lines: lines, lineOffset: lineOffset)
            break
        }
        guard let sample else { break }
        samples += 1
        let line = reader.lineNumber
        check(line > previousLine, "sample \(samples) from line \(line), after one from line \(previousLine)")
        check(line >= 2 && line <= lineCount, "sample from line \(line) of a \(lineCount)-line input")
        check(samples <= lineCount - 1, "\(samples) samples from \(lineCount) lines (one is the header)")
        previousLine = line
        check(line > lineOffset, "sample from the padding line")
        checkSample(sample, line: lines[line - 1 - lineOffset], lineNumber: line, lastT: &lastT)
    }
    check(reader.comments.count <= lineCount, "\(reader.comments.count) comments in \(lineCount) lines")
    return 0
}

private func checkSample(_ sample: IMUSample, line raw: Slice<UnsafeRawBufferPointer>, lineNumber: Int, lastT: inout [Double]) {
    let values = [sample.t, sample.accel.x, sample.accel.y, sample.accel.z, sample.gyro.x, sample.gyro.y, sample.gyro.z]
    check(values.allSatisfy(\.isFinite), "line \(lineNumber): a non-finite value in \(sample)")
    check((0..<SensorIndex.count).contains(sample.sensor), "line \(lineNumber): sensor \(sample.sensor)")
    check(sample.t > lastT[sample.sensor], "line \(lineNumber): time \(sample.t) after \(lastT[sample.sensor]) for sensor \(sample.sensor)")
    lastT[sample.sensor] = sample.t

    var line = raw
    if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
    let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { field -> String in
        var f = field
        while f.first == UInt8(ascii: " ") { f = f.dropFirst() }
        while f.last == UInt8(ascii: " ") { f = f.dropLast() }
        return String(decoding: f, as: UTF8.self)
    }
    let text = String(decoding: line, as: UTF8.self)
    check(fields.count == 8, "line \(lineNumber) '\(text)' has \(fields.count) fields, yet gave \(sample)")
    check(fields[1] == String(sample.sensor), "line \(lineNumber) '\(text)': sensor field '\(fields[1])' read as \(sample.sensor)")
    let numberFields = [fields[0]] + fields[2...]
    for (field, value) in zip(numberFields, values) {
        guard let reference = Double(field) else {
            fail("line \(lineNumber) '\(text)': '\(field)' read as \(value), but Double(_:) rejects it")
        }
        check(
            reference.bitPattern == value.bitPattern,
            "line \(lineNumber) '\(text)': '\(field)' read as \(value) (\(value.bitPattern)), Double(_:) says \(reference) (\(reference.bitPattern))")
    }
}

private func checkError(_ error: IMUCSVError, path: String, lines: [Slice<UnsafeRawBufferPointer>], lineOffset: Int) {
    check(error.path == path, "error names another file: \(error)")
    check(!error.message.isEmpty, "error without a message")
    if let column = error.column {
        check(IMUCSVReader.columns.contains(column), "error names an unknown column: \(error)")
    }
    guard let line = error.line else {
        check(error.message.hasPrefix("no header line"), "error without a line: \(error)")
        // Then every line is blank or a comment.
        for (index, raw) in lines.enumerated() {
            var l = raw
            if l.last == UInt8(ascii: "\r") { l = l.dropLast() }
            check(
                l.isEmpty || l.first == UInt8(ascii: "#"),
                "'no header line', but line \(index + 1 + lineOffset) is neither blank nor a comment: \(error)")
        }
        return
    }
    check(line > lineOffset && line <= lines.count + lineOffset, "error on line \(line) of a \(lines.count + lineOffset)-line input: \(error)")
}
