import PostureDaemon
import PosturectlCommands

#if canImport(Glibc)
import Glibc
#endif

// postured: thin on purpose; everything lives in PostureDaemon where it is tested.
// The package installs one binary for both programs (the Swift runtime and Foundation are
// linked in statically, two thirds of each binary): called as `posturectl`, it is that.
if CommandLine.arguments.first?.split(separator: "/").last.map(String.init) == Posturectl.programName {
    Posturectl.main()
    exit(0)
}
switch DaemonCommandLine.start() {
case .exit(let status):
    exit(status)
case .run(let options):
    exit(await DaemonCore.run(options))
}
