print("FuzzParser is built by scripts/fuzz.sh")
