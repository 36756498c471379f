def write_banner(path):
    f = open(path, "w")
    f.write("""\
    Welcome.
        This text keeps its indentation.
""")
    f.write(f"""{path}
    also kept
""")
    f.close()
