// placeholder until PostureStoreTests land
