// placeholder until PostureCoreTests lands
