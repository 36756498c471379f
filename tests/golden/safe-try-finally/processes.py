import multiprocessing
import subprocess
from multiprocessing import Pool


def square(x):
    return x * x


def run_tool(cmd, started):
    with subprocess.Popen(cmd, cwd="/") as proc:
        started(proc.pid)
    return proc.returncode


def squares(values):
    with multiprocessing.Pool(4) as pool:
        results = pool.map(square, values)
    return results


def cubes(values):
    with Pool() as workers:
        return workers.map(pow, values, [3] * len(values))
