class W:
	def __init__(self, p):
		self.f = open(p, "w")

	def __enter__(self):
		return self

	def __exit__(self, *exc):
		self.f.close()


def go(p):
	with W(p) as w:  # write
		w.f.write("x")
