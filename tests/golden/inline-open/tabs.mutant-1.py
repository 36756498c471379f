import json


def load(path):
	data = json.load(open(path))
	return data


class C:
	def m(self, path):
		with open(path, "rb") as f:
			return f.read()
