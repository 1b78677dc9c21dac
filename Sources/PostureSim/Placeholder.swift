// placeholder until the wearer model lands
