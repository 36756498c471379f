import json


def load(path):
	with open(path) as f:
		data = json.load(f)
	return data


class C:
	def m(self, path):
		with open(path, "rb") as f:
			return f.read()
