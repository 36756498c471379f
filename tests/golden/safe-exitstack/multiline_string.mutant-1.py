import contextlib
def write_banner(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path, "w"))
        f.write("""\
    Welcome.
        This text keeps its indentation.
""")
        f.write(f"""{path}
    also kept
""")
