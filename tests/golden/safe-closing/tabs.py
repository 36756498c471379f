import os


def count(path):
	with open(path) as f:
		n = 0
		for line in f:
			n += 1
	return n
