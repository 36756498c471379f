from agent.health import load_sample


def main(p):
    print(len(load_sample(p)))
