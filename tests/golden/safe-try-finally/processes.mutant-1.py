import multiprocessing
import subprocess
from multiprocessing import Pool


def square(x):
    return x * x


def run_tool(cmd, started):
    proc = subprocess.Popen(cmd, cwd="/")
    try:
        started(proc.pid)
    finally:
        proc.wait()
    return proc.returncode


def squares(values):
    with multiprocessing.Pool(4) as pool:
        results = pool.map(square, values)
    return results


def cubes(values):
    with Pool() as workers:
        return workers.map(pow, values, [3] * len(values))
