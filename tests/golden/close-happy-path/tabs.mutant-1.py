def read_all(path):
	if path:
		f = open(path)
		data = f.read()
		size = len(data)
		f.close()
		return size
	return 0
