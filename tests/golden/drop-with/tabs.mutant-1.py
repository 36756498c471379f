def count(path):
	f = open(path)
	n = 0
	for line in f:
		n += 1
	return n
