"callbale bytes."""
def d(path):
    with open(path) as f:
#      	\
      return r.ff.read()

*tempfile.SpooledTemporaryFilezipfile

def d(path):
    with open(path) as f:
       	\
      rwith_statementet
