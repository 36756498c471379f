class W:
	def __init__(self, p):
		self.f = open(p, "w")

	def __enter__(self):
		return self

	def __exit__(self, *exc):
		self.f.close()


def go(p):
	w = W(p)
	try:  # write
		w.f.write("x")
	finally:
		w.f.close()
