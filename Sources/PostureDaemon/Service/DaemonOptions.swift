import PostureConfig
import PostureControl
import PostureSim

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit statuses of `postured` (sysexits.h). The unit's `RestartPreventExitStatus=64 78`
/// relies on them: a usage or configuration error needs an administrator, not a restart.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// `EX_SOFTWARE`: the daemon failed at run time (a sensor never answered, the loop stalled).
    public static let failure: Int32 = 1
    /// `EX_USAGE`: the command line is wrong.
    public static let usage: Int32 = 64
    /// `EX_CONFIG`: the configuration file is wrong (or cannot be read).
    public static let config: Int32 = 78
}

/// `postured`'s command line, parsed by hand (the daemon's code uses no ArgumentParser and no
/// Foundation), with defaults from the directories systemd hands over.
///
/// ```
/// postured [--config FILE] [--simulate SCENARIO [--speed X] [--seed N]]
///          [--state-dir DIR] [--runtime-dir DIR] [--foreground]
/// postured --check-config FILE | --version | --help
/// ```
public struct DaemonOptions: Sendable, Equatable {
    /// What the invocation asks for.
    public enum Action: Sendable, Equatable {
        /// Run the daemon.
        case run
        /// Validate this file and exit 0 or 78 (`CheckConfig.run(path:)`).
        case checkConfig(path: String)
        case printVersion
        case printHelp
    }

    public var action: Action = .run
    /// `--config`, else `$CONFIGURATION_DIRECTORY/postured.toml`, else `/etc/postured/postured.toml`.
    public var configPath: String = PostureConfiguration.defaultPath
    /// `--simulate SCENARIO`: read a simulated wearer (through the simulated chips and the real
    /// drivers) instead of the I2C bus; one of `Scenario.allNames`, or `NAME-one-sensor`.
    public var simulate: String?
    /// `--speed X`: simulated seconds per real second (needs `--simulate`). Default 1.
    public var speed: Double = 1
    /// `--seed N`: the simulated wearer's random seed (needs `--simulate`). Default 1.
    public var seed: UInt64 = 1
    /// `--state-dir`, else `$STATE_DIRECTORY` (its first entry); nil: the configuration's
    /// `store.state_directory`. See `stateDirectory(configured:)`.
    public var stateDirectoryOverride: String?
    /// `--runtime-dir`, else `$RUNTIME_DIRECTORY` (its first entry); nil: the directory of the
    /// configuration's `control.socket`. See `controlSocketPath(configured:)`.
    public var runtimeDirectoryOverride: String?
    /// `--foreground`: log for a person at a terminal (timestamps, level names) even when
    /// stderr is the journal. postured never forks either way (`Type=notify`).
    public var foreground = false

    public init() {}

    /// The state directory to use: the command line or systemd's `StateDirectory=` win over the
    /// configuration file (under `ProtectSystem=strict` no other directory is writable anyway).
    public func stateDirectory(configured: String) -> String {
        stateDirectoryOverride ?? configured
    }

    /// The control socket: the configured socket's file name inside the runtime directory when
    /// one is given (`--runtime-dir`, `$RUNTIME_DIRECTORY`), else the configured path as is.
    public func controlSocketPath(configured: String) -> String {
        guard let directory = runtimeDirectoryOverride else { return configured }
        let name = configured.split(separator: "/").last.map(String.init) ?? "control.sock"
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// A command-line mistake: `message` is printed after `postured: `, then a hint to `--help`;
/// the exit status is 64 (`EX_USAGE`).
public struct DaemonUsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var exitStatus: Int32 { ExitStatus.usage }

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "postured: \(message)\nTry 'postured --help' for more information." }
}

