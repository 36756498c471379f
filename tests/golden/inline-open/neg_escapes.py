import contextlib


def returned(path):
    with open(path) as f:
        return f


def assigned(path):
    with open(path) as f:
        g = f


def stored(self, path):
    with open(path) as f:
        self.handle = f


def stacked(path, stack: contextlib.ExitStack):
    with open(path) as f:
        stack.enter_context(f)


def closing_wrapped(path):
    with open(path) as f:
        contextlib.closing(f)


def closed(path):
    with open(path) as f:
        f.close()


def listed(path, files):
    with open(path) as f:
        files.append(f)


def yielded(path):
    with open(path) as f:
        yield f


def walrus(path):
    with open(path) as f:
        print((g := f))


def waited(cmd):
    import subprocess

    with subprocess.Popen(cmd) as proc:
        proc.wait()


def communicated(cmd):
    import subprocess

    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        return proc.communicate()[0]


def yielded_pair(path):
    with open(path) as f:
        yield f, path
