// placeholder until PostureReplay lands
