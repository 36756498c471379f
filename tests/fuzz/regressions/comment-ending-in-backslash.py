"callbe bytas."""
def d(path):
    with open(path) as f:*#          	\
      rwith_s#atementet
