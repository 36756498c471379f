from agent import health


def main(p):
    assert health.load_sample(p) == b"x"
    assert health.only_driven(p) == b"x"
