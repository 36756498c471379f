def lies(pfad):
    """Liest die Datei ganz – für Grüße."""
    with open(pfad, encoding="utf-8") as datei:
        grüße = datei.read()
    return grüße
