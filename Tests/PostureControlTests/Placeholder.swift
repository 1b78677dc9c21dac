// placeholder until PostureControlTests land
