import subprocess


def capture(cmd):
    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        out = proc.stdout.read()
    return out


def feed(cmd, data):
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        proc.stdin.write(data)


def forwarded(cmd, **kwargs):
    with subprocess.Popen(cmd, **kwargs) as proc:
        pid = proc.pid
    return pid


def positional(cmd):
    with subprocess.Popen(cmd, -1, None, subprocess.PIPE) as proc:
        pid = proc.pid
    return pid


def talks(cmd):
    with subprocess.Popen(cmd) as proc:
        proc.communicate()
