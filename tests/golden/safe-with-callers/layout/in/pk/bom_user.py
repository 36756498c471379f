import pk.crlf_tabs as m


def café(p):
    return m.load(
        p,
    )
