def write_banner(path):
    with open(path, "w") as f:
        f.write("""\
    Welcome.
        This text keeps its indentation.
""")
        f.write(f"""{path}
    also kept
""")
