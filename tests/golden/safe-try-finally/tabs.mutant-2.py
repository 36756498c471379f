def load(path):
	with open(path) as f:
		data = f.read()
	return data


def head(path):
	f = open(path)
	try:
		return f.readline()
	finally:
		f.close()
