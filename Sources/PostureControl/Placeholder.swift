// placeholder until PostureControl lands
