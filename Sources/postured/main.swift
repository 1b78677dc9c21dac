import PostureDaemon

#if canImport(Glibc)
import Glibc
#endif

// postured: thin on purpose; everything lives in PostureDaemon where it is tested.
switch DaemonCommandLine.start() {
case .exit(let status):
    exit(status)
case .run(let options):
    exit(await DaemonCore.run(options))
}
