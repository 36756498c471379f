def read_all(path):
	if path:
		with open(path) as f:
			data = f.read()
			size = len(data)
		return size
	return 0
