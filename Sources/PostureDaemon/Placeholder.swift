// placeholder until PostureDaemon lands
