from agent.health import load_sample


def main(p):
    with load_sample(p) as fh:
        print(len(fh.read()))
