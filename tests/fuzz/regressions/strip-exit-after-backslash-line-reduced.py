import subprocess


class Child:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()\


    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
print(1)
