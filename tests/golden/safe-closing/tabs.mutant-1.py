import os
import contextlib


def count(path):
	with contextlib.closing(open(path)) as f:
		n = 0
		for line in f:
			n += 1
	return n
