def b(path):
 \
   with open(path) as f:
        return f.read()


def c(path):
    x = 1; \
        y = 2
    return x + y


def d(path):
    with open(path) as f:
        \
      return f.read()
