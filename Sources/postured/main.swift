print("postured: being built")
