from agent import health


def main(p):
    assert health.load_sample(p) == b"x"
    with health.only_driven(p) as fh:
        assert fh.read() == b"x"
