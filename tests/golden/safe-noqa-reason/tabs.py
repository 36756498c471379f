class Tabbed:
	def __init__(self, path):
		self._f = open(path, "rb")

	def read(self):
		return self._f.read()

	def close(self):
		self._f.close()
		self._f = None
