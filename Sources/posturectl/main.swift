print("posturectl")
