import json


def load(p):
	return open(p, "rb")


def use(p):
	return json.load(load(p))
