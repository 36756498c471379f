import subprocess


class Child:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def run(argv):
    child = Child(argv)
    child.proc.wait()
