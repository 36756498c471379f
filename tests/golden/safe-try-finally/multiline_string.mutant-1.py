def write_banner(path):
    f = open(path, "w")
    try:
        f.write("""\
    Welcome.
        This text keeps its indentation.
""")
        f.write(f"""{path}
    also kept
""")
    finally:
        f.close()
