// placeholder until PostureDaemonTests land
