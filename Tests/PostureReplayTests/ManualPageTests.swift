import Foundation
import XCTest

/// `man/posturectl.1` is generated from the parser's own description of the command line
/// (`scripts/generate-posturectl-manual`); these fail when a command or an option is added,
/// renamed or removed without regenerating it.
final class ManualPageTests: XCTestCase {
    private struct Command {
        var name: String
        var abstract: String
        var options: [String]
    }

    /// Every shown subcommand of the built posturectl, with its shown `--long` names.
    private func commandsOfTheBuiltTool() throws -> [Command] {
        let tool = try SuitePaths.requirePosturectl()
        let result = try runProcess(tool, ["--experimental-dump-help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let root = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "dump-help is not a JSON object")
        let command = try XCTUnwrap(root["command"] as? [String: Any], "dump-help has no command")
        let subcommands = try XCTUnwrap(command["subcommands"] as? [[String: Any]], "dump-help has no subcommands")
        return subcommands.compactMap { subcommand -> Command? in
            guard let name = subcommand["commandName"] as? String, name != "help",
                (subcommand["shouldDisplay"] as? Bool) ?? true
            else { return nil }
            let arguments = subcommand["arguments"] as? [[String: Any]] ?? []
            let options = arguments.compactMap { argument -> String? in
                guard (argument["shouldDisplay"] as? Bool) ?? true,
                    let preferred = argument["preferredName"] as? [String: Any],
                    preferred["kind"] as? String == "long", let long = preferred["name"] as? String,
                    long != "help", long != "version"
                else { return nil }
                return long
            }
            return Command(name: name, abstract: subcommand["abstract"] as? String ?? "", options: options)
        }
    }

    /// The page as `man` reads it, unescaped enough to search: `\-` is `-`.
    private func manualPage() throws -> String {
        let path = SuitePaths.packageRoot.appendingPathComponent("man/posturectl.1").path
        return try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
    }

    func testTheManualPageNamesEveryCommandAndOption() throws {
        let commands = try commandsOfTheBuiltTool()
        XCTAssertGreaterThan(commands.count, 10, "posturectl has more commands than this")
        let page = try manualPage()
        let regenerate = "; run scripts/generate-posturectl-manual and commit man/posturectl.1"
        var sections = page.components(separatedBy: "\n.SS ")
        sections.removeFirst()
        let sectionByName = Dictionary(
            sections.map { (String($0.prefix { $0 != "\n" }), $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(Set(sectionByName.keys), Set(commands.map(\.name)), "the page's commands are not the tool's" + regenerate)
        for command in commands {
            guard let section = sectionByName[command.name] else { continue }
            XCTAssertTrue(
                section.contains(command.abstract.replacingOccurrences(of: "\\", with: "\\e")),
                "\(command.name): the page's abstract is not the tool's" + regenerate)
            for option in command.options {
                XCTAssertTrue(section.contains("--\(option)"), "\(command.name) --\(option) is not in the page" + regenerate)
            }
        }
    }
}
