extension GPIOChip {
    /// Runs `request` on the chip named `chip` (a path, name, number or label), or, when none
    /// is named, on the first chip that has a line called `line`: a line name ("GPIO17") is
    /// unique on a Pi, the same on a Pi 4 and a Pi 5, unlike chip numbers. The error is the
    /// named chip's, the request's on the chip that has the line, or the last chip's tried.
    public static func requesting<T>(
        chip: String?, line: String, devDirectory: String = "/dev", _ request: (GPIOChip) throws(GPIOError) -> T
    ) throws(GPIOError) -> T {
        if let chip { return try request(GPIOChip(chip, devDirectory: devDirectory)) }
        var lastError: GPIOError?
        for info in GPIOChip.available(devDirectory: devDirectory) {
            let candidate: GPIOChip
            do {
                candidate = try GPIOChip(info.path, devDirectory: devDirectory)
                _ = try candidate.lineOffset(line)
            } catch {
                lastError = error  // not this chip: search on
                continue
            }
            // The chip that has the line answers for it: "in use by …" must not become the
            // next chip's "no such line".
            return try request(candidate)
        }
        throw lastError ?? GPIOError(kind: .noSuchChip(available: []), chip: "any", line: line)
    }
}
