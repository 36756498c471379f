import contextlib


def lies(pfad):
    """Liest die Datei ganz – für Größe."""
    with open(pfad, encoding="utf-8") as datei:
        größe = datei.read()
    return größe


def 読む(パス):
    with open(パス) as ファイル:
        return ファイル.read()
