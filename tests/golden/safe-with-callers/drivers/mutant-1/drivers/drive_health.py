from agent import health


def main(p):
    with health.load_sample(p) as fh:
        assert fh.read() == b"x"
    assert health.only_driven(p) == b"x"
