import json


def load(path):
	with open(path) as f:
		data = json.load(f)
	return data


class C:
	def m(self, path):
		return open(path, "rb").read()
