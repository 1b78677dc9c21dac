// placeholder until the hardware tests land
