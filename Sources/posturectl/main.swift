import PosturectlCommands

// posturectl: thin on purpose; the commands live in PosturectlCommands (also linked into
// postured, which runs them when called by this name).
Posturectl.main()
