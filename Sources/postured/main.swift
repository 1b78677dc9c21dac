import PostureDaemon
import PosturectlCommands

#if canImport(Glibc)
import Glibc
#endif

// postured: thin on purpose; everything lives in PostureDaemon where it is tested.
// The package installs one binary for both programs (the Swift runtime is linked in
// statically, most of each binary): called as `posturectl`, it is that.
if CommandLine.arguments.first?.split(separator: "/").last.map(String.init) == Posturectl.programName {
    Posturectl.main()
}
switch DaemonCommandLine.start() {
case .exit(let status):
    exit(status)
case .run(let options):
    exit(await DaemonCore.run(options))
}
