import multiprocessing
import subprocess
import threading
from subprocess import Popen as Spawn


def run(cmd):
    with subprocess.Popen(cmd) as proc:
        return proc.wait()


def spawn(cmd):
    with Spawn(cmd, stdout=subprocess.DEVNULL) as child:
        child.communicate()


def squares(items):
    with multiprocessing.Pool(2) as pool:
        return pool.map(abs, items)


def guarded(fn):
    with threading.Lock() as held:
        return fn(held)
