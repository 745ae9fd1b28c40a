// placeholder until the neural tests land
