import contextlib
def load(path):
	with open(path) as f:
		data = f.read()
	return data


def head(path):
	with contextlib.ExitStack() as stack:
		f = stack.enter_context(open(path))
		return f.readline()
