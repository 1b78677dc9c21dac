// placeholder until PostureStore lands
