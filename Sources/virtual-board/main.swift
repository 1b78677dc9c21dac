import Glibc

// virtual-board: a CP2112 USB-to-I2C/GPIO bridge over /dev/uhid with simulated IMUs behind
// it. See Options.usage and docs/virtual-board.md.

signal(SIGPIPE, SIG_IGN)
let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    note("\(error)")
    LineLog(fd: 2).write(Options.usage)
    exit(64)
}
if options.help {
    print(Options.usage)
    exit(0)
}
do {
    let board = try Board(options: options)
    board.start()
    try board.openControl()
    try board.plug()
    try board.run()
} catch {
    note("\(error)")
    exit(1)
}
