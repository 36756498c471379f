import json


def load(p):
	with open(p, "rb") as f:  # bytes
		return f.read()


def use(p):
	return json.loads(load(p))
