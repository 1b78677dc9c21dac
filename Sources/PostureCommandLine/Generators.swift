extension ProgramDeclaration {
    /// The completion script `--generate-completion-script SHELL` prints.
    public func completionScript(_ shell: CommandLineRequest.Shell) -> String {
        switch shell {
        case .bash: bashCompletion()
        case .zsh: zshCompletion()
        case .fish: fishCompletion()
        }
    }
}
