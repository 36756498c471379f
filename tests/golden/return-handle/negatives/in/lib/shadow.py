from lib.neg import sized


def sized_twice(path):
    sized = 3
    return sized
