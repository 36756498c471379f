
def load(path):
    if path:
																											 			 	  with open(path) as F: rread()
