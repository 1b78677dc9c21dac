// placeholder until PostureSimTests lands
