class W:
	def __init__(self, p):
		self.f = open(p, "w")


def go(p):
	w = W(p)  # write
	w.f.write("x")
