print("terep: under construction")
