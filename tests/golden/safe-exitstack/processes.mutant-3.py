import multiprocessing
import subprocess
from multiprocessing import Pool
import contextlib


def square(x):
    return x * x


def run_tool(cmd, started):
    with subprocess.Popen(cmd, cwd="/") as proc:
        started(proc.pid)
    return proc.returncode


def output(cmd):
    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        return proc.stdout.read()


def squares(values):
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(multiprocessing.Pool(4))
        results = pool.map(square, values)
    return results


def cubes(values):
    with Pool() as workers:
        return workers.map(pow, values, [3] * len(values))