extension DaemonOptions {
    public static let usage = """
        Usage: postured [OPTIONS]
        The posture monitor daemon: reads the IMUs, keeps the day log, nudges on GPIO.

          --config FILE          the configuration (default: $CONFIGURATION_DIRECTORY/postured.toml,
                                 else \(PostureConfiguration.defaultPath))
          --check-config FILE    check FILE, print each problem as FILE:LINE: key: what is wrong,
                                 what is allowed, and exit 0 (fine) or 78 (problems)
          --simulate SCENARIO    read a simulated wearer instead of the I2C bus; SCENARIO is one of
                                 \(Scenario.allNames.joined(separator: ", ")) (or NAME-one-sensor)
          --speed X              with --simulate: simulated seconds per second (default 1)
          --seed N               with --simulate: the wearer's random seed (default 1)
          --state-dir DIR        the day log's directory (default: $STATE_DIRECTORY,
                                 else [store] state_directory)
          --runtime-dir DIR      where the control socket is made (default: $RUNTIME_DIRECTORY,
                                 else the directory of [control] socket)
          --foreground           log for a terminal (timestamps) even under the journal
          --version              print the version and exit
          --help, -h             print this help and exit

        Exit status: 0 success, 1 run-time failure, 64 bad command line, 78 bad configuration.
        Signals: SIGHUP reloads the configuration, SIGTERM and SIGINT stop.
        """

    /// Parses `arguments` (without the program name). `environment` supplies the defaults
    /// systemd sets: `CONFIGURATION_DIRECTORY`, `STATE_DIRECTORY`, `RUNTIME_DIRECTORY`
    /// (each may list several directories separated by ':'; the first is used).
    /// Accepts `--option VALUE` and `--option=VALUE`; `--help` and `--version` win over
    /// everything after them.
    public static func parse(
        _ arguments: [String], environment: [String: String] = [:], workingDirectory: String? = currentWorkingDirectory()
    ) throws(DaemonUsageError) -> DaemonOptions {
        var options = DaemonOptions()
        func absolute(_ path: String) -> String { absolutePath(path, from: workingDirectory) }
        if let directory = firstDirectory(environment["CONFIGURATION_DIRECTORY"]) {
            options.configPath = join(directory, "postured.toml")
        }
        options.stateDirectoryOverride = firstDirectory(environment["STATE_DIRECTORY"])
        options.runtimeDirectoryOverride = firstDirectory(environment["RUNTIME_DIRECTORY"])

        var explicitSpeed = false, explicitSeed = false
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            // The value of an option that takes one: inline, or the next argument.
            func value() throws(DaemonUsageError) -> String {
                if let inlineValue {
                    guard !inlineValue.isEmpty else { throw DaemonUsageError("\(name) needs a non-empty value") }
                    return inlineValue
                }
                guard index < arguments.endIndex, !arguments[index].hasPrefix("--")
                else { throw DaemonUsageError("\(name) needs a value") }
                defer { index += 1 }
                guard !arguments[index].isEmpty else { throw DaemonUsageError("\(name) needs a non-empty value") }
                return arguments[index]
            }
            func noValue() throws(DaemonUsageError) {
                if inlineValue != nil { throw DaemonUsageError("\(name) takes no value") }
            }

            switch name {
            case "--help", "-h":
                try noValue()
                options.action = .printHelp
                return options
            case "--version":
                try noValue()
                options.action = .printVersion
                return options
            case "--config":
                options.configPath = absolute(try value())
            case "--check-config":
                options.action = .checkConfig(path: absolute(try value()))
            case "--simulate":
                let scenario = try value()
                guard Scenario.named(scenario, seed: 1) != nil else {
                    throw DaemonUsageError(
                        "--simulate: unknown scenario '\(scenario)', expected one of "
                            + Scenario.allNames.joined(separator: ", ") + " (or NAME-one-sensor)")
                }
                options.simulate = scenario
            case "--speed":
                let text = try value()
                guard let speed = SimulationSpeed.parse(text) else { throw DaemonUsageError(SimulationSpeed.problem(text)) }
                options.speed = speed
                explicitSpeed = true
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text) else {
                    throw DaemonUsageError("--seed: '\(text)' is not a seed, expected a whole number from 0 to \(UInt64.max)")
                }
                options.seed = seed
                explicitSeed = true
            case "--state-dir":
                options.stateDirectoryOverride = absolute(try value())
            case "--runtime-dir":
                options.runtimeDirectoryOverride = absolute(try value())
            case "--foreground":
                try noValue()
                options.foreground = true
            default:
                if argument.hasPrefix("-") {
                    throw DaemonUsageError("unknown option '\(name)'")
                }
                throw DaemonUsageError("unexpected argument '\(argument)' (postured takes only options)")
            }
        }
        if options.simulate == nil {
            if explicitSpeed { throw DaemonUsageError("--speed needs --simulate") }
            if explicitSeed { throw DaemonUsageError("--seed needs --simulate") }
        }
        return options
    }

    private static func firstDirectory(_ value: String?) -> String? {
        guard let first = value?.split(separator: ":").first, !first.isEmpty else { return nil }
        return String(first)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// A relative path on the command line is relative to where the command was run, as with
    /// posturectl and every shell tool; made absolute now, so the log names it in full and a
    /// reload finds the same file. (In postured.toml paths must be absolute: the file is read
    /// by a daemon whose working directory is `/`.)
    static func absolutePath(_ path: String, from workingDirectory: String?) -> String {
        guard !path.hasPrefix("/"), let workingDirectory else { return path }
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return relative.isEmpty || relative == "." ? workingDirectory : join(workingDirectory, relative)
    }

    /// The process's working directory (nil if it was removed under it).
    public static func currentWorkingDirectory() -> String? {
        guard let buffer = getcwd(nil, 0) else { return nil }
        defer { free(buffer) }
        return String(cString: buffer)
    }
}

