def f(a):
    with (
        open
        (a) as left
    ):
        return left.read()
