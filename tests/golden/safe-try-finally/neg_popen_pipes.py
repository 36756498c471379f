import subprocess
from subprocess import PIPE, Popen


def output(cmd):
    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        return proc.stdout.read()


def feed(cmd, data):
    with Popen(cmd, stdin=PIPE) as proc:
        proc.stdin.write(data)


def positional(cmd):
    with Popen(cmd, -1, None, None, PIPE) as proc:
        return proc.stdout.read()


def splat(cmd, **kw):
    with Popen(cmd, **kw) as proc:
        return proc.pid