// MARK: - What main.swift calls

/// The front of `postured`: parse the command line, answer `--help`, `--version` and
/// `--check-config` on the spot, and hand everything else to the daemon.
///
/// ```swift
/// // Sources/postured/main.swift
/// import PostureDaemon
/// switch DaemonCommandLine.start() {
/// case .exit(let status): exit(status)
/// case .run(let options): exit(await DaemonCore.run(options))   // loads options.configPath
/// }
/// ```
public enum DaemonCommandLine {
    public enum Outcome: Sendable, Equatable {
        /// Nothing more to do: exit with this status (help, version, check-config, usage error).
        case exit(Int32)
        /// Run the daemon with these options.
        case run(DaemonOptions)
    }

    /// `arguments` include the program name (as `CommandLine.arguments` does). Help and the
    /// version go to `output` (stdout), problems to `errors` (stderr); each is one line or block.
    public static func start(
        arguments: [String] = CommandLine.arguments,
        environment: [String: String] = ProcessEnvironment.current(),
        output: (String) -> Void = StandardStreams.writeToStandardOutput,
        errors: (String) -> Void = StandardStreams.writeToStandardError
    ) -> Outcome {
        let options: DaemonOptions
        do throws(DaemonUsageError) {
            options = try DaemonOptions.parse(Array(arguments.dropFirst()), environment: environment)
        } catch {
            errors(error.description + "\n")
            return .exit(error.exitStatus)
        }
        switch options.action {
        case .printHelp:
            output(DaemonOptions.usage + "\n")
            return .exit(ExitStatus.success)
        case .printVersion:
            output("postured \(PosturedVersion.string)\n")
            return .exit(ExitStatus.success)
        case .checkConfig(let path):
            return .exit(CheckConfig.run(path: path, fine: output, report: errors))
        case .run:
            return .run(options)
        }
    }
}

/// The process environment as a dictionary, without Foundation.
public enum ProcessEnvironment {
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}

/// Whole-buffer writes to stdout or stderr: one `write(2)` for a text that fits, retried on
/// `EINTR` and short writes, so that lines from different threads never interleave mid-line.
public enum StandardStreams {
    public static func writeToStandardOutput(_ text: String) { write(text, to: STDOUT_FILENO) }
    public static func writeToStandardError(_ text: String) { write(text, to: STDERR_FILENO) }

    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { writeAll($0, to: descriptor) }
    }

    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            #if canImport(Darwin)
            let written = Darwin.write(descriptor, pointer, remaining)
            #elseif canImport(Glibc)
            let written = Glibc.write(descriptor, pointer, remaining)
            #else
            let written = Musl.write(descriptor, pointer, remaining)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                return  // EPIPE, EBADF...: nowhere left to report to.
            }
            pointer += written
            remaining -= written
        }
    }
}
